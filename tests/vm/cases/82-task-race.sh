# GET_TASK --vmas on a process whose VMA count changes during the walk: the
# walk drops mmap_lock every millisecond, so the process can add VMAs in
# the middle of it.  The VMA array is sized before the walk; more VMAs than
# it holds must be counted but not written past its end (KASAN on the debug
# kernel reports such a write; a stock kernel corrupts its heap silently).
. /memscope/lib.sh

vmagrow 1500 1500 >/tmp/vmagrow.out 2>&1 &
pid=$!
wait_for ready /tmp/vmagrow.out
check task-race-grower-ready grep -q ready /tmp/vmagrow.out

fails=0 listed_max=0 most=0 drops=0
i=0
while [ $i -lt 5 ]; do
	# A walk takes well under a second; 300 s means it hangs.
	if timeout 300 memscopectl task $pid --vmas --json >/tmp/t.json 2>/tmp/t.err; then
		n=$(jq '.nr_vmas' /tmp/t.json)
		l=$(jq '.vmas | length' /tmp/t.json)
		[ "$l" -le "$n" ] || fails=$((fails + 1))
		[ "$n" -gt "$most" ] && most=$n
		[ "$l" -gt "$listed_max" ] && listed_max=$l
	else
		fails=$((fails + 1))
		cat /tmp/t.err
	fi
	i=$((i + 1))
done
kill $pid
wait $pid 2>/dev/null
echo "task race: 5 walks, up to $most VMAs seen, up to $listed_max listed"
check_eq task-race-5-walks-consistent "$fails" 0
check task-race-module-still-answers memscopectl info
