# Load/unload races: 200 insmod/rmmod cycles while 4 readers dump every
# subject through netlink and debugfs, TLB-heavy work runs, a churn program
# forks/exits, maps/unmaps, splits THPs and compacts memory, and task walks
# run on processes that exit (or whose walker is killed) mid-walk. Splats and
# kmemleak are judged by the host and guest.sh after the final unload. Leaves
# the module loaded for guest.sh's unload checks.
. /memscope/lib.sh
D=/sys/kernel/debug/memscope
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

# A debugfs file held open across rmmod: the open file holds a module
# reference, so rmmod must refuse (not wait, not free the code under the
# reader) and reading the rest of the file must still work.
exec 3<$D/zones
head -c 64 <&3 >/dev/null
refs=$(cat /sys/module/memscope/refcnt)
if rmmod memscope 2>/dev/null; then
	fail reload-debugfs-open-blocks-rmmod "rmmod succeeded with $D/zones open"
	insmod /memscope/memscope.ko
else
	check_eq reload-debugfs-open-blocks-rmmod "$([ "$refs" -ge 1 ] && echo held)" held
fi
check reload-debugfs-read-after-failed-rmmod grep -q '^Node 0' <&3
exec 3<&-
check reload-rmmod-after-close rmmod memscope
insmod /memscope/memscope.ko

rm -f /tmp/reload.stop /tmp/reader.* /tmp/churn.out
# A pause after each request leaves rmmod moments when no reader holds the
# module (each dump and each open debugfs file holds a reference).
reader() { # N: every subject through netlink, then every debugfs file
	nl=0 fs=0
	while [ ! -e /tmp/reload.stop ]; do
		for c in info zones buddy pages "map --width 64" tlb "tlb --top=5" "task --vmas $$"; do
			# shellcheck disable=SC2086
			memscopectl $c >/dev/null 2>&1 && nl=$((nl + 1))
			usleep 100000
		done
		for f in info zones buddy tlb pages map; do
			cat $D/$f >/dev/null 2>&1 && fs=$((fs + 1))
			usleep 100000
		done
	done
	echo "$nl $fs" >"/tmp/reader.$1"
}
# Task walks racing exit: the walked process is killed at once, and every
# other walker is killed mid-dump too.
exiter() {
	n=0
	while [ ! -e /tmp/reload.stop ]; do
		touchmem nothp 16 >/dev/null &
		victim=$!
		memscopectl task --vmas $victim >/dev/null 2>&1 &
		walker=$!
		kill $victim
		[ $((n % 2)) -eq 0 ] && kill $walker 2>/dev/null
		wait $victim $walker 2>/dev/null
		n=$((n + 1))
	done
	echo "$n" >/tmp/exiter.count
}

split0=$(vmstat thp_split_pmd)
(while [ ! -e /tmp/reload.stop ]; do tlbstress munmap2 200 >/dev/null; done) &
(while [ ! -e /tmp/reload.stop ]; do churn 5 >>/tmp/churn.out; done) &
for r in 1 2 3 4; do reader $r & done
exiter &

# memscope.reload_cycles=N on the kernel command line (run.sh --append)
# changes the count: the debug kernel runs fewer, each costs ~10x there.
cycles=$(cmdline_arg memscope.reload_cycles 200)
t0=$(date +%s)
i=0 ok=0 waits=0
# At most 15 minutes, so that a slow host fails reload-cycles instead of
# the whole boot timing out.
while [ $i -lt "$cycles" ] && [ $(($(date +%s) - t0)) -lt 900 ]; do
	# A reader mid-request holds a module reference (netlink dump, open
	# debugfs file): rmmod refuses with EAGAIN; retry for up to 60 s.
	t=0
	until rmmod memscope 2>/dev/null || [ $t -ge 6000 ]; do t=$((t + 1)); usleep 10000; done
	waits=$((waits + t))
	insmod /memscope/memscope.ko && ok=$((ok + 1))
	i=$((i + 1))
done
t1=$(date +%s)
touch /tmp/reload.stop
wait
lsmod | grep -q '^memscope' || insmod /memscope/memscope.ko
echo "reload: $ok of $cycles unload+load cycles in $((t1 - t0)) s (rmmod retried $waits x 10 ms while readers held the module)"
check_eq reload-cycles $ok "$cycles"
for r in 1 2 3 4; do
	read -r nl fs </tmp/reader.$r
	echo "reload: reader $r: $nl netlink replies, $fs debugfs reads"
	check_eq reload-reader$r-netlink-answered "$([ "${nl:-0}" -gt 0 ] && echo yes)" yes
	check_eq reload-reader$r-debugfs-answered "$([ "${fs:-0}" -gt 0 ] && echo yes)" yes
done
echo "reload: $(cat /tmp/exiter.count) task walks on exiting processes; churn: $(tr '\n' ';' </tmp/churn.out)"
check_eq reload-exit-mid-walk-ran "$([ "$(cat /tmp/exiter.count)" -gt 0 ] && echo yes)" yes
# The churn's THP splits, seen by the kernel's own counter.
check_eq reload-thp-splits-happened "$([ "$(vmstat thp_split_pmd)" -gt "$split0" ] && echo yes)" yes
check_eq reload-refcount-zero "$(cat /sys/module/memscope/refcnt)" 0
check reload-still-answers memscopectl zones
