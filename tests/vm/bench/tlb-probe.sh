# Bench (issue 7): cost of the tlb_flush probe, as the time of an mprotect
# loop (two threads: every change sends a shootdown IPI) with the module
# counting over the time without the module, in the same VM run. Runs
# alternate, five of each, and the medians are compared. Goal: <= 1.02.
N=${BENCH_TLB_N:-20000}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
: >/tmp/with
: >/tmp/without
for i in 1 2 3 4 5; do
	tlbstress mprotect2 "$N" >>/tmp/with
	rmmod memscope
	tlbstress mprotect2 "$N" >>/tmp/without
	insmod /memscope/memscope.ko
done
w=$(median </tmp/with)
wo=$(median </tmp/without)
echo "$w $wo" | awk -v n="$N" '{ printf "MSBENCH tlb probe: mprotect loop %.0f ns/iter counting, %.0f ns/iter without the module, ratio %.3f (goal <= 1.02)\n", $1 / n, $2 / n, $1 / $2 }'
