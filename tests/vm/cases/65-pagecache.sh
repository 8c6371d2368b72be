# Page cache on a real (RAM-disk) ext4 file system: dirty pages after a write
# without sync, clean after sync, gone after drop_caches.
. /memscope/lib.sh
. /memscope/mm.sh

if ! load_guest_modules || [ ! -b /dev/ram0 ]; then
	fail pagecache-setup "no brd/ext4 modules for this kernel"
	exit 0
fi
mke2fs -q /dev/ram0 >/dev/null 2>&1
mkdir -p /mnt/disk
check pagecache-mount mount -t ext4 /dev/ram0 /mnt/disk

fd() { memscopectl pages --json | jq '.totals.classes.active_file_dirty + .totals.classes.inactive_file_dirty'; }
# Two flusher rules would write the 100 MiB back before the census sees it:
# - dirty_expire_centisecs (30 s): the census comparison below can take
#   longer than that on the debug kernel, so the expiry is 10 minutes here;
# - the per-device background threshold: a device's share of the background
#   limit follows its share of recent writeback completions, ~0 for a RAM
#   disk that never wrote, so the flusher's next wakeup (5 s) writes it all.
#   min_ratio=99 gives this device 99% of the background limit.
expire=$(cat /proc/sys/vm/dirty_expire_centisecs)
echo 60000 >/proc/sys/vm/dirty_expire_centisecs
echo 99 >/sys/block/ram0/bdi/min_ratio
before=$(fd)
dd if=/dev/zero of=/mnt/disk/f bs=1M count=100 2>/dev/null
compare_census census-dirty-file
after=$(fd)
echo "pagecache: file dirty pages $before -> $after"
# 100 MiB = 25600 pages stay dirty: below the background threshold (10% of
# memory) and younger than dirty_expire_centisecs. Bound: at least 80%.
check pagecache-dirty-rose test $((after - before)) -ge 20480
echo "$expire" >/proc/sys/vm/dirty_expire_centisecs
echo 0 >/sys/block/ram0/bdi/min_ratio
sync
compare_census census-after-sync
check pagecache-clean-after-sync test "$(fd)" -lt 1024
file=$(memscopectl pages --json | jq '.totals.classes.active_file + .totals.classes.inactive_file')
echo 3 >/proc/sys/vm/drop_caches
compare_census census-after-drop-caches
file2=$(memscopectl pages --json | jq '.totals.classes.active_file + .totals.classes.inactive_file')
echo "pagecache: file pages $file -> $file2 after drop_caches"
check pagecache-dropped test $((file - file2)) -ge 20480
umount /mnt/disk
