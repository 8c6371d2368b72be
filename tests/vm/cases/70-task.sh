# memscopectl task against /proc/PID/status (VmPTE) and smaps, with the
# scenario programs holding memory in known ways.
. /memscope/lib.sh

hold() { # MODE MIB
	: >/tmp/hold.out	# a stale "ready" from the last run must not count
	touchmem "$1" "$2" >/tmp/hold.out &
	hold_pid=$!
	wait_for ready /tmp/hold.out
}
release() { kill $hold_pid; wait $hold_pid 2>/dev/null || true; }
# hold_file MIB PATH: touchmem file, as hold.
hold_file() {
	: >/tmp/hold.out
	touchmem file "$1" "$2" >/tmp/hold.out &
	hold_pid=$!
	wait_for ready /tmp/hold.out
}
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

# smaps_vmas PID: one line per VMA, "start rss shared_clean shared_dirty
# private_clean private_dirty pss locked swap" in kB, from /proc/PID/smaps
# (the vsyscall gate page is no VMA of the mm: left out). The vDSO's Pss is
# its size over the number of processes mapping it, and the pipelines that
# read smaps are more processes than memscopectl alone: not compared ("x").
smaps_vmas() {
	awk 'function out() { if (s != "") print "0x" s, f["Rss"] + 0, f["Shared_Clean"] + 0, f["Shared_Dirty"] + 0,
		f["Private_Clean"] + 0, f["Private_Dirty"] + 0, f["Pss"] == "x" ? "x" : f["Pss"] + 0,
		f["Locked"] + 0, f["Swap"] + 0 }
	/^[0-9a-f]+-[0-9a-f]+ / { out(); split($1, r, "-"); s = r[1]; delete f; vdso = $6 == "[vdso]"; next }
	$3 == "kB" { k = $1; sub(":", "", k); f[k] = $2; if (vdso && k == "Pss") f[k] = "x" }
	END { out() }' "/proc/$1/smaps" | grep -v '^0xffffffffff600000 ' | sed 's/^0x0*/0x/' | sort
}
# The same from memscope's JSON (file $1).
MS_SHARE='(.share.shared_clean + .share.shared_dirty + .share.private_clean + .share.private_dirty) / 1024,
	.share.shared_clean / 1024, .share.shared_dirty / 1024, .share.private_clean / 1024,
	.share.private_dirty / 1024, (.share.pss / 1024 | floor), (.share.locked / 1024 | floor)'
