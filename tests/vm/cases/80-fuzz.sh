# Netlink fuzzing (tests/fuzz/fuzz.c): 100000 random and mutated requests as
# root while 20000 more run as an unprivileged user (uid 65534, no
# capabilities) at the same time.  Every reply must be a clean error with an
# expected errno or a well-formed answer; a hang or malformed reply fails the
# case, a kernel splat fails the run (splats.sh).  The seed is printed in the
# result line: `fuzz --seed N --count M` replays a failure.
# memscope.fuzz_seed=N and memscope.fuzz_count=M on the kernel command line
# (run.sh --append) choose them.
. /memscope/lib.sh

seed=$(cmdline_arg memscope.fuzz_seed "$(date +%s)")
count=$(cmdline_arg memscope.fuzz_count 100000)
ucount=$((count / 5))
useed=$((seed + 1))

# First fill the TLB top table: 80 short-lived processes that flush, spread
# over the CPUs (the table keeps 32 per CPU), so GET_TLB_TOP with TOP_N 64
# has its largest answer (about 6 KiB: more than NLMSG_GOODSIZE, so the
# module sizes that reply for the entries it has).
memscopectl tlb --reset >/dev/null 2>&1
fuzz --flushers 80
out=$(memscopectl tlb --top=64 --json 2>&1)
check_eq tlb-top-64-full-table-exit $? 0
n=$(echo "$out" | jq '.top | length' 2>/dev/null)
echo "tlb --top=64 lists ${n:-no} processes"
if [ "${n:-0}" -gt 40 ]; then pass tlb-top-64-full-table-size; else fail tlb-top-64-full-table-size "only ${n:-no} processes listed: $(echo "$out" | head -c 200)"; fi

fuzz --seed "$seed" --count "$count" >/tmp/fuzz-root.out 2>&1 &
root_pid=$!
runas 65534 65534 fuzz --seed "$useed" --count "$ucount" >/tmp/fuzz-user.out 2>&1
user_rc=$?
wait $root_pid
root_rc=$?

sed 's/^/fuzz-root: /' /tmp/fuzz-root.out | head -n 40
sed 's/^/fuzz-user: /' /tmp/fuzz-user.out | head -n 40

why() { grep -m1 -E 'FUZZ-FAIL|fuzz:' "$1" | head -c 300; }
if [ $root_rc -eq 0 ] && grep -q "fuzz: PASS seed $seed" /tmp/fuzz-root.out; then
	pass "fuzz-root-$count-messages"
else
	fail "fuzz-root-$count-messages" "seed $seed (exit $root_rc): $(why /tmp/fuzz-root.out)"
fi
if [ $user_rc -eq 0 ] && grep -q "fuzz: PASS seed $useed" /tmp/fuzz-user.out; then
	pass "fuzz-unprivileged-$ucount-messages"
else
	fail "fuzz-unprivileged-$ucount-messages" "seed $useed (exit $user_rc): $(why /tmp/fuzz-user.out)"
fi

# Coverage: as root every command got past validation at least once.
line=$(grep '^fuzz: answered by command:' /tmp/fuzz-root.out)
missing=$(echo "$line" | tr ' ' '\n' | grep -E '^[A-Z_]+=0/' | tr '\n' ' ')
if [ -n "$line" ] && [ -z "$missing" ]; then
	pass fuzz-every-command-answered
else
	fail fuzz-every-command-answered "never answered: ${missing:-no summary}"
fi

# The module still answers, and no dump holds it.
check fuzz-module-still-answers memscopectl info
