# Load, count under load, unload: 200 times while TLB-heavy work and readers
# run. Leaves the module loaded for guest.sh's unload checks.
. /memscope/lib.sh

(while :; do tlbstress munmap2 200 >/dev/null; done) &
load=$!
(while :; do memscopectl tlb >/dev/null 2>&1; cat /sys/kernel/debug/memscope/tlb >/dev/null 2>&1; done) &
reader=$!
i=0
ok=0
while [ $i -lt 200 ]; do
	# A reader mid-request holds a module reference: rmmod waits for it.
	t=0
	until rmmod memscope 2>/dev/null || [ $t -ge 200 ]; do t=$((t + 1)); usleep 10000; done
	insmod /memscope/memscope.ko && ok=$((ok + 1))
	i=$((i + 1))
done
kill $load $reader
wait $load $reader 2>/dev/null
lsmod | grep -q '^memscope' || insmod /memscope/memscope.ko
echo "reload: $ok of 200 unload+load cycles completed while readers ran"
check_eq reload-200-cycles $ok 200
check reload-still-answers memscopectl tlb
