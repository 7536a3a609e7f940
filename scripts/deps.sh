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
