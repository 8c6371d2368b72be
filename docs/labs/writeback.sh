#!/bin/sh
# Lab: dirty page writeback and its tunables (docs/labs/writeback.md).
. "$(dirname "$0")/lib.sh"

dirty() { census active_file_dirty inactive_file_dirty; }
# wait_dirty_below PAGES SECS: poll /proc/vmstat until nr_dirty < PAGES; the
# seconds it took.
wait_dirty_below() {
	_t=0
	while [ "$(vmstat nr_dirty)" -ge "$1" ] && [ $_t -lt $(($2 * 10)) ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	echo $((_t / 10))
}

lab_disk || exit 1
V=/proc/sys/vm
step "1. The tunables"
for f in dirty_ratio dirty_background_ratio dirty_bytes dirty_background_bytes dirty_expire_centisecs dirty_writeback_centisecs; do
	echo "$f = $(cat $V/$f)"
done
say "Let dirty data pile up: background writeback from 50% of dirtyable memory,"
say "expiry after an hour. The flusher still wakes every dirty_writeback_centisecs"
say "(5 s) to check. (Changing that interval wakes the flusher to write everything"
say "dirty at once: leave it alone while measuring.)"
set_sysctl $V/dirty_ratio 80
set_sysctl $V/dirty_background_ratio 50
set_sysctl $V/dirty_expire_centisecs 360000

step "2. Write 200 MiB without sync"
d0=$(dirty) n0=$(vmstat nr_dirty)
run dd if=/dev/zero of=/mnt/lab/big bs=1M count=200
show '^(CLASS|[a-z_]*(file|dirty|writeback)[a-z_]* )' memscopectl pages --zone $ZONE
run grep -E '^(Dirty|Writeback):' /proc/meminfo
d1=$(dirty) n1=$(vmstat nr_dirty)
expect dirty-rose "the census' dirty file pages rose by about 200 MiB (51200 pages)" $((d1 - d0)) 46000 53000
expect dirty-rose-vmstat "/proc/vmstat nr_dirty rose by as much" $((n1 - n0)) 46000 53000

step "3. Lower the background threshold to 16 MiB: the flusher writes back"
w0=$(vmstat nr_written)
set_sysctl $V/dirty_background_bytes $((16 << 20))
secs=$(wait_dirty_below $((20 << 8)) 30)
say "nr_dirty fell under 20 MiB after about ${secs}s"
show '^(CLASS|[a-z_]*(dirty|writeback)[a-z_]* )' memscopectl pages --zone $ZONE
d2=$(dirty)
# Background writeback stops once under the threshold: 16 MiB, with up to
# 4 MiB written back late or still in flight.
expect background-flush "dirty pages fell to the 16 MiB background threshold (4096 pages)" "$d2" 0 $((20 << 8))
expect written-vmstat "/proc/vmstat nr_written rose by what left the dirty state" \
	$(($(vmstat nr_written) - w0)) $(((d1 - d2) * 9 / 10)) 100000

step "4. Expiry: dirty data older than dirty_expire_centisecs is written"
rm -f /mnt/lab/big
set_sysctl $V/dirty_background_ratio 50
run dd if=/dev/zero of=/mnt/lab/small bs=1M count=8
d3=$(dirty)
expect small-dirty "8 MiB more dirty pages" "$d3" 2000 $((20 << 8))
set_sysctl $V/dirty_expire_centisecs 200
secs=$(wait_dirty_below 64 30)
say "all written back after about ${secs}s"
show '^(CLASS|[a-z_]*(dirty|writeback)[a-z_]* )' memscopectl pages --zone $ZONE
expect expired "after expiry (2 s) and a flusher pass (every 5 s): nothing dirty" "$(dirty)" 0 256
set_sysctl $V/dirty_expire_centisecs 360000

step "5. dirty_bytes: a writer is throttled at the limit"
set_sysctl $V/dirty_background_bytes $((8 << 20))
set_sysctl $V/dirty_bytes $((32 << 20))
rm -f /mnt/lab/small /tmp/lab-maxdirty
dd if=/dev/zero of=/mnt/lab/big bs=1M count=120 2>/dev/null &
ddpid=$!
max=0
while kill -0 $ddpid 2>/dev/null; do
	n=$(vmstat nr_dirty)
	[ "$n" -gt "$max" ] && max=$n
	sleep 0.05
done
wait $ddpid
say "while dd wrote 120 MiB, nr_dirty peaked at $((max / 256)) MiB"
show '^(CLASS|[a-z_]*(dirty|writeback)[a-z_]* )' memscopectl pages --zone $ZONE
# balance_dirty_pages() lets a writer run until the global dirty count passes
# the limit, then sleeps it: the peak stays near 32 MiB (8192 pages); the
# per-task ratelimit (32 pages before the first check) and pages in flight
# can overshoot a little.
expect throttled "nr_dirty never went far above dirty_bytes (8192 pages)" "$max" 0 $((8192 * 5 / 4))
expect census-under-limit "the census agrees: under the limit at the end" "$(dirty)" 0 $((8192 * 5 / 4))
lab_end
