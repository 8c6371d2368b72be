# Bench (issue 7): cost of the tlb_flush probe, as the time of an mprotect
# loop (two threads: every change sends a shootdown IPI) with the module
# counting over the time without the module, in the same VM run.
# Under TCG on a shared host, a vCPU can be descheduled at any moment, which
# only ever adds time; so each run reports its fastest batch (tlbstress N B)
# and each side keeps its fastest run over rounds that alternate with and
# without the module. The ratio of the two minima is the probe's own cost.
# Goal: <= 1.02.
N=${BENCH_TLB_N:-4000}
B=${BENCH_TLB_BATCHES:-40}
ROUNDS=${BENCH_TLB_ROUNDS:-5}
: >/tmp/with
: >/tmp/without
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	tlbstress mprotect2 "$N" "$B" >>/tmp/with
	rmmod memscope
	tlbstress mprotect2 "$N" "$B" >>/tmp/without
	insmod /memscope/memscope.ko
	r=$((r + 1))
done
w=$(sort -n /tmp/with | head -n 1)
wo=$(sort -n /tmp/without | head -n 1)
echo "$w $wo" | awk -v r="$ROUNDS" -v b="$B" '{ printf "MSBENCH tlb probe: mprotect loop %.0f ns/iter counting, %.0f ns/iter without the module (fastest of %d batches x %d rounds each), ratio %.3f (goal <= 1.02)\n", $1, $2, b, r, $1 / $2 }'
echo "MSBENCH tlb probe samples (ns/iter): with: $(tr '\n' ' ' </tmp/with) without: $(tr '\n' ' ' </tmp/without)"
