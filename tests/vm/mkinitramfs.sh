#!/bin/bash
# Usage: tests/vm/mkinitramfs.sh OUT PAYLOAD_DIR
# Builds a gzip'd newc cpio at OUT: static busybox + applet links, /init from
# tests/vm/init.sh, root/nobody accounts, and PAYLOAD_DIR's contents under /memscope.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 OUT PAYLOAD_DIR" >&2; exit 2; }
OUT=$1 PAYLOAD=$2
HERE=$(cd "$(dirname "$0")" && pwd)
BUSYBOX=/bin/busybox	# from busybox-static
[ -d "$PAYLOAD" ] || { echo "mkinitramfs.sh: no such dir $PAYLOAD" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"	# mktemp -d gives 0700: nobody could execute anything

mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc,root,mnt,memscope}
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do
	# --list-full gives e.g. bin/ls, sbin/insmod, usr/bin/id, linuxrc; flatten
	# into bin/ and sbin/.
	name=${applet##*/}
	case "$applet" in */sbin/*|sbin/*) dir=sbin ;; *) dir=bin ;; esac
	[ "$name" = busybox ] && continue	# a busybox -> busybox link loops (ELOOP, -40)
	[ -e "$root/$dir/$name" ] || ln -s /bin/busybox "$root/$dir/$name"
done

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp "$HERE/init.sh" "$root/init"
chmod 755 "$root/init"
cp -a "$PAYLOAD"/. "$root/memscope/"

mkdir -p "$(dirname "$OUT")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
