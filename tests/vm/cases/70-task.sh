# memscopectl task against /proc/PID/status (VmPTE) and smaps, with the
# scenario programs holding memory in known ways.
. /memscope/lib.sh

hold() { # MODE MIB
	rm -f /tmp/hold.out	# a stale "ready" from the last run must not count
	touchmem "$1" "$2" >/tmp/hold.out &
	hold_pid=$!
	i=0
	while ! grep -q ready /tmp/hold.out && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
}
release() { kill $hold_pid; wait $hold_pid 2>/dev/null || true; }
kb() { awk -v k="$2:" '$1 == k { print $2 }' "$1"; }

# task_check NAME: page tables and residency of $hold_pid against the kernel's views.
task_check() {
	memscopectl task --json --vmas $hold_pid >/tmp/task.json
	# VmPTE is mm_pgtables_bytes(): PTE, PMD and PUD tables, including the
	# PTE tables kept aside (deposited) for anonymous THPs, which a walk of
	# the tree cannot see; memscope reports those separately. Quiet process:
	# exact.
	got=$(jq '(.pt_pages.pte + .pt_pages.pmd + .pt_pages.pud + .pt_deposited) * 4' /tmp/task.json)
	check_eq "$1-vmpte" "$got" "$(kb /proc/$hold_pid/status VmPTE)"
	# Rss in smaps counts every resident non-hugetlb page; hugetlb pages go to
	# Private_Hugetlb/Shared_Hugetlb.
	got=$(jq '(.resident["4K"] * 4 + .resident["2M"] * 2048 + .resident["1G"] * 1048576) - .resident_pages_by_kind.hugetlb * 4' /tmp/task.json)
	check_eq "$1-rss" "$got" "$(kb /proc/$hold_pid/smaps_rollup Rss)"
	check_eq "$1-anonhuge" "$(jq '[.vmas[] | select(.hugetlb | not) | .huge_pmd] | add * 2048' /tmp/task.json)" \
		"$(kb /proc/$hold_pid/smaps_rollup AnonHugePages)"
	# Per VMA: smaps' Rss for each mapping, matched by start address.
	awk '/^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); start = r[1] } $1 == "Rss:" { print "0x" start, $2 }' \
		/proc/$hold_pid/smaps | sed 's/0x0*/0x/' | sort >/tmp/smaps.rss
	jq -r '.vmas[] | "\(.start) \(if .hugetlb then 0 else (.present + .huge_pmd * 512) * 4 end)"' /tmp/task.json |
		sort >/tmp/ms.rss
	check "$1-rss-per-vma" cmp /tmp/smaps.rss /tmp/ms.rss
}

hold nothp 64
task_check task-4k
check task-4k-present test "$(jq .entries.present /tmp/task.json)" -ge $((64 * 256))
check_eq task-4k-no-huge "$(jq .entries.huge_pmd /tmp/task.json)" 0
check_match task-table "$(memscopectl task $hold_pid)" "Page tables (4 levels)"
check_match task-vmas-table "$(memscopectl task --vmas $hold_pid)" "[stack]"
check_match task-contig-admin "$(jq 'has("contig_2m_pages")' /tmp/task.json)" true
release

hold thp 64
task_check task-thp
check task-thp-huge test "$(jq .entries.huge_pmd /tmp/task.json)" -ge 30
check task-thp-deposited test "$(jq .pt_deposited /tmp/task.json)" -ge 30
release

echo 16 >/proc/sys/vm/nr_hugepages
hold hugetlb 16
task_check task-hugetlb
check_eq task-hugetlb-huge "$(jq '[.vmas[] | select(.hugetlb) | .huge_pmd] | add' /tmp/task.json)" 8
check_eq task-hugetlb-smaps "$(jq '.resident_pages_by_kind.hugetlb * 4' /tmp/task.json)" \
	"$(awk '$1 == "Private_Hugetlb:" { s += $2 } END { print s }' /proc/$hold_pid/smaps)"
release
echo 0 >/proc/sys/vm/nr_hugepages

# Errors and privileges.
out=$(memscopectl task 999999 2>&1)
check_eq task-no-such-pid-exit $? 6
check_match task-no-such-pid-message "$out" "no such process"
out=$(memscopectl task 2 2>&1)
check_eq task-kthread-exit $? 1
check_match task-kthread-message "$out" "kernel thread"
check task-pid1 memscopectl task 1
out=$(su -s /bin/sh nobody -c "memscopectl task 1" 2>&1)
check_eq task-nobody-root-process-exit $? 4
check_one_line task-nobody-one-line "$out"
out=$(su -s /bin/sh nobody -c 'touchmem nothp 4 >/dev/null & p=$!; sleep 1; memscopectl task --json $p; kill $p' 2>&1)
check_eq task-nobody-own-process "$(echo "$out" | jq 'has("contig_2m_pages")')" false
out=$(memscopectl task abc 2>&1)
check_eq task-bad-pid-exit $? 2

# A process that forks and exits in a loop, walked 300 times.
(while :; do sh -c 'exit 0'; done) &
loop=$!
i=0 ok=0
while [ $i -lt 300 ]; do memscopectl task $loop >/dev/null 2>&1 && ok=$((ok + 1)); i=$((i + 1)); done
kill $loop; wait $loop 2>/dev/null
check_eq task-walks-forking-process $ok 300

# TLB geometry: the kernel's own CPUID decoding prints the last-level dTLB at boot.
want=$(dmesg | sed -n 's/.*Last level dTLB entries: 4KB \([0-9]*\), 2MB \([0-9]*\).*/\1 \2/p' | head -n 1)
# The kernel's "last level" is L2, falling back to L1 where CPUID gives L2 no
# 2M entries (arch/x86/kernel/cpu/amd.c).
got=$(memscopectl tlb --geometry --json | jq -r 'def last(kb): [.tlbs[] | select(.kind != "instruction" and .page_kb == kb)] |
	sort_by(.level) | (last | .entries) // 0; "\(last(4)) \(last(2048))"')
echo "tlb geometry: kernel '$want', memscope '$got'"
check_eq tlb-geometry-matches-kernel "$got" "$want"
