# Bench: memscopectl zones --json + buddy --json, end to end (two processes),
# against reading /proc/zoneinfo + /proc/pagetypeinfo (two processes), in the
# same VM run. Ratio < 1 means memscope is faster.
N=${BENCH_N:-200}
anchor=$(benchtime "$N" cat /proc/zoneinfo - cat /proc/pagetypeinfo)
ms=$(benchtime "$N" memscopectl zones --json - memscopectl buddy --json)
echo "$ms $anchor" | awk '{ printf "MSBENCH zones+buddy: memscope %.0f us, /proc anchor %.0f us, ratio %.2f (goal <= 1)\n", $1 / 1000, $2 / 1000, $1 / $2 }'