ms_vmas() {
	jq -r ".vmas[] | . as \$v | [.start, $MS_SHARE, .swap * 4] | if \$v.name == \"[vdso]\" then .[6] = \"x\" else . end |
		map(tostring) | join(\" \")" "$1" | sort
}
# The whole process against smaps_rollup, same fields.
smaps_total() {
	awk '$3 == "kB" { k = $1; sub(":", "", k); f[k] = $2 }
	END { print f["Rss"] + 0, f["Shared_Clean"] + 0, f["Shared_Dirty"] + 0, f["Private_Clean"] + 0,
		f["Private_Dirty"] + 0, f["Pss"] + 0, f["Locked"] + 0, f["Swap"] + 0 }' "/proc/$1/smaps_rollup"
}
ms_total() {
	jq -r "[$MS_SHARE, .entries.swap * 4] | map(tostring) | join(\" \")" "$1"
}

# share_check NAME PID: Rss, Shared/Private clean/dirty, Pss, Locked and Swap
# per VMA and in total, exactly: the process is quiet (paused, static binary).
share_check() {
	memscopectl task --json --vmas "$2" >/tmp/share.json
	smaps_vmas "$2" >/tmp/smaps.share
	ms_vmas /tmp/share.json >/tmp/ms.share
	if cmp -s /tmp/smaps.share /tmp/ms.share; then
		pass "$1-smaps-per-vma"
	else
		fail "$1-smaps-per-vma" "start rss sc sd pc pd pss locked swap: $(diff /tmp/smaps.share /tmp/ms.share | grep '^[-+]0x' | head -n 6 | tr '\n' ' ')"
	fi
	# Totals: exact but Pss, which moves by the vDSO's share (8 kB at most).
	got=$(ms_total /tmp/share.json) want=$(smaps_total "$2")
	check_eq "$1-smaps-total" "$(echo "$got" | cut -d' ' -f1-5,7-)" "$(echo "$want" | cut -d' ' -f1-5,7-)"
	echo "pss $(echo "$got" | cut -d' ' -f6) $(echo "$want" | awk '{ print $6 - 8, $6 + 8 }')" >/tmp/pss.bound
	bounded "$1-smaps-pss" /tmp/pss.bound
}

hold nothp 64
task_check task-4k
share_check task-4k $hold_pid
check_eq task-4k-private-dirty "$(jq '.share.private_dirty >= 64 * 1048576' /tmp/share.json)" true
check task-4k-present test "$(jq .entries.present /tmp/task.json)" -ge $((64 * 256))
check_eq task-4k-no-huge "$(jq .entries.huge_pmd /tmp/task.json)" 0
check_match task-table "$(memscopectl task $hold_pid)" "Page tables (4 levels)"
check_match task-vmas-table "$(memscopectl task --vmas $hold_pid)" "[stack]"
check_match task-contig-admin "$(jq 'has("contig_2m_pages")' /tmp/task.json)" true
release

hold thp 64
task_check task-thp
share_check task-thp $hold_pid
check task-thp-huge test "$(jq .entries.huge_pmd /tmp/task.json)" -ge 30
check task-thp-deposited test "$(jq .pt_deposited /tmp/task.json)" -ge 30
release

echo 16 >/proc/sys/vm/nr_hugepages
hold hugetlb 16
task_check task-hugetlb
share_check task-hugetlb $hold_pid
check_eq task-hugetlb-huge "$(jq '[.vmas[] | select(.hugetlb) | .huge_pmd] | add' /tmp/task.json)" 8
check_eq task-hugetlb-smaps "$(jq '.resident_pages_by_kind.hugetlb * 4' /tmp/task.json)" \
	"$(awk '$1 == "Private_Hugetlb:" { s += $2 } END { print s }' /proc/$hold_pid/smaps)"
release
echo 0 >/proc/sys/vm/nr_hugepages

# THP as the system setting says, without advice: always gives huge PMDs,
# never none.
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp_was=$(sed 's/.*\[\(.*\)\].*/\1/' $thp)
for mode in always never; do
	echo $mode >$thp
	hold anon 64
	task_check task-thp-$mode
	share_check task-thp-$mode $hold_pid
	if [ $mode = always ]; then
		check task-thp-always-huge test "$(jq .entries.huge_pmd /tmp/task.json)" -ge 30
	else
		check_eq task-thp-never-no-huge "$(jq .entries.huge_pmd /tmp/task.json)" 0
	fi
	release
done
echo "$thp_was" >$thp

# mlock: smaps' Locked (Pss of VM_LOCKED VMAs).
hold mlock 16
share_check task-mlock $hold_pid
check task-mlock-locked test "$(jq .share.locked /tmp/share.json)" -ge $((16 << 20))
release

# Copy on write: a forked child shares the parent's 32 MiB (Shared_Dirty in
# both) until it writes the first half, which then turns Private_Dirty in
# both processes.
hold cow 32
child=$(awk '$1 == "ready" { print $2 }' /tmp/hold.out)
share_check task-cow-parent-before $hold_pid
check task-cow-shared-before test "$(jq .share.shared_dirty /tmp/share.json)" -ge $((32 << 20))
share_check task-cow-child-before "$child"
kill -USR1 "$child"
wait_for written /tmp/hold.out
share_check task-cow-child-after "$child"
check task-cow-child-private-after test "$(jq .share.private_dirty /tmp/share.json)" -ge $((16 << 20))
share_check task-cow-parent-after $hold_pid
check task-cow-parent-private-after test "$(jq .share.private_dirty /tmp/share.json)" -ge $((16 << 20))
kill "$child"
release

# A shared file mapping on a RAM-disk ext4: the first half read (clean), the
# second written (dirty). Writeback would clean pages between the two reads:
# dirty pages expire after an hour for the time of the check.
if load_guest_modules && [ -b /dev/ram0 ]; then
	mkdir -p /mnt/task
	mke2fs -q /dev/ram0 >/dev/null 2>&1
	if mount -t ext4 /dev/ram0 /mnt/task; then
		expire=$(cat /proc/sys/vm/dirty_expire_centisecs)
		echo 360000 >/proc/sys/vm/dirty_expire_centisecs
		hold_file 16 /mnt/task/mapped
		task_check task-file
		share_check task-file $hold_pid
		check_eq task-file-resident "$(jq '.resident_pages_by_kind.file >= 4096' /tmp/task.json)" true
		check task-file-clean test "$(jq .share.private_clean /tmp/share.json)" -ge $((8 << 20))
		check task-file-dirty test "$(jq .share.private_dirty /tmp/share.json)" -ge $((8 << 20))
		release
		echo "$expire" >/proc/sys/vm/dirty_expire_centisecs
		umount /mnt/task
	else
		fail task-file-setup "mount ext4 on /dev/ram0 failed"
	fi
else
	fail task-file-setup "no brd/ext4 modules for this kernel"
fi

# Swap: zram from the kernel package; MADV_PAGEOUT pushes 32 MiB out.
if [ -e /sys/block/zram0 ] || [ -f /memscope/modules/zram.ko ]; then
	[ -e /sys/block/zram0 ] || load_guest_modules
	echo 256M >/sys/block/zram0/disksize
	mkswap /dev/zram0 >/dev/null 2>&1
	if swapon /dev/zram0; then
		hold pageout 32
		share_check task-swap $hold_pid
		check task-swap-pushed test "$(jq .entries.swap /tmp/share.json)" -ge $((32 * 256 * 9 / 10))
		check_eq task-swap-per-vma "$(jq '[.vmas[].swap] | add' /tmp/share.json)" "$(jq .entries.swap /tmp/share.json)"
		release
		swapoff /dev/zram0
	else
		fail task-swap-setup "swapon /dev/zram0 failed"
	fi
else
	fail task-swap-setup "no zram module for this kernel"
fi

# An address range (--range START-END, hex as in /proc/PID/maps): whole VMAs
# against their smaps; half a VMA against what the scenario touched.
hold nothp 64
awk '{ split($1, r, "-"); print r[1], r[2] }' /proc/$hold_pid/maps | grep -v '^ffffffffff600000' >/tmp/maps
lo=$(sed -n 1p /tmp/maps | cut -d' ' -f1)
hi=$(sed -n 3p /tmp/maps | cut -d' ' -f2)
memscopectl task --json --range "$lo-$hi" $hold_pid >/tmp/range.json
check_eq task-range-vmas "$(jq .nr_vmas /tmp/range.json)" 3
smaps_vmas $hold_pid >/tmp/smaps.all
for a in $(head -n 3 /tmp/maps | cut -d' ' -f1); do grep "^0x$(echo "$a" | sed 's/^0*//') " /tmp/smaps.all; done |
	awk '{ for (i = 2; i <= 9; i++) s[i] += $i } END { print s[2], s[3], s[4], s[5], s[6], s[8], s[9] }' >/tmp/smaps.range
check_eq task-range-smaps "$(ms_total /tmp/range.json | cut -d' ' -f1-5,7-)" "$(cat /tmp/smaps.range)"
big=$(awk '{ print $2, $1 }' /tmp/maps | while read -r e s; do echo "$(( 0x$e - 0x$s )) $s $e"; done | sort -n | tail -n 1)
set -- $big
half=$(printf '%x' $(( 0x$2 + (32 << 20) )))
memscopectl task --json --range "$2-$half" $hold_pid >/tmp/range.json
check_eq task-range-half-present "$(jq .entries.present /tmp/range.json)" $((32 * 256))
check_eq task-range-echo "$(jq -r .range.start /tmp/range.json)" "0x$2"
out=$(memscopectl task --range 2000-1000 $hold_pid 2>&1)
check_eq task-range-reversed-exit $? 2
check_one_line task-range-reversed-one-line "$out"
release

# A task exiting during the walks: every answer is a result or a clean error.
hold nothp 256
(i=0; while [ $i -lt 20 ]; do memscopectl task $hold_pid >/dev/null 2>/tmp/exit.err; echo $?; i=$((i + 1)); done) >/tmp/exit.rc &
walker=$!
sleep 1
kill -9 $hold_pid
wait $walker
wait $hold_pid 2>/dev/null
check_eq task-exit-during-walks "$(sort -u /tmp/exit.rc | grep -v -x -e 0 -e 1 -e 6 | tr '\n' ' ')" ""

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

# A process that forks and exits in a loop, walked 1000 times: 100 by
# memscopectl, the rest by nlprobe on one socket through the tool's own
# request and parsing code (a thousand memscopectl starts cost minutes under
# TCG). memscope.task_walks=N on the kernel command line: the debug kernel,
# where each walk and fork costs ~20x, runs fewer.
walks=$(cmdline_arg memscope.task_walks 1000)
(while :; do sh -c 'exit 0'; done) &
loop=$!
i=0 ok=0 tool=$((walks < 100 ? walks : 100))
while [ $i -lt "$tool" ]; do memscopectl task $loop >/dev/null 2>&1 && ok=$((ok + 1)); i=$((i + 1)); done
out=$(nlprobe walks $loop $((walks - tool)) 2>&1)
kill $loop; wait $loop 2>/dev/null
check_eq task-walks-forking-process "$ok; $out" "$tool; $((walks - tool)) walks, last error 0"

# TLB geometry: the kernel's own CPUID decoding prints the last-level dTLB at boot.
want=$(dmesg | sed -n 's/.*Last level dTLB entries: 4KB \([0-9]*\), 2MB \([0-9]*\).*/\1 \2/p' | head -n 1)
# The kernel's "last level" is L2, falling back to L1 where CPUID gives L2 no
# 2M entries (arch/x86/kernel/cpu/amd.c).
got=$(memscopectl tlb --geometry --json | jq -r 'def last(kb): [.tlbs[] | select(.kind != "instruction" and .page_kb == kb)] |
	sort_by(.level) | (last | .entries) // 0; "\(last(4)) \(last(2048))"')
echo "tlb geometry: kernel '$want', memscope '$got'"
check_eq tlb-geometry-matches-kernel "$got" "$want"
