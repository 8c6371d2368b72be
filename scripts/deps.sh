#!/bin/sh
# Installs everything memscope's build, demo and tests need, on Debian 12.
# Used by `make deps`, `make demo`, `make check` and CI. Idempotent: installs only what is missing.
set -eu

PKGS="gcc make pkg-config kmod cpio gzip xz-utils busybox-static qemu-system-x86 \
libnl-3-dev libnl-genl-3-dev libjson-c-dev libcmocka-dev \
linux-headers-amd64 linux-headers-6.12-amd64 \
bc bison flex libelf-dev libssl-dev dwarves python3 tmux jq zstd cpuid \
groff-base man-db prometheus \
dkms dh-dkms debhelper dpkg-dev lintian openssl"

[ "${MEMSCOPE_DEPS_EXTRA:-}" ] && PKGS="$PKGS $MEMSCOPE_DEPS_EXTRA"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
