# Bench (issue 7): cost of the tlb_flush probe, as the time of an mprotect
# (and a munmap) loop with the module counting over the time without the module, in the
# same VM run.  Goal: <= 1.02.
# The goal's figure comes from a 1-vCPU guest booted with qemu's
# -icount shift=0,sleep=off (make bench boots it for this bench alone): its
# clock advances by one nanosecond per guest instruction executed, so the
# host's load, which moved the same loop between 22 and 45 us per iteration,
# moves nothing there and a ratio repeats to the fourth digit. It counts the
# probe's instructions against the loop's, which on hardware overstates the
# probe's share (a TLB flush costs more than an instruction's time). qemu 7.2
# hangs bringing up a second vCPU under -icount, hence one vCPU.
# The loops are single-threaded and pinned to CPU 0 (tlbstress mprotect1 and
# munmap1 under taskset 1): each mprotect() or munmap() flushes locally, and
# the probe counts and attributes the flush (the attributed path is the
# probe's costliest).
# The main bench guest (2 vCPUs, real time) skips this bench: its
# single-threaded TCG runs the vCPUs in turns, so a shootdown IPI waits for
# the other vCPU's turn and the two-thread variant's pair ratios spread from
# 0.005 to 9.
# Each run reports its fastest batch (tlbstress N B); each round pairs a run
# with the module and one without it back to back (the order alternates
# between rounds, so a drift within a round favours neither side), and the
# figure is the median over rounds of the pair's ratio.
N=${BENCH_TLB_N:-1000}
B=${BENCH_TLB_BATCHES:-10}
ROUNDS=${BENCH_TLB_ROUNDS:-31}
if [ "$(nproc)" -ne 1 ]; then
	echo "MSBENCH tlb probe: measured in the 1-vCPU instruction-counted guest (make bench boots it next)"
	exit 0
fi
flushes() { memscopectl tlb --json | jq '[.totals[]] | add'; }
pin="taskset 1"
for mode in mprotect1 munmap1; do
	: >/tmp/with
	: >/tmp/without
	: >/tmp/ratios
	r=0
	while [ "$r" -lt "$ROUNDS" ]; do
		if [ $((r % 2)) -eq 0 ]; then
			f0=$(flushes)
			w=$($pin tlbstress $mode "$N" "$B")
			f1=$(flushes)
			rmmod memscope
			wo=$($pin tlbstress $mode "$N" "$B")
		else
			rmmod memscope
			wo=$($pin tlbstress $mode "$N" "$B")
			insmod /memscope/memscope.ko
			w=$($pin tlbstress $mode "$N" "$B")
			rmmod memscope
		fi
		insmod /memscope/memscope.ko
		echo "$w" >>/tmp/with
		echo "$wo" >>/tmp/without
		echo "$w $wo" | awk '{ printf "%.4f\n", $1 / $2 }' >>/tmp/ratios
		r=$((r + 1))
	done
	med=$(sort -n /tmp/ratios | sed -n "$(( (ROUNDS + 1) / 2 ))p")
	q1=$(sort -n /tmp/ratios | sed -n "$(( (ROUNDS + 3) / 4 ))p")
	q3=$(sort -n /tmp/ratios | sed -n "$(( (3 * ROUNDS + 3) / 4 ))p")
	w=$(sort -n /tmp/with | head -n 1)
	wo=$(sort -n /tmp/without | head -n 1)
	echo "$w $wo $med $q1 $q3" | awk -v r="$ROUNDS" -v m="${mode%1}" -v c=$((f1 - f0)) -v n="$N" '{ printf "MSBENCH tlb probe: %s loop (1 thread, local flushes; 1-vCPU guest, instruction-counted time under -icount), with the module counting / without it: median ratio of %d back-to-back pairs %.3f (goal <= 1.02; quartiles %.3f-%.3f); fastest runs %.0f vs %.0f ns/iter; the module counted %d flushes in a run of %d iterations\n", m, r, $3, $4, $5, $1, $2, c, n }'
	echo "MSBENCH tlb probe pair ratios $mode: $(tr '\n' ' ' </tmp/ratios)"
done
