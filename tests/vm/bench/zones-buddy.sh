# Bench (issue 4): memscope's zones + buddy against the /proc files that show
# the same, in the same VM run. Ratios < 1 mean memscope is faster.
N=${BENCH_N:-200}
# End to end: memscopectl zones --json + buddy --json (two processes) against
# cat /proc/zoneinfo + cat /proc/pagetypeinfo (two busybox processes).
anchor=$(benchtime "$N" cat /proc/zoneinfo - cat /proc/pagetypeinfo)
ms=$(benchtime "$N" memscopectl zones --json - memscopectl buddy --json)
echo "$ms $anchor" | awk '{ printf "MSBENCH zones+buddy end-to-end: memscope %.0f us, /proc anchor %.0f us, ratio %.2f (goal <= 1)\n", $1 / 1000, $2 / 1000, $1 / $2 }'
# The interfaces alone, in one process: two dumps parsed into records and
# rendered as JSON, against reading the two files.
nlprobe bench "$N" | awk '{ printf "MSBENCH zones+buddy in-process: memscope %.0f us (of which JSON %.0f us), /proc anchor %.0f us, ratio %.2f (goal <= 1)\n", $1 / 1000, $3 / 1000, $2 / 1000, $1 / $2 }'
