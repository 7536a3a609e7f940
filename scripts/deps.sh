# SPDX-License-Identifier: MIT
# Sourced by scripts/run and scripts/test: install the Debian packages that
# are missing (apt-get update first), as root or through sudo.

need_packages() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# What building and running the aarch64 images needs.
RUN_PACKAGES=(meson ninja-build python3 pkg-config gcc-aarch64-linux-gnu
	libc6-dev qemu-system-arm)
# What every test needs on top: host tests, clang build, docs.
TEST_PACKAGES=("${RUN_PACKAGES[@]}" gcc libcriterion-dev clang lld llvm doxygen
	device-tree-compiler libfdt-dev)
# The plain-Makefile consumer (tests/consumers/Makefile).
TEST_PACKAGES+=(make)
# The Linux test suite (tests/linux/run): mke2fs -d for its disk image
# (apt-get download and dpkg-deb fetch the kernel and busybox).
TEST_PACKAGES+=(e2fsprogs)

# libfdt for the aarch64 images (examples/minihyp). Debian's libfdt-dev is not
# Multi-Arch: same, so installing libfdt-dev:arm64 removes the host's
# libfdt-dev (which the host tests need) and the other way round. Instead,
# unpack the arm64 package (apt-get download, with the arm64 architecture
# added to dpkg) into LIBFDT_AARCH64_PREFIX: include/ and lib/libfdt.a, where
# examples/minihyp/meson.build looks first. Idempotent; nothing to do if
# libfdt-dev:arm64 is installed.
LIBFDT_AARCH64_PREFIX=/usr/local/aarch64-linux-gnu
need_aarch64_libfdt() {
	[ -f "$LIBFDT_AARCH64_PREFIX/lib/libfdt.a" ] &&
		[ -f "$LIBFDT_AARCH64_PREFIX/include/libfdt.h" ] && return 0
	[ -f /usr/lib/aarch64-linux-gnu/libfdt.a ] && return 0
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$sudo dpkg --add-architecture arm64 || return 1
	fi
	echo "unpacking libfdt-dev:arm64 into $LIBFDT_AARCH64_PREFIX"
	local tmp rc
	tmp=$(mktemp -d) || return 1
	chmod 755 "$tmp"
	(
		cd "$tmp" &&
			{ apt-get download -q libfdt-dev:arm64 2>/dev/null ||
				{ $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
					apt-get download -q libfdt-dev:arm64; }; } &&
			dpkg-deb -x libfdt-dev_*_arm64.deb x &&
			$sudo mkdir -p "$LIBFDT_AARCH64_PREFIX/include" "$LIBFDT_AARCH64_PREFIX/lib" &&
			$sudo cp x/usr/include/fdt.h x/usr/include/libfdt.h x/usr/include/libfdt_env.h \
				"$LIBFDT_AARCH64_PREFIX/include/" &&
			$sudo cp x/usr/lib/aarch64-linux-gnu/libfdt.a "$LIBFDT_AARCH64_PREFIX/lib/"
	)
	rc=$?
	rm -rf "$tmp"
	return $rc
}

# The tools and packages a configuration depends on. Meson looks programs
# and libraries up once, at `meson setup`: a build directory configured
# before doxygen (or clang, Criterion, QEMU...) was installed keeps
# believing it is absent (no 'docs' target) until it is reconfigured.
BUILD_TOOLS=(cc gcc clang ld.lld llvm-nm llvm-objdump aarch64-linux-gnu-gcc doxygen dtc
	qemu-system-aarch64 pkg-config python3)
deps_fingerprint() {
	local t
	for t in "${BUILD_TOOLS[@]}"; do
		# The program itself, not the name it goes by on PATH.
		echo "$t=$(realpath -q "$(command -v "$t")" || echo -)"
	done
	dpkg-query -W -f='${Package}=${Version} ${Status}\n' "${TEST_PACKAGES[@]}" 2>/dev/null | sort
	[ -f "$LIBFDT_AARCH64_PREFIX/lib/libfdt.a" ] && echo "libfdt-aarch64=$LIBFDT_AARCH64_PREFIX"
	return 0
}

# ensure_build DIR [meson setup arguments]: configure DIR if it has no
# build.ninja, reconfigure it if the tools it was configured with have
# changed since (recorded in DIR/libhyp-deps.txt); then record them.
ensure_build() {
	local dir=$1 now
	shift
	now=$(deps_fingerprint)
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" || return 1
	elif [ "$now" != "$(cat "$dir/libhyp-deps.txt" 2>/dev/null)" ]; then
		echo "$dir: installed tools changed since it was configured: reconfiguring"
		meson setup --reconfigure "$dir" || return 1
	fi
	printf '%s\n' "$now" >"$dir/libhyp-deps.txt"
}
