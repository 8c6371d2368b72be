# Bench (issue 5): the page census against page-types reading all of
# /proc/kpageflags, and against the floor of reading each struct page's flags
# word once (the same walk, classifying nothing), in the same VM run.
N=${BENCH_PAGES_N:-5}
pages=$(memscopectl pages --json | jq .totals.pages)
ms=$(benchtime "$N" memscopectl pages --json)
pt=$(benchtime "$N" page-types -r)
scan=0 floor=0 i=0
while [ $i -lt "$N" ]; do
	scan=$((scan + $(memscopectl pages --json | jq .scan_ns)))
	floor=$((floor + $(memscopectl pages --json --floor | jq .scan_ns)))
	i=$((i + 1))
done
echo "$ms $pt $scan $floor $pages $N" | awk '{ n = $5; printf "MSBENCH pages census: %.1f ns/page end to end (memscopectl), page-types %.1f ns/page: %.1fx faster (goal >= 10x)\n", $1 / n, $2 / n, $2 / $1;
	printf "MSBENCH pages census: in-kernel walk %.1f ns/page, flags-only floor %.1f ns/page, ratio %.2f (goal <= 2)\n", $3 / $6 / n, $4 / $6 / n, $3 / $4 }'
