# Bench (issue 6): walking a process with 1 GiB resident in 4 KiB pages
# (262144 PTEs, the most work per byte) with memscopectl task, against
# reading its /proc/PID/smaps and smaps_rollup, in the same VM run.
# Ratios > 1 mean memscope is faster.
. /memscope/lib.sh
N=${BENCH_TASK_N:-10}
touchmem nothp 1024 >/tmp/bench-task.out &
pid=$!
wait_for ready /tmp/bench-task.out
rss=$(awk '$1 == "VmRSS:" { print $2 }' /proc/$pid/status)
ms=$(benchtime "$N" memscopectl task --json $pid)
smaps=$(benchtime "$N" cat /proc/$pid/smaps)
rollup=$(benchtime "$N" cat /proc/$pid/smaps_rollup)
hold=$(memscopectl task --json $pid | jq .lock_hold_max_ns)
walk=0 i=0
while [ $i -lt "$N" ]; do
	walk=$((walk + $(memscopectl task --json $pid | jq .walk_ns)))
	i=$((i + 1))
done
kill $pid
wait $pid 2>/dev/null
echo "$ms $smaps $rollup $walk $N $rss $hold" | awk '{ printf "MSBENCH task walk of %d MiB resident (4K pages): memscopectl task %.1f ms end to end (in-kernel walk %.1f ms, longest mmap_lock hold %.1f ms), /proc/PID/smaps %.1f ms: %.2fx faster (goal > 1); smaps_rollup %.1f ms: %.2fx\n",
	$6 / 1024, $1 / 1e6, $4 / $5 / 1e6, $7 / 1e6, $2 / 1e6, $2 / $1, $3 / 1e6, $3 / $1 }'
