/* SPDX-License-Identifier: MIT */
/* A page pool in caller-provided memory for the page-table hooks. */
#include <libhyp/error.h>
#include <libhyp-rt/rt.h>

static int page_used(const struct hyp_rt_pool *p, uint32_t i)
{
	return (int)((p->map[i / 64] >> (i % 64)) & 1);
}

static void mark(struct hyp_rt_pool *p, uint32_t first, unsigned int n, int used)
{
	for (uint32_t i = first; i < first + n; i++) {
		if (used)
			p->map[i / 64] |= 1ull << (i % 64);
		else
			p->map[i / 64] &= ~(1ull << (i % 64));
	}
}

int hyp_rt_pool_init(struct hyp_rt_pool *pool, void *mem, size_t size, uint64_t *map,
		     size_t map_words)
{
	uintptr_t base = (uintptr_t)mem;
	size_t pages = size / HYP_RT_PAGE_SIZE;

	if (!pool || !mem || !map || (base & (HYP_RT_PAGE_SIZE - 1)) ||
	    (size & (HYP_RT_PAGE_SIZE - 1)) || !pages || pages > UINT32_MAX - 1 ||
	    base + size - 1 < base || map_words < HYP_RT_POOL_MAP_WORDS(pages))
		return HYP_EINVAL;
	for (size_t i = 0; i < HYP_RT_POOL_MAP_WORDS(pages); i++)
		map[i] = 0;
	pool->base = base;
	pool->nr_pages = (uint32_t)pages;
	pool->nr_free = (uint32_t)pages;
	pool->map = map;
	return HYP_OK;
}

void *hyp_rt_pool_alloc(struct hyp_rt_pool *pool, unsigned int n)
{
	uint64_t align = 1;

	if (!pool || !n || n > HYP_RT_POOL_MAX_RUN || n > pool->nr_free)
		return NULL;
	while (align < n)
		align <<= 1;
	align *= HYP_RT_PAGE_SIZE;
	/* The first page index whose address is aligned, then every aligned one. */
	uint64_t first = ((pool->base + align - 1) & ~(align - 1)) - pool->base;
	for (uint64_t i = first / HYP_RT_PAGE_SIZE; i + n <= pool->nr_pages;
	     i += align / HYP_RT_PAGE_SIZE) {
		unsigned int k = 0;

		while (k < n && !page_used(pool, (uint32_t)(i + k)))
			k++;
		if (k < n)
			continue;
		mark(pool, (uint32_t)i, n, 1);
		pool->nr_free -= n;
		void *va = (void *)(pool->base + i * HYP_RT_PAGE_SIZE);
		return hyp_rt_memset(va, 0, (size_t)n * HYP_RT_PAGE_SIZE);
	}
	return NULL;
}

int hyp_rt_pool_free(struct hyp_rt_pool *pool, void *va, unsigned int n)
{
	uintptr_t a = (uintptr_t)va;
	uint64_t i;

	if (!pool || !va || !n || n > HYP_RT_POOL_MAX_RUN || a < pool->base ||
	    (a & (HYP_RT_PAGE_SIZE - 1)))
		return HYP_EINVAL;
	i = (a - pool->base) / HYP_RT_PAGE_SIZE;
	if (i >= pool->nr_pages || n > pool->nr_pages - i)
		return HYP_EINVAL;
	for (unsigned int k = 0; k < n; k++)
		if (!page_used(pool, (uint32_t)(i + k)))
			return HYP_EINVAL;
	mark(pool, (uint32_t)i, n, 0);
	pool->nr_free += n;
	return HYP_OK;
}

void *hyp_rt_pool_zalloc_pages(struct hyp_pgtable *pgt, unsigned int n)
{
	return pgt ? hyp_rt_pool_alloc(pgt->ctx, n) : NULL;
}

void hyp_rt_pool_free_pages(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	if (pgt)
		(void)hyp_rt_pool_free(pgt->ctx, va, n);
}

const struct hyp_pgtable_ops hyp_rt_pool_ops = {
    .zalloc_pages = hyp_rt_pool_zalloc_pages,
    .free_pages = hyp_rt_pool_free_pages,
    .tlbi_addr = hyp_pgtable_tlbi_addr_hw,
    .tlbi_range = hyp_pgtable_tlbi_range_hw,
    .tlbi_all = hyp_pgtable_tlbi_all_hw,
};
