#!/bin/sh
# Lab: the page cache and drop_caches (docs/labs/pagecache.md).
. "$(dirname "$0")/lib.sh"

fc() { census active_file inactive_file; }
dirty() { census active_file_dirty inactive_file_dirty; }
cached() { echo $(($(meminfo_kb Cached) / 4)); }

lab_disk || exit 1
# No flusher surprises during the lab: dirty data expires after an hour.
set_sysctl /proc/sys/vm/dirty_expire_centisecs 360000

step "1. Reading a file fills the page cache"
sync
echo 3 >/proc/sys/vm/drop_caches
show '^(CLASS|[a-z_]*(file)[a-z_]* )' memscopectl pages --zone $ZONE
f0=$(fc) c0=$(cached)
run dd if=/dev/zero of=/mnt/lab/data bs=1M count=64
run sync
echo 3 >/proc/sys/vm/drop_caches
f0=$(fc) c0=$(cached)
run cat /mnt/lab/data >/dev/null
show '^(CLASS|[a-z_]*(file)[a-z_]* )' memscopectl pages --zone $ZONE
f1=$(fc) c1=$(cached)
expect cache-filled "the census' file pages grew by the 16384 pages read" $((f1 - f0)) 16000 17400
expect cache-meminfo "Cached in /proc/meminfo grew by as much (pages)" $((c1 - c0)) 16000 17400

step "2. Read it again: the second use promotes pages to the active list"
run cat /mnt/lab/data >/dev/null
run cat /mnt/lab/data >/dev/null
show '^(CLASS|[a-z_]*(file)[a-z_]* )' memscopectl pages --zone $ZONE
run grep -E '^(Active|Inactive)\(file\)' /proc/meminfo

step "3. drop_caches=1 drops clean page cache"
run sync
f2=$(fc) c2=$(cached)
run sh -c 'echo 1 > /proc/sys/vm/drop_caches'
show '^(CLASS|[a-z_]*(file)[a-z_]* )' memscopectl pages --zone $ZONE
f3=$(fc) c3=$(cached)
expect dropped "file pages fell by at least the file's 16384" $((f2 - f3)) 16000 $((f2 + 1))
expect dropped-meminfo "so did Cached (pages)" $((c2 - c3)) 16000 $((c2 + 1))

step "4. Dirty pages survive drop_caches"
run dd if=/dev/zero of=/mnt/lab/dirty bs=1M count=32
d1=$(dirty)
run sh -c 'echo 1 > /proc/sys/vm/drop_caches'
show '^(CLASS|[a-z_]*(file|dirty)[a-z_]* )' memscopectl pages --zone $ZONE
d2=$(dirty)
expect dirty-written "32 MiB written without sync: 8192 dirty file pages" "$d1" 8000 9000
expect dirty-kept "drop_caches cannot drop them: still dirty after it" "$d2" 8000 9000
expect dirty-vmstat "/proc/vmstat nr_dirty agrees (+-256 pages)" "$(vmstat nr_dirty)" $((d2 - 256)) $((d2 + 256))
run sync
run sh -c 'echo 1 > /proc/sys/vm/drop_caches'
show '^(CLASS|[a-z_]*(file|dirty)[a-z_]* )' memscopectl pages --zone $ZONE
expect clean-then-dropped "after sync they are clean and drop_caches takes them" "$(dirty)" 0 256

step "5. drop_caches=2: the slab caches of dentries and inodes"
say "Walking /sys looks up every file there: a dentry and an inode each, in slab caches."
run sh -c 'find /sys >/dev/null 2>&1'
show '^(CLASS|[a-z_]*(slab)[a-z_]* )' memscopectl pages --zone $ZONE
run grep -E '^S(Reclaimable|Unreclaim)' /proc/meminfo
sl1=$(census slab) sr1=$(meminfo_kb SReclaimable)
run sh -c 'echo 2 > /proc/sys/vm/drop_caches'
show '^(CLASS|[a-z_]*(slab)[a-z_]* )' memscopectl pages --zone $ZONE
run grep -E '^S(Reclaimable|Unreclaim)' /proc/meminfo
expect slab-shrunk "drop_caches=2 freed reclaimable slab (SReclaimable, kB)" $((sr1 - $(meminfo_kb SReclaimable))) 1024 1000000
expect slab-census "the census' slab pages fell by as much, +-25% (pages)" $((sl1 - $(census slab))) \
	$(((sr1 - $(meminfo_kb SReclaimable)) / 4 * 3 / 4)) $(((sr1 - $(meminfo_kb SReclaimable)) / 4 * 5 / 4 + 64))
lab_end
