# The labs (docs/labs/*.sh) in check mode: each prints what a student sees and
# one MSTEST line per observation it promises, checked against /proc and
# memscope's --json. A lab that stops early fails here.
. /memscope/lib.sh

for l in /memscope/labs/*.sh; do
	name=$(basename "$l" .sh)
	[ "$name" = lib ] && continue
	if [ -f /memscope/labs.only ] && ! grep -qw -- "$name" /memscope/labs.only; then
		continue
	fi
	echo "MSLAB $name"
	t0=$(date +%s)
	LAB_MODE=check sh "$l" >/tmp/lab.out 2>&1
	rc=$?
	cat /tmp/lab.out
	if [ $rc -eq 0 ] && grep -q "^=== $name: " /tmp/lab.out; then
		pass "lab-$name-completes"
	else
		fail "lab-$name-completes" "exit $rc before its end: $(grep -v MSTEST /tmp/lab.out | tail -n 3 | tr '\n' ' ')"
	fi
	echo "MSLAB-TIME $name $(($(date +%s) - t0))s"
done
