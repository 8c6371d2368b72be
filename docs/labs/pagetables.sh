#!/bin/sh
# Lab: what page tables cost (docs/labs/pagetables.md).
. "$(dirname "$0")/lib.sh"

pt() { jq '.pt_pages.pte + .pt_pages.pmd + .pt_pages.pud + .pt_deposited' "$1"; }

step "1. Dense: 256 MiB touched page by page"
pt0=$(census pagetable)
start /tmp/lab-dense.out touchmem nothp 256
waitfor /tmp/lab-dense.out ready
run memscopectl task $LAB_PID
task_json $LAB_PID >/tmp/lab-task.json
expect dense-pte "one PTE table (4 KiB) maps 2 MiB: 128 tables for 256 MiB" "$(jq .pt_pages.pte /tmp/lab-task.json)" 128 140
vp=$(status_kb $LAB_PID VmPTE)
expect dense-vmpte "the tables memscope walked (kB) equal VmPTE" $(($(pt /tmp/lab-task.json) * 4)) "$vp" "$vp"
stop $LAB_PID

step "2. Sparse: one page every 2 MiB over 4 GiB of address space"
start /tmp/lab-sparse.out labmem sparse 4096
waitfor /tmp/lab-sparse.out ready
pid=$LAB_PID
run cat /tmp/lab-sparse.out
run memscopectl task $pid
task_json $pid >/tmp/lab-task.json
expect sparse-pte "2048 pages of data need 2048 PTE tables: as much memory again" "$(jq .pt_pages.pte /tmp/lab-task.json)" 2048 2060
vp=$(status_kb $pid VmPTE)
expect sparse-vmpte "equal to VmPTE (kB)" $(($(pt /tmp/lab-task.json) * 4)) "$vp" "$vp"
expect sparse-census "the page census' pagetable class grew by as much" $(($(census pagetable) - pt0)) 2040 2400
run grep -E '^PageTables' /proc/meminfo

step "3. Every process pays for its own tables"
say "Four processes of 64 MiB each: four sets of tables."
stop $pid
pt1=$(census pagetable) k1=$(meminfo_kb PageTables)
i=0
while [ $i -lt 4 ]; do
	start /tmp/lab-sh$i.out touchmem nothp 64
	i=$((i + 1))
done
i=0
while [ $i -lt 4 ]; do waitfor /tmp/lab-sh$i.out ready; i=$((i + 1)); done
show '^(CLASS|[a-z_]*(pagetable)[a-z_]* )' memscopectl pages --zone $ZONE
expect four-procs "4 processes x 64 MiB: 4 x 32 PTE tables (census, pages)" $(($(census pagetable) - pt1)) 128 200
expect four-procs-meminfo "PageTables in /proc/meminfo agrees (pages)" $((($(meminfo_kb PageTables) - k1) / 4)) 128 200
stop $LAB_PIDS

step "4. Huge pages need no PTE table"
# touchmem maps one huge page more than asked (to align THP): 129 needed.
set_sysctl /proc/sys/vm/nr_hugepages 130
start /tmp/lab-hp.out touchmem hugetlb 256
waitfor /tmp/lab-hp.out ready
run memscopectl task $LAB_PID
task_json $LAB_PID >/tmp/lab-task.json
expect hugetlb-no-pte "256 MiB in 2 MiB pages: almost no PTE table (those are the program's own)" \
	"$(jq .pt_pages.pte /tmp/lab-task.json)" 0 8
stop $LAB_PID
lab_end
