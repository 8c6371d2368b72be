#!/bin/sh
# Lab: swap, swappiness and zram (docs/labs/swap.md).
. "$(dirname "$0")/lib.sh"

swap_used_kb() { echo $(($(meminfo_kb SwapTotal) - $(meminfo_kb SwapFree))); }
cg_stat() { awk -v k="$2" '$1 == k { print $2 }' /sys/fs/cgroup/$1/memory.stat; }

step "1. Swap in RAM: zram"
say "zram is a block device that compresses what is written to it, kept in RAM."
lab_swap || exit 1
run cat /proc/swaps
show '^(CLASS|[a-z_]*(anon|swap)[a-z_]* )' memscopectl pages --zone $ZONE

step "2. A process needs 96 MiB in a cgroup limited to 48 MiB"
say "The memory cgroup reclaims the process's own pages: anonymous pages can"
say "only go to swap. The page table keeps a swap entry where each page was."
set_sysctl /proc/sys/vm/swappiness 60
lab_cgroup lab-swap 48M
s0=$(swap_used_kb) out0=$(vmstat pswpout)
start_cg lab-swap /tmp/lab-swap.out labmem demand 96
waitfor /tmp/lab-swap.out mapped
pid=$LAB_PID
kill -USR1 $pid
waitfor /tmp/lab-swap.out touched
show 'resident|Entries|Resident' memscopectl task $pid
run grep -E 'VmRSS|VmSwap' /proc/$pid/status
show '^(CLASS|[a-z_]*(anon|swap)[a-z_]* )' memscopectl pages --zone $ZONE
task_json $pid >/tmp/lab-task.json
swapped=$(($(swap_used_kb) - s0))
expect swap-used "about 48 MiB went to swap (kB, /proc/meminfo)" "$swapped" 40000 60000
expect pswpout "/proc/vmstat pswpout counts those pages" $(($(vmstat pswpout) - out0)) 10000 16000
vs=$(status_kb $pid VmSwap)
expect task-swap-entries "swap entries in its page table (kB) equal VmSwap" \
	"$(jq '.entries.swap * 4' /tmp/lab-task.json)" $((vs - 256)) $((vs + 256))
expect task-resident-limited "resident anonymous memory stays within the 48 MiB limit (pages)" \
	"$(jq '.resident_pages_by_kind.anon' /tmp/lab-task.json)" 4096 12288
sc=$(vmstat nr_swapcached)
expect census-swapcache "the census' swap-cache pages agree with nr_swapcached (+-256)" \
	"$(census swapcache)" $((sc - 256)) $((sc + 256))

step "3. Lift the limit and touch again: swap-ins are major faults"
in0=$(vmstat pswpin)
run sh -c 'echo max > /sys/fs/cgroup/lab-swap/memory.max'
kill -USR1 $pid
waitfor /tmp/lab-swap.out touched 2
run tail -n 1 /tmp/lab-swap.out
show 'resident|Entries' memscopectl task $pid
task_json $pid >/tmp/lab-task.json
expect swapin-major "pages came back through major faults" "$(field /tmp/lab-swap.out majflt)" 1 16384
expect swapin-pswpin "/proc/vmstat pswpin counts the pages read back" $(($(vmstat pswpin) - in0)) 10000 16000
expect swapin-no-swap-entries "no swap entry left in its page table" "$(jq .entries.swap /tmp/lab-task.json)" 0 64
stop $pid

step "4. swappiness: anonymous memory or page cache?"
say "The same cgroup, without limit, holds a process's 40 MiB and a 32 MiB file it"
say "reads three times (page cache in use). Then its limit drops to 56 MiB: reclaim"
say "must free 16 MiB. Which does it take: file pages or anonymous ones?"
lab_disk || exit 1
dd if=/dev/zero of=/mnt/lab/data bs=1M count=32 2>/dev/null
sync
for sw in 0 200; do
	set_sysctl /proc/sys/vm/swappiness $sw
	echo 1 >/proc/sys/vm/drop_caches
	echo max >/sys/fs/cgroup/lab-swap/memory.max
	start_cg lab-swap /tmp/lab-sw.out touchmem nothp 40
	waitfor /tmp/lab-sw.out ready
	for i in 1 2 3; do in_cgroup lab-swap cat /mnt/lab/data >/dev/null; done
	file0=$(cg_stat lab-swap file)
	s0=$(swap_used_kb)
	run sh -c 'echo 56M > /sys/fs/cgroup/lab-swap/memory.max'
	swapped=$(($(swap_used_kb) - s0))
	file1=$(cg_stat lab-swap file)
	say "swappiness $sw: swapped $((swapped / 1024)) MiB; the cgroup's page cache went $((file0 >> 20)) -> $((file1 >> 20)) MiB"
	show '^(CLASS|[a-z_]*(file|anon|swap)[a-z_]* )' memscopectl pages --zone $ZONE
	eval "swapped_$sw=$swapped file_$sw=$file1"
	stop $LAB_PID
done
expect swappiness0-no-swap "swappiness 0: the cgroup reclaimed page cache and swapped nothing (kB)" "$swapped_0" 0 2048
expect swappiness0-file-dropped "swappiness 0: its page cache shrank below 24 MiB (bytes)" "$file_0" 0 $((24 << 20))
# The classic LRU (6.1) weighs anon against file by swappiness: at 200 it
# scans anonymous pages only. The multi-gen LRU (on by default in 6.12)
# evicts the oldest generation first and uses swappiness only between types
# of the same age: pages read through read() enter the oldest generation
# (their reuse is tracked in tiers), a process's faulted pages the youngest,
# so the file goes first there whatever swappiness says.
if [ "$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null || echo 0)" = 0x0000 ] ||
	[ ! -e /sys/kernel/mm/lru_gen/enabled ]; then
	expect swappiness200-swaps "classic LRU, swappiness 200: anonymous memory went to swap instead (kB)" \
		"$swapped_200" 8192 100000
	expect swappiness200-file-kept "classic LRU, swappiness 200: the page cache stayed above 24 MiB (bytes)" \
		"$file_200" $((24 << 20)) $((40 << 20))
else
	run cat /sys/kernel/mm/lru_gen/enabled
	expect mglru-oldest-first "multi-gen LRU, swappiness 200: the page cache, in the oldest generation, still went first (bytes)" \
		"$file_200" 0 $((24 << 20))
fi
lab_end
