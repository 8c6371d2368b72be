# Bench (issue 4): memscope's zones + buddy against the /proc files that show
# the same, in the same VM run. Ratios < 1 mean memscope is faster.
# Under TCG on a shared host, a vCPU can be descheduled at any moment, which
# only ever adds time. So both sides run in short alternating batches (each
# sees the same host conditions) and each side keeps its fastest batch.
R=${BENCH_ROUNDS:-15}
N=${BENCH_N:-8}
# End to end: memscopectl zones --json + buddy --json (two processes) against
# cat /proc/zoneinfo + cat /proc/pagetypeinfo (two busybox processes).
: >/tmp/ms
: >/tmp/proc
r=0
while [ "$r" -lt "$R" ]; do
	benchtime "$N" memscopectl zones --json - memscopectl buddy --json >>/tmp/ms
	benchtime "$N" cat /proc/zoneinfo - cat /proc/pagetypeinfo >>/tmp/proc
	r=$((r + 1))
done
ms=$(sort -n /tmp/ms | head -n 1)
anchor=$(sort -n /tmp/proc | head -n 1)
echo "$ms $anchor" | awk -v r="$R" -v n="$N" '{ printf "MSBENCH zones+buddy end-to-end: memscope %.0f us, /proc anchor %.0f us (fastest of %d alternating batches of %d), ratio %.2f (goal <= 1)\n", $1 / 1000, $2 / 1000, r, n, $1 / $2 }'
# The interfaces alone, in one process: two dumps parsed into records and
# rendered as JSON, against reading the two files.
nlprobe bench 200 | awk '{ printf "MSBENCH zones+buddy in-process: memscope %.0f us (of which JSON %.0f us), /proc anchor %.0f us, ratio %.2f (goal <= 1)\n", $1 / 1000, $3 / 1000, $2 / 1000, $1 / $2 }'
