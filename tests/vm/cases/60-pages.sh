# Page census against page-types (/proc/kpageflags), zoneinfo, vmstat and
# meminfo, on a quiet VM and in the states the course teaches.
. /memscope/lib.sh
. /memscope/mm.sh

J=/tmp/pages.json
memscopectl pages --json >$J
check_eq pages-kinds-partition "$(jq -r --argjson k "$(memscopectl info --json | jq '.page_classes | index("mlocked")')" \
	'[.zones[] | .pages - ([.classes | to_entries[:$k][] | .value] | add)] | map(select(. != 0)) | length' $J)" 0
check pages-scan-ns test "$(jq .scan_ns $J)" -gt 0
# The walk yields every 4096 pfns: under TCG a stretch takes a few ms at most;
# 50 ms bounds it (the soft-lockup detector fires at 20 s).
check pages-resched-bounded test "$(jq '[.zones[].resched_max_ns] | max' $J)" -lt 50000000
# Every online pfn of every populated zone is scanned once. Per zone, the
# census covers at least the zone's present pages (zoneinfo) and at most the
# pfns of its span that have a memmap (page-types over start_pfn + spanned,
# less the pfns kpageflags marks nopage). Memmap-backed holes (firmware
# ranges) count where the kernel assigned them: page_zone(), which userspace
# cannot see, so they are the slack between the two bounds.
zoneinfo_kv | awk '$3 == "start_pfn" { s[$1 " " $2] = $4 } $3 == "spanned" { n[$1 " " $2] = $4 }
	$3 == "present" { p[$1 " " $2] = $4 } END { for (k in s) print k, s[k] "+" n[k], p[k] }' |
while read -r node zone range present; do
	# one pass: the total row, and the rows whose flags name nopage
	set -- $(page-types -r -a "$range" 2>/dev/null | awk -F'\t' '$1 ~ /^0x/ && $3 ~ /(^|,)nopage(,|$)/ {
		split($2, w, " "); h += w[1] } $1 ~ /total/ { split($2, w, " "); t = w[1] } END { print t + 0, h + 0 }')
	all=$1 holes=$2
	got=$(jq --argjson n "$node" --arg z "$zone" '.zones[] | select(.node == $n and .zone == $z) | .pages' $J)
	echo "$node/$zone ${got:--1} $present $((all - ${holes:-0}))"
done >/tmp/scan.cmp
bounded pages-scanned-covers-zones /tmp/scan.cmp
compare_census census-quiet

out=$(memscopectl pages)
check_match pages-table-explains "$out" "on the buddy allocator's free lists"
check_match pages-table-flags "$out" "(flags: these overlap the kinds above)"
check_match pages-debugfs "$(cat /sys/kernel/debug/memscope/pages)" "inactive_file"
out=$(memscopectl pages --zone Bogus 2>&1)
check_eq pages-bad-zone-exit $? 6

# shmem/tmpfs: 200 MiB written to a tmpfs file.
mkdir -p /mnt/shm && mount -t tmpfs -o size=300m tmpfs /mnt/shm
dd if=/dev/zero of=/mnt/shm/f bs=1M count=200 2>/dev/null
compare_census census-shmem-200m
shm=$(memscopectl pages --json | jq '.totals.classes.shmem')
check census-shmem-counted test "$shm" -ge $((200 * 256))
rm /mnt/shm/f

# Hugetlb pages reserved, then in use.
echo 32 >/proc/sys/vm/nr_hugepages
compare_census census-hugetlb-reserved
check_eq census-hugetlb-free "$(memscopectl pages --json | jq '.totals.classes.hugetlb_free')" $((32 * 512))
hold() { # MODE MIB: start touchmem and wait until it holds its memory
	rm -f /tmp/hold.out	# a stale "ready" from the last run must not count
	touchmem "$1" "$2" >/tmp/hold.out &
	hold_pid=$!
	wait_for ready /tmp/hold.out
}
release() { kill $hold_pid; wait $hold_pid 2>/dev/null || true; }

hold hugetlb 16
compare_census census-hugetlb-used
check_eq census-hugetlb-used-pages "$(memscopectl pages --json | jq '.totals.classes.hugetlb')" $((8 * 512))
release
echo 0 >/proc/sys/vm/nr_hugepages

# Anonymous memory touched, in 4 KiB pages and in transparent huge pages.
hold nothp 64
compare_census census-anon-touched
release
hold thp 64
compare_census census-thp
check census-thp-anon test "$(memscopectl pages --json | jq '.totals.classes.thp_anon')" -ge $((60 * 256))
release

# mlock'd memory: counted as mlocked and unevictable.
hold mlock 32
compare_census census-mlocked
check census-mlocked-pages test "$(memscopectl pages --json | jq '.totals.classes.mlocked')" -ge $((32 * 256))
release

# Slab-heavy: 20000 files in tmpfs grow the dentry and inode caches.
mkdir -p /mnt/shm/many
i=0
while [ $i -lt 200 ]; do mkdir /mnt/shm/many/$i; touch /mnt/shm/many/$i/a /mnt/shm/many/$i/b; i=$((i + 1)); done
compare_census census-slab-heavy
rm -rf /mnt/shm/many
umount /mnt/shm

# The physical map: admin only, one block per pageblock, valid SVG.
out=$(su -s /bin/sh nobody -c "memscopectl map" 2>&1)
check_eq map-nobody-exit $? 4
check_match map-nobody-message "$out" "needs CAP_SYS_ADMIN"
pb=$(memscopectl map --json | jq '.blocks | length')
spanned=$(awk '/^Node/ { z = 1 } /spanned/ && z { s += $2 } END { print s }' /proc/zoneinfo)
check map-covers-memory test "$pb" -ge $((spanned / 512))
memscopectl map --svg /tmp/map.svg >/dev/null
check_match map-svg-root "$(head -c 300 /tmp/map.svg)" "<svg xmlns=\"http://www.w3.org/2000/svg\""
check_eq map-svg-closed "$(tail -n 1 /tmp/map.svg)" "</svg>"
check_eq map-svg-balanced "$(grep -c '<rect' /tmp/map.svg)" "$(grep -c '</rect>\|/>' /tmp/map.svg)"
for w in 80 200; do
	out=$(memscopectl map --no-color --width $w)
	longest=$(echo "$out" | awk '{ if (length($0) > m) m = length($0) } END { print m }')
	check map-width-$w test "$longest" -le $w
done
check_match map-legend "$(memscopectl map --no-color)" "page cache"
out=$(memscopectl map --start 0x100000000 2>&1)
check_eq map-range-outside-exit $? 1
check_match map-range-outside-message "$out" "beyond the last pfn"
out=$(memscopectl map --start 1000 --end 10 2>&1)
check_eq map-range-reversed-exit $? 2
check_match debugfs-map "$(head -n 2 /sys/kernel/debug/memscope/map)" "one char per pageblock"
