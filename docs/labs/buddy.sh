#!/bin/sh
# Lab: the buddy allocator and fragmentation (docs/labs/buddy.md).
. "$(dirname "$0")/lib.sh"

step "1. The free lists of an idle machine"
say "Free memory sits in blocks of 2^order pages. After boot almost all of it"
say "is in the largest blocks (order 10 = 4 MiB), of migratetype Movable."
show '^(ORDER|all types|Movable|unusable)' memscopectl buddy --zone $ZONE
o0=$(free_order 0)
big=$(free_ge 9)
# The zone with the most free memory (DMA32 in the VM, Normal on most
# machines): its node, name, order-9 unusable index (x1000), order-0 blocks
# and free pages, from one read.
u9_of_biggest() {
	memscopectl buddy --json | jq -r '[.zones[] | { z: .zone, n: .node, u: (.unusable_index[9] * 1000 | round),
		o: .free_blocks[0], f: ([.free_blocks | to_entries[] | .value * pow(2; .key)] | add) }] |
		max_by(.f) | "\(.n) \(.z) \(.u) \(.o) \(.f)"'
}
set -- $(u9_of_biggest)
u9=$3 z0=$4

step "2. Fragment 256 MiB: keep every other physical page"
say "fragment maps 256 MiB, touches it, then frees each page whose buddy (pfn ^ 1)"
say "it keeps. A freed page cannot merge with a buddy in use: it stays order 0."
start /tmp/lab-frag.out fragment 256
waitfor /tmp/lab-frag.out ready
freed=$(awk '/ready/ { print $2 }' /tmp/lab-frag.out)
say "fragment freed $freed pages ($((freed / 256)) MiB) and holds the others"
# Freed pages pass through the per-CPU lists before they reach the buddy
# lists: a few hundred pages per CPU on 6.1; since 6.7 the kernel tunes pcp
# high up for CPUs that free a lot and lets it decay once a second, so on
# 6.12 most of them show only after some seconds. Wait for 60% (20 s at most).
settle $((o0 + freed * 6 / 10)) $((o0 + freed + 2048)) 20 free_order 0 >/dev/null
show '^(ORDER|all types|Movable|unusable)' memscopectl buddy --zone $ZONE
bi1=$(buddyinfo_order 0)
o0b=$(free_order 0)
bi2=$(buddyinfo_order 0)
ext_u9() {
	awk -v n="$1," -v z="$2" '$2 == n && $4 == z { printf "%d", $(5 + 9) * 1000 + 0.5 }' \
		/sys/kernel/debug/extfrag/unusable_index 2>/dev/null
}
set -- $(u9_of_biggest)
node=$1 zone=$2
e1=$(ext_u9 $node $zone)
set -- $(u9_of_biggest)
u9b=$3 z0b=$4 zfree=$5
e2=$(ext_u9 $node $zone)
expect order0-rose "order-0 free blocks rose by about the $freed pages freed" \
	$((o0b - o0)) $((freed * 6 / 10)) $((freed + 2048))
# /proc/buddyinfo read just before and after; the forks of this script move
# a few dozen blocks between reads.
lo=$((bi1 < bi2 ? bi1 : bi2)) hi=$((bi1 < bi2 ? bi2 : bi1))
expect order0-equals-buddyinfo "memscope's order-0 count agrees with /proc/buddyinfo" \
	"$o0b" $((lo - 64)) $((hi + 64))
# fragment's first pages came from the small blocks free before it, so the
# index rises by less than its new order-0 blocks' share when it did not start
# at 0; it is at least that share (a rounding unit less) whatever the start.
say "order-9 unusable index of $zone: $u9 before, $u9b now (x1000)"
expect unusable9-counts-fragments "the order-9 unusable index of zone $zone (x1000) counts fragment's order-0 blocks" \
	"$u9b" $(((z0b - z0) * 1000 / zfree - 1)) 1000
# Read just before and after memscope's; 0.010 for pages freed meanwhile.
[ -z "$e1" ] || expect unusable9-equals-extfrag "memscope's order-9 unusable index equals debugfs extfrag's (x1000)" \
	"$u9b" $(((e1 < e2 ? e1 : e2) - 10)) $(((e1 < e2 ? e2 : e1) + 10))

step "3. A huge page is not free memory, it is a free order-9 block"
say "The $((freed / 256)) MiB just freed count in MemFree but cannot give a single 2 MiB page."
run memscopectl map --width 64 --no-color

step "4. The holder exits: every freed page finds its buddy again"
stop $LAB_PID
# Again the per-CPU lists: a freed page whose buddy still waits on one cannot
# merge. Wait (10 s at most) for two thirds of the rise to merge away, then
# count what the per-CPU lists hold (memscope's pagesets, /proc/zoneinfo's
# "count:").
settle 0 $((o0 + (o0b - o0) / 3)) 10 free_order 0 >/dev/null
# pcp first: both only fall as the lists drain, so order 0 read after it is
# bounded by it.
pcp=$(memscopectl zones --json | jq '[.zones[].pagesets[].count] | add')
o0c=$(free_order 0)
say "$pcp pages wait on the per-CPU lists (memscopectl zones --json: pagesets)"
bigc=$(free_ge 9)
show '^(ORDER|all types|Movable)' memscopectl buddy --zone $ZONE
expect order0-merged "order-0 blocks fell back to where they started, but for buddies of pages on per-CPU lists" \
	"$o0c" 0 $((o0 + pcp + 1024))
expect big-blocks-back "order-9+ free memory (in 2 MiB units) came back" "$bigc" $((big - 32)) $((big + 256))
lab_end
