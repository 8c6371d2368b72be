#!/bin/sh
# Lab: demand paging, copy-on-write, minor and major faults (docs/labs/faults.md).
. "$(dirname "$0")/lib.sh"

step "1. Demand paging: mapping memory allocates nothing"
anon0=$(census anon)
start /tmp/lab-demand.out labmem demand 64
waitfor /tmp/lab-demand.out mapped
pid=$LAB_PID
show 'resident|Mappings|Entries|Resident' memscopectl task $pid
run grep -E 'VmSize|VmRSS' /proc/$pid/status
task_json $pid >/tmp/lab-task.json
anon_smaps() { awk '$1 == "Anonymous:" { print $2 }' /proc/$1/smaps_rollup; }
a0=$(jq .resident_pages_by_kind.anon /tmp/lab-task.json) r0=$(anon_smaps $pid)
expect mapped-not-resident "64 MiB mapped, under 1 MiB of anonymous memory resident" \
	"$(jq '.resident_pages_by_kind.anon' /tmp/lab-task.json)" 0 256

step "2. Touch every page: one minor fault per page"
kill -USR1 $pid
waitfor /tmp/lab-demand.out touched
run cat /tmp/lab-demand.out
show 'resident|Mappings|Entries|Resident' memscopectl task $pid
task_json $pid >/tmp/lab-task.json
minflt=$(field /tmp/lab-demand.out minflt)
expect demand-minor-faults "touching 16384 pages took 16384 minor faults (getrusage)" "$minflt" 16384 16640
# The process is quiet: memscope's walk and smaps' walk see the same change.
# (Not RssAnon: 6.1 batches a task's RSS counter updates, 64 at a time.)
r1=$(anon_smaps $pid)
expect demand-resident-smaps "memscope's resident anonymous memory grew as smaps' Anonymous did (kB)" \
	$((($(jq .resident_pages_by_kind.anon /tmp/lab-task.json) - a0) * 4)) $((r1 - r0)) $((r1 - r0))
expect demand-census "the page census gained 16384 anonymous pages" $(($(census anon) - anon0)) 16000 17400
stop $pid

step "3. fork(): parent and child share every page, write-protected"
start /tmp/lab-cow.out labmem cow 64
waitfor /tmp/lab-cow.out ready
parent=$LAB_PID
anon1=$(census anon)
kb1=$(meminfo_kb AnonPages)
kill -USR1 $parent
waitfor /tmp/lab-cow.out child
child=$(awk '/^child/ { print $2 }' /tmp/lab-cow.out)
LAB_PIDS="$LAB_PIDS $child"
show 'Entries' memscopectl task $parent
show 'Entries' memscopectl task $child
run grep -E 'Shared_Dirty|Private_Dirty' /proc/$child/smaps_rollup
task_json $child >/tmp/lab-child.json
task_json $parent >/tmp/lab-parent.json
expect cow-child-present "the child's page table maps the 16384 pages at once" \
	"$(jq .entries.present /tmp/lab-child.json)" 16384 17000
# Only pages touched since fork (stack, a few data pages) are writable.
expect cow-child-readonly "none of them writable in the child" "$(jq .entries.writable /tmp/lab-child.json)" 0 200
expect cow-parent-readonly "nor in the parent: fork write-protected its entries too" \
	"$(jq .entries.writable /tmp/lab-parent.json)" 0 200
sd=$(awk '$1 == "Shared_Dirty:" { print $2 }' /proc/$child/smaps_rollup)
expect cow-shared-smaps "smaps: the child's 64 MiB are Shared_Dirty (kB)" "$sd" 65536 70000
expect cow-no-copy-yet "no page copied yet: census anon unchanged" $(($(census anon) - anon1)) -300 300

step "4. The child writes every page: one copy-on-write fault each"
kill -USR1 $child
waitfor /tmp/lab-cow.out written
run grep written /tmp/lab-cow.out
show 'Entries' memscopectl task $child
run grep -E 'Shared_Dirty|Private_Dirty' /proc/$child/smaps_rollup
task_json $child >/tmp/lab-child.json
expect cow-faults "16384 copy-on-write faults (minor, getrusage)" "$(field /tmp/lab-cow.out minflt)" 16384 16640
expect cow-child-writable "the child's entries are writable again, on its own copies" \
	"$(jq .entries.writable /tmp/lab-child.json)" 16384 17000
pd=$(awk '$1 == "Private_Dirty:" { print $2 }' /proc/$child/smaps_rollup)
expect cow-private-smaps "smaps: now Private_Dirty (kB)" "$pd" 65536 70000
expect cow-copied-census "the census gained 16384 anonymous pages (the copies)" $(($(census anon) - anon1)) 16000 17400
expect cow-copied-meminfo "AnonPages rose by as much (pages)" $((($(meminfo_kb AnonPages) - kb1) / 4)) 16000 17400
stop $child $parent

step "5. Major faults: pages that must be read from the disk"
lab_disk || exit 1
dd if=/dev/zero of=/mnt/lab/data bs=1M count=32 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches
file0=$(census active_file inactive_file)
maj0=$(vmstat pgmajfault)
start /tmp/lab-map.out labmem mapfile /mnt/lab/data
waitfor /tmp/lab-map.out mapped
kill -USR1 $LAB_PID
waitfor /tmp/lab-map.out read
run cat /tmp/lab-map.out
majflt=$(field /tmp/lab-map.out majflt)
# Readahead brings 128 KiB or more per read it starts; the rest of the 8192
# pages are then found in the page cache: minor faults, or none at all
# (fault-around maps 16 cached pages per fault). A fault that had to wait for
# a page still being read counts as major for the process (getrusage), but
# only faults that started a read count in /proc/vmstat's pgmajfault.
expect major-faults "reading a 32 MiB file through mmap: some major faults" "$majflt" 1 8192
expect major-fewer "readahead: far fewer major faults than the 8192 pages" "$majflt" 1 2048
expect major-vmstat "/proc/vmstat pgmajfault: the faults that started a read" $(($(vmstat pgmajfault) - maj0)) 1 "$majflt"
expect major-cache "the page cache gained the file's 8192 pages (census)" $(($(census active_file inactive_file) - file0)) 7800 9000
stop $LAB_PID
start /tmp/lab-map2.out labmem mapfile /mnt/lab/data
waitfor /tmp/lab-map2.out mapped
kill -USR1 $LAB_PID
waitfor /tmp/lab-map2.out read
run cat /tmp/lab-map2.out
expect minor-only "a second reader: all in the page cache, no major fault" "$(field /tmp/lab-map2.out majflt)" 0 0
stop $LAB_PID
lab_end
