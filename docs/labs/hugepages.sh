#!/bin/sh
# Lab: huge pages and the TLB (docs/labs/hugepages.md).
. "$(dirname "$0")/lib.sh"

step "1. What the TLB can cover"
run memscopectl tlb --geometry
show '^(ORDER|all types)' memscopectl buddy --zone $ZONE
before=$(free_ge 9)
bbefore=$(buddyinfo_free_ge 9)

step "2. Reserve 64 huge pages (128 MiB) for hugetlbfs"
say "Each huge page is one order-9 block taken off the buddy free lists."
set_sysctl /proc/sys/vm/nr_hugepages 64
show '^(ORDER|all types)' memscopectl buddy --zone $ZONE
after=$(free_ge 9)
bafter=$(buddyinfo_free_ge 9)
expect reserved "the kernel reserved 64 huge pages" "$(cat /proc/sys/vm/nr_hugepages)" 64 64
# Freed memory can merge back into order-9 blocks meanwhile (measured 58..64).
expect order9-fell "order-9+ free memory fell by 64 blocks of 2 MiB (memscope)" $((before - after)) 48 64
expect order9-fell-buddyinfo "the same seen in /proc/buddyinfo" $((bbefore - bafter)) 48 64
show '^hugetlb' memscopectl pages --zone $ZONE
expect census-hugetlb-free "the page census counts 64 x 512 free hugetlb pages, as HugePages_Free" \
	"$(census hugetlb_free)" $(($(meminfo_kb HugePages_Free) * 512)) $(($(meminfo_kb HugePages_Free) * 512))

step "3. A process maps 32 MiB of them"
start /tmp/lab-huge.out touchmem hugetlb 32
waitfor /tmp/lab-huge.out ready
pid=$LAB_PID
show 'Mappings|Resident|TLB reach|could hold' memscopectl task $pid
task_json $pid >/tmp/lab-task.json
expect task-2m-mappings "memscope sees 16 2 MiB mappings" "$(jq '.resident["2M"]' /tmp/lab-task.json)" 16 16
hkb=$(awk '$1 == "Private_Hugetlb:" { s += $2 } END { print s + 0 }' /proc/$pid/smaps)
expect task-hugetlb-smaps "its hugetlb pages equal smaps' Private_Hugetlb (kB)" \
	"$(jq '.resident_pages_by_kind.hugetlb * 4' /tmp/lab-task.json)" "$hkb" "$hkb"
expect census-hugetlb-used "the census counts 16 huge pages in use" "$(census hugetlb)" $((16 * 512)) $((16 * 512))
h_entries=$(jq .tlb_reach.entries_needed /tmp/lab-task.json)
stop $pid

step "4. The same 32 MiB in 4 KiB pages"
start /tmp/lab-4k.out touchmem nothp 32
waitfor /tmp/lab-4k.out ready
pid=$LAB_PID
show 'Mappings|pte|TLB reach|could hold' memscopectl task $pid
task_json $pid >/tmp/lab-task.json
k_entries=$(jq .tlb_reach.entries_needed /tmp/lab-task.json)
expect task-4k-mappings "at least 8192 4 KiB mappings" "$(jq '.resident["4K"]' /tmp/lab-task.json)" 8192 9000
# The program's own text and stack take the same few dozen 4 KiB entries in both.
expect entries-more "4 KiB pages need 8192 - 16 more TLB entries for the same data" \
	$((k_entries - h_entries)) 8100 8300
expect pte-vs-vmpte "its page tables (pte+pmd+pud, kB) equal VmPTE" \
	"$(jq '(.pt_pages.pte + .pt_pages.pmd + .pt_pages.pud + .pt_deposited) * 4' /tmp/lab-task.json)" \
	"$(status_kb $pid VmPTE)" "$(status_kb $pid VmPTE)"
stop $pid

step "5. Transparent huge pages: the same without reserving"
run cat /sys/kernel/mm/transparent_hugepage/enabled
start /tmp/lab-thp.out touchmem thp 32
waitfor /tmp/lab-thp.out ready
pid=$LAB_PID
show 'Mappings|TLB reach' memscopectl task $pid
task_json $pid >/tmp/lab-task.json
ahp=$(awk '$1 == "AnonHugePages:" { print $2 }' /proc/$pid/smaps_rollup)
expect thp-2m "THP maps most of 32 MiB with 2 MiB pages" "$(jq '.resident["2M"]' /tmp/lab-task.json)" 12 16
expect thp-smaps "memscope's 2 MiB anonymous mappings equal smaps' AnonHugePages (kB)" \
	"$(jq '.entries.huge_pmd * 2048' /tmp/lab-task.json)" "$ahp" "$ahp"
stop $pid
lab_end
