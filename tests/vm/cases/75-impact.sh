# The cost of every request, as the module measures and reports it
# (*_IRQOFF_MAX_NS, *_RESCHED_MAX_NS), against the bounds of docs/impact.md.
# Structural bounds (entries per lock hold) are exact; time bounds are loose
# because a TCG vCPU can be descheduled by the host in the middle of any
# stretch (2 host cores shared by several VMs), which no guest code can
# prevent, and still orders of magnitude below the soft-lockup (20 s) and
# RCU-stall (21 s; 60 s on the debug kernel) detectors.
. /memscope/lib.sh

# Loose time bounds: Debian kernels, and the debug kernel (KASAN-instrumented
# memory accesses, lockdep, kmemleak: the same walk costs 5-20 x more).
RESCHED_NS=200000000	# 200 ms
IRQOFF_NS=20000000	# 20 ms
case "$(uname -r)" in
*memscope-debug*) RESCHED_NS=2000000000 IRQOFF_NS=200000000 ;;
esac

touchmem nothp 256 >/tmp/impact.hold &
hold=$!
wait_for ready /tmp/impact.hold

for s in info zones buddy tlb tlb-top pages map "task $hold"; do
	name=${s%% *}
	# shellcheck disable=SC2086
	nlprobe impact $s >/tmp/impact.out 2>&1
	rc=$?
	n=$(wc -l </tmp/impact.out)
	read -r irq res <<EOF2
$(awk '{ if ($1 > i) i = $1; if ($2 > r) r = $2 } END { print i + 0, r + 0 }' /tmp/impact.out)
EOF2
	echo "impact: $name: $n messages, irqoff_max_ns $irq, resched_max_ns $res"
	check_eq "impact-$name-every-message" "$rc $([ "$n" -gt 0 ] && echo some)" "0 some"
	# Only the buddy walk disables interrupts (zone->lock, irqsave).
	if [ "$name" = buddy ]; then
		check "impact-$name-irqoff-bounded" test "$irq" -le $IRQOFF_NS
	else
		check_eq "impact-$name-no-irqoff" "$irq" 0
	fi
	check "impact-$name-resched-bounded" test "$res" -le $RESCHED_NS
done

# The task walk drops mmap_lock after 16384 entries (+ at most one PTE table
# of 512): 256 MiB of 4 KiB pages is 65536 PTEs, so at least 4 holds.
read -r _ _ holds ptes <<EOF2
$(nlprobe impact task $hold)
EOF2
echo "impact: task walk of $ptes PTEs in $holds mmap_lock holds"
check impact-task-holds-chunked test "$holds" -ge $(( (ptes + 16895) / 16896 ))
check impact-task-ptes-seen test "$ptes" -ge 65536
kill $hold
wait $hold 2>/dev/null || true
