# Every command answers on a fresh socket (fuzz --probe opens one per
# request).  A dump's first skb then holds NLMSG_GOODSIZE bytes (about
# 3.7 KiB) unless the module asks for more, and one GET_ZONES message grows
# by 36 bytes per online CPU: about 80 CPUs overflow it.  Boot with
# `tests/vm/run.sh --smp 96 --cases 83-fresh-socket` to check that case.
. /memscope/lib.sh

fuzz --probe >/tmp/p.out 2>&1
rc=$?
echo "fresh-socket: $(grep -c ^processor /proc/cpuinfo) CPUs online"
sed 's/^/fresh-socket: /' /tmp/p.out
check_eq fresh-socket-probe-exit $rc 0
for c in GET_INFO GET_ZONES GET_BUDDY GET_TLB GET_TLB_TOP GET_PAGES GET_MAP GET_TASK_SELF; do
	check_match "fresh-socket-$c" "$(grep "^probe $c " /tmp/p.out)" "probe $c ok"
done
