#!/bin/bash
# TLB geometry decoding against a reference decoder: Todd Allen's `cpuid`
# (Debian package cpuid) reads the same raw CPUID values (`cpuid -f DUMP`)
# that memscopectl decodes (`tlb --geometry --cpuid-file DUMP`). Cases: every
# Intel leaf 2 descriptor alone, Intel leaf 0x18 dumps, AMD 0x80000005/6 as
# qemu's EPYC model and this host report them. Compared: kind, page size,
# entries, ways (where the reference gives them). Runs on the host (CPUID
# from a file needs no module). One PASS/FAIL line per case.
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
CTL=$REPO/ctl/memscopectl
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if ! command -v cpuid >/dev/null; then
	echo "FAIL [unit] tlb-geometry-vs-cpuid: no cpuid (scripts/deps.sh installs it)"
	exit 0
fi

# "kind page_kb entries ways" lines from cpuid's decoding; ways "-" when not given.
ref() {
	cpuid -f "$1" | awk -f "$REPO/tests/tools/cpuid-tlb.awk" | sort
}

# The same lines from memscopectl's JSON; ways "-" where the reference gives none.
ours() {
	"$CTL" tlb --geometry --json --cpuid-file "$1" |
		jq -r '.tlbs[] | "\(.kind) \(.page_kb) \(.entries) \(if .ways == 0 then "-" else .ways end)"' | sort
}

# dump FILE VENDOR MAXLEAF LEAF-LINES...: a `cpuid -r` dump
dump() {
	local f=$1 v=$2 max=$3
	shift 3
	{
		echo "CPU:"
		case $v in
		intel) printf '   0x00000000 0x00: eax=0x%08x ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n' "$max"
		       echo "   0x00000001 0x00: eax=0x000306c3 ebx=0x00100800 ecx=0x7ffafbff edx=0xbfebfbff" ;;
		amd)   printf '   0x00000000 0x00: eax=0x%08x ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n' "$max"
		       echo "   0x00000001 0x00: eax=0x00a00f11 ebx=0x00020800 ecx=0xfffa3203 edx=0x178bfbff" ;;
		esac
		printf '%s\n' "$@"
	} >"$f"
}

compare() { # NAME DUMP [SKIP-REGEX]: prints FAIL and returns 1 on a difference
	ref "$2" | grep -vE "${3:-^$}" >"$TMP/ref"
	ours "$2" | grep -vE "${3:-^$}" >"$TMP/ours"
	# Where the reference gives no ways, ours are not compared.
	paste -d' ' "$TMP/ref" "$TMP/ours" | awk '$4 == "-" { $8 = "-" } { print $1, $2, $3, $4 >"/dev/stderr"; print $5, $6, $7, $8 }' \
		2>"$TMP/ref.n" >"$TMP/ours.n"
	if [ "$(wc -l <"$TMP/ref")" != "$(wc -l <"$TMP/ours")" ] || ! cmp -s "$TMP/ref.n" "$TMP/ours.n"; then
		echo "FAIL [unit] $1: cpuid says '$(tr '\n' ';' <"$TMP/ref")', memscope '$(tr '\n' ';' <"$TMP/ours")'"
		return 1
	fi
}

# Every leaf 2 descriptor byte, 8 to a dump (never in a register's top byte:
# its bit 31 marks the register invalid; EAX[7:0] is the call count). cpuid's table also
# has 0x90/0x96/0x9b ("4K-256M", not in the SDM's table) and leaves out the
# 1G part of 0xc3 that the SDM lists ("also 1GByte pages, 4-way, 16 entries").
descs=$(seq 1 254 | grep -vxE '144|150|155|195')
failed=0 n=0
set -- $descs
while [ $# -gt 0 ]; do
	b=(0 0 0 0 0 0 0 0 0)
	for i in 0 1 2 3 4 5 6 7; do
		[ $# -gt 0 ] || break
		b[$i]=$1
		shift
		n=$((n + 1))
	done
	line=$(printf '   0x00000002 0x00: eax=0x00%02x%02x01 ebx=0x00%02x%02x%02x ecx=0x00%02x%02x%02x edx=0x00000000' \
		"${b[1]}" "${b[0]}" "${b[4]}" "${b[3]}" "${b[2]}" "${b[7]}" "${b[6]}" "${b[5]}")
	dump "$TMP/l2" intel 2 "$line"
	compare "tlb-leaf2-descriptors-$(printf '0x%02x..0x%02x' "${b[0]}" "${b[7]}")" "$TMP/l2" || failed=1
done
dump "$TMP/l2" intel 2 "   0x00000002 0x00: eax=0x00000001 ebx=0x000000c3 ecx=0x00000000 edx=0x00000000"
compare tlb-leaf2-descriptor-0xc3 "$TMP/l2" '^unified 1048576 16 4$' || failed=1
[ $failed = 0 ] && echo "PASS [unit] tlb-leaf2-descriptors-vs-cpuid ($((n + 1)) descriptors)"

# Whole leaf 2 words of real CPUs (descriptor order and register validity).
dump "$TMP/hsw" intel 13 "   0x00000002 0x00: eax=0x76036301 ebx=0x00f0b5ff ecx=0x00000000 edx=0x00c10000"
compare tlb-leaf2-haswell "$TMP/hsw" && echo "PASS [unit] tlb-leaf2-haswell-vs-cpuid"
dump "$TMP/inv" intel 13 "   0x00000002 0x00: eax=0x76036301 ebx=0x80b5ff00 ecx=0x00000000 edx=0x00c10000"
compare tlb-leaf2-invalid-register "$TMP/inv" && echo "PASS [unit] tlb-leaf2-invalid-register-vs-cpuid"

# Leaf 0x18: data, load-only, store-only and unified TLBs, fully and set associative.
dump "$TMP/l18" intel 0x1b \
	"   0x00000002 0x00: eax=0x00feff01 ebx=0x000000f0 ecx=0x00000000 edx=0x00000000" \
	"   0x00000018 0x00: eax=0x00000004 ebx=0x00000000 ecx=0x00000000 edx=0x00000000" \
	"   0x00000018 0x01: eax=0x00000000 ebx=0x00080007 ecx=0x00000080 edx=0x00000121" \
	"   0x00000018 0x02: eax=0x00000000 ebx=0x00040001 ecx=0x00000010 edx=0x00000024" \
	"   0x00000018 0x03: eax=0x00000000 ebx=0x00080002 ecx=0x00000004 edx=0x00000025" \
	"   0x00000018 0x04: eax=0x00000000 ebx=0x0008000b ecx=0x00000100 edx=0x00000043"
compare tlb-leaf18 "$TMP/l18" && echo "PASS [unit] tlb-leaf18-vs-cpuid"

# AMD: qemu's EPYC model, and this machine's CPU.
dump "$TMP/epyc" amd 0xd \
	"   0x80000000 0x00: eax=0x8000001f ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65" \
	"   0x80000005 0x00: eax=0xff40ff40 ebx=0xff40ff40 ecx=0x20080140 edx=0x20080140" \
	"   0x80000006 0x00: eax=0x48002200 ebx=0x68004200 ecx=0x02006140 edx=0x08009140"
compare tlb-amd-epyc "$TMP/epyc" && echo "PASS [unit] tlb-amd-epyc-vs-cpuid"
cpuid -1 -r >"$TMP/host"
compare tlb-this-cpu "$TMP/host" && echo "PASS [unit] tlb-this-cpu-vs-cpuid"
exit 0
