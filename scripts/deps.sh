#!/bin/sh
# Installs everything memscope's build, demo and tests need, on Debian 12.
# Used by `make deps`, `make demo`, `make check` and CI. Idempotent: installs only what is missing.
set -eu

PKGS="gcc make pkg-config kmod cpio gzip xz-utils busybox-static qemu-system-x86 \
libnl-3-dev libnl-genl-3-dev libjson-c-dev libcmocka-dev \
linux-headers-amd64 linux-headers-6.12-amd64 \
bc bison flex libelf-dev libssl-dev dwarves python3 tmux jq zstd cpuid \
groff-base man-db \
dkms dh-dkms debhelper dpkg-dev lintian openssl \
linux-source-6.1"

[ "${MEMSCOPE_DEPS_EXTRA:-}" ] && PKGS="$PKGS $MEMSCOPE_DEPS_EXTRA"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ -n "$missing" ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# promtool (tests/ux-checks.sh checks the Prometheus export with it) comes out
# of Debian's prometheus package, unpacked into the cache and not installed:
# installing the package would also enable a Prometheus server on this machine.
PROM=$(cd "$(dirname "$0")/.." && pwd)/.cache/promtool
if [ ! -x "$PROM/usr/bin/promtool" ]; then
	mkdir -p "$PROM"
	( cd "$PROM" && { apt-get download prometheus >/dev/null 2>&1 ||
		{ $SUDO apt-get update -qq && apt-get download prometheus >/dev/null; }; } &&
		dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb usr/bin/prometheus ) ||
		echo "deps: could not unpack promtool from the prometheus package" >&2
fi
