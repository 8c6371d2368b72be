#!/bin/bash
# Usage: tests/vm/guest-modules.sh MODDIR OUTDIR MODULE...
# Copies Debian kernel modules and everything they depend on from MODDIR
# (.../lib/modules/<abi>, extracted from the image package) into OUTDIR,
# decompressed (busybox insmod reads plain .ko only), and writes OUTDIR/order:
# the file names in load order. Guests load them with insmod, one by one.
set -eu
MODDIR=$1 OUT=$2
shift 2
ABI=$(basename "$MODDIR")
BASE=$(cd "$MODDIR/../../.." && pwd)
[ -s "$MODDIR/modules.dep" ] || depmod -b "$BASE" "$ABI"
mkdir -p "$OUT"
: >"$OUT/order"
for m in "$@"; do
	modprobe -d "$BASE" -S "$ABI" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	name=$(basename "$ko")
	name=${name%.xz}
	name=${name%.zst}
	case "$ko" in
	*.xz) xz -dc "$ko" >"$OUT/$name" ;;
	*.zst) zstd -qdc "$ko" >"$OUT/$name" ;;
	*) cp "$ko" "$OUT/$name" ;;
	esac
	echo "$name" >>"$OUT/order"
done
