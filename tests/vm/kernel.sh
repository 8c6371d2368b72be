#!/bin/bash
# Usage: tests/vm/kernel.sh ID        (ID: 6.1 | 6.12)
# Fetches the Debian kernel image for ID into the cache (once), makes sure the
# matching headers are installed, and prints shell-sourceable lines:
#   ABI=...  VMLINUZ=...  VMLINUX=...  KDIR=...  MODDIR=...
# VMLINUX is the uncompressed ELF kernel (boots faster via PVH), empty if unavailable.
# Only these lines go to stdout; apt chatter goes to stderr.
# Cache: ${MEMSCOPE_CACHE:-<repo>/.cache}/kernels/<abi>/ (extracted image package).
set -eu

REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${MEMSCOPE_CACHE:-$REPO/.cache}/kernels

# --- ID "debug": a KASAN/UBSAN/lockdep/kmemleak kernel built from Debian's
# linux-source-6.1 with tests/vm/debug.config (cached; the first build takes
# minutes). tests/vm/debug-kernel.sh prints the same five lines as below:
# KDIR is the built tree, MODDIR its installed modules (zram.ko, zsmalloc.ko),
# VMLINUX its vmlinux (the config has PVH).
if [ "${1:-}" = debug ]; then
	exec "$REPO/tests/vm/debug-kernel.sh"
fi
# --- end of "debug"

case "${1:-}" in
6.1)  META=linux-image-amd64 ;;
6.12) META=linux-image-6.12-amd64 ;;
*)    echo "usage: $0 6.1|6.12" >&2; exit 2 ;;
esac

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

# Concrete image package the metapackage depends on, e.g. linux-image-6.1.0-56-amd64.
# apt-cache takes ~1 s here (no pkgcache.bin), so the answer is memoised until
# the apt lists change (apt-get update touches /var/lib/apt/lists).
resolve() {
	memo=$CACHE/.$META.resolved
	if [ -s "$memo" ] && [ "$memo" -nt /var/lib/apt/lists ]; then
		cat "$memo"; return
	fi
	apt-cache depends "$META" 2>/dev/null |
		awk '$1 ~ /Depends:$/ && $2 ~ /^linux-image-[0-9]/ { print $2; exit }' >"$memo.tmp"
	mv "$memo.tmp" "$memo"
	cat "$memo"
}

apt_update() {
	echo "kernel.sh: running apt-get update" >&2
	$SUDO apt-get update -qq >&2
}

mkdir -p "$CACHE"
# Serialise concurrent callers (parallel boots share the cache).
exec 9>"$CACHE/.lock"
flock 9

PKG=$(resolve)
if [ -z "$PKG" ]; then
	apt_update
	PKG=$(resolve)
fi
[ -n "$PKG" ] || { echo "kernel.sh: cannot resolve $META" >&2; exit 1; }
ABI=${PKG#linux-image-}
DEST=$CACHE/$ABI

if [ ! -e "$DEST/.done" ]; then
	echo "kernel.sh: fetching $PKG" >&2
	tmp=$CACHE/.dl.$$
	rm -rf "$DEST" "$tmp"
	mkdir -p "$tmp/root"
	# apt-get download writes into the cwd; the _apt sandbox user cannot
	# write there, so download as the caller (avoids a warning).
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$PKG" >&2) || {
		echo "kernel.sh: download of $PKG failed (stale apt lists? try apt-get update)" >&2
		rm -rf "$tmp"; exit 1; }
	dpkg-deb -x "$tmp"/"$PKG"_*.deb "$tmp/root"
	mv "$tmp/root" "$DEST"
	rm -rf "$tmp"	# the extracted tree is all we keep
	touch "$DEST/.done"
fi

# Uncompressed ELF vmlinux for qemu's PVH entry: skips the in-guest decompressor,
# which under TCG costs ~5 s for 6.1 (xz) and ~2 s for 6.12 (zstd). The
# compressed payload's offset/length are in the bzImage setup header; its last
# 4 bytes are the uncompressed size, not part of the stream.
VMLINUZ=$DEST/boot/vmlinuz-$ABI
VMLINUX=$DEST/vmlinux
if [ ! -e "$VMLINUX" ] && grep -q '^CONFIG_PVH=y' "$DEST/boot/config-$ABI"; then
	setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$VMLINUZ")
	read -r off len < <(od -An -tu4 -j $((0x248)) -N8 "$VMLINUZ")
	start=$(( (setup_sects + 1) * 512 + off ))
	case $(od -An -tx1 -j "$start" -N4 "$VMLINUZ" | tr -d ' ') in
	fd377a58) unz="xz -dc" ;;
	28b52ffd) unz="zstd -dc" ;;
	1f8b*)    unz="gzip -dc" ;;
	*)        unz="" ;;
	esac
	if [ -n "$unz" ] && tail -c +$((start + 1)) "$VMLINUZ" | head -c $((len - 4)) | $unz >"$VMLINUX.tmp" &&
	   [ "$(head -c4 "$VMLINUX.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
		mv "$VMLINUX.tmp" "$VMLINUX"
	else
		echo "kernel.sh: could not extract vmlinux from $VMLINUZ" >&2
		rm -f "$VMLINUX.tmp"
	fi
fi
[ -e "$VMLINUX" ] || VMLINUX=""

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
if ! installed "linux-headers-$ABI"; then
	echo "kernel.sh: installing linux-headers-$ABI" >&2
	$SUDO apt-get install -y -qq --no-install-recommends "linux-headers-$ABI" >&2 ||
		{ apt_update; $SUDO apt-get install -y -qq --no-install-recommends "linux-headers-$ABI" >&2; }
fi

MODDIR=$DEST/lib/modules/$ABI
KDIR=/usr/src/linux-headers-$ABI
for f in "$VMLINUZ" "$MODDIR" "$KDIR/Makefile"; do
	[ -e "$f" ] || { echo "kernel.sh: missing $f" >&2; exit 1; }
done

printf 'ABI=%s\nVMLINUZ=%s\nVMLINUX=%s\nKDIR=%s\nMODDIR=%s\n' "$ABI" "$VMLINUZ" "$VMLINUX" "$KDIR" "$MODDIR"
