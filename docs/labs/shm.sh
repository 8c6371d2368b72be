#!/bin/sh
# Lab: shared memory and tmpfs, in memory and under pressure (docs/labs/shm.md).
. "$(dirname "$0")/lib.sh"

shmem() { census shmem; }
shm_rss() { awk -v id="$1" '$2 == id { print $15 }' /proc/sysvipc/shm; }

step "1. A SysV shared memory segment of 64 MiB"
s0=$(shmem) m0=$(meminfo_kb Shmem)
start /tmp/lab-shm.out labmem shm 64
waitfor /tmp/lab-shm.out shmid
id=$(awk '/^shmid/ { print $2 }' /tmp/lab-shm.out)
run cat /proc/sysvipc/shm
show 'resident|Resident' memscopectl task $LAB_PID
show '^(CLASS|[a-z_]*(shmem|swapbacked)[a-z_]* )' memscopectl pages --zone $ZONE
expect shm-census "the census counts 16384 more shmem pages" $(($(shmem) - s0)) 16000 17400
expect shm-sysvipc "/proc/sysvipc/shm says 64 MiB resident (bytes)" "$(shm_rss $id)" 67108864 67108864
# Plus the program's own text if it runs from tmpfs or ramfs (the VM's
# initramfs): a few dozen pages.
expect shm-task "memscope sees them in the process: 16384 shmem pages" \
	"$(task_json $LAB_PID | jq .resident_pages_by_kind.shmem)" 16384 16900
expect shm-meminfo "Shmem in /proc/meminfo rose by 64 MiB (kB)" $(($(meminfo_kb Shmem) - m0)) 64000 69000

step "2. The process exits: the segment does not"
stop $LAB_PID
run cat /proc/sysvipc/shm
show '^(CLASS|[a-z_]*(shmem)[a-z_]* )' memscopectl pages --zone $ZONE
expect shm-outlives "16384 shmem pages still there with no process attached" $(($(shmem) - s0)) 16000 17400

step "3. IPC_RMID frees it"
run labmem shmrm $id
show '^(CLASS|[a-z_]*(shmem)[a-z_]* )' memscopectl pages --zone $ZONE
expect shm-removed "the shmem pages are gone" $(($(shmem) - s0)) -512 512

step "4. tmpfs: files in memory, dirty forever, never written back"
mkdir -p /mnt/lab-tmpfs
mount -t tmpfs -o size=96M tmpfs /mnt/lab-tmpfs
lab_atexit "umount /mnt/lab-tmpfs 2>/dev/null"
s0=$(shmem) d0=$(vmstat nr_dirty)
run dd if=/dev/zero of=/mnt/lab-tmpfs/f bs=1M count=48
show '^(CLASS|[a-z_]*(shmem|swapbacked|dirty)[a-z_]* )' memscopectl pages --zone $ZONE
expect tmpfs-census "48 MiB in tmpfs: 12288 more shmem pages" $(($(shmem) - s0)) 12000 13400
expect tmpfs-not-dirty-accounted "/proc/vmstat nr_dirty does not count them (+-256)" $(($(vmstat nr_dirty) - d0)) -256 256
run sh -c 'echo 3 > /proc/sys/vm/drop_caches'
expect tmpfs-not-dropped "drop_caches leaves them: tmpfs is their only copy" $(($(shmem) - s0)) 12000 13400
run rm /mnt/lab-tmpfs/f

step "5. tmpfs under pressure: 48 MiB written in a 32 MiB cgroup, with swap"
lab_swap || exit 1
lab_cgroup lab-shm 32M
s0=$(shmem) sw0=$(meminfo_kb SwapFree)
in_cgroup lab-shm dd if=/dev/zero of=/mnt/lab-tmpfs/g bs=1M count=48 2>/dev/null
run ls -l /mnt/lab-tmpfs/g
show '^(CLASS|[a-z_]*(shmem|swap)[a-z_]* )' memscopectl pages --zone $ZONE
run grep -E '^(Shmem|SwapFree):' /proc/meminfo
expect tmpfs-swapped "tmpfs pages went to swap: at least 12 MiB (kB)" $((sw0 - $(meminfo_kb SwapFree))) 12288 60000
expect tmpfs-resident "so fewer than the file's 12288 pages stay in memory" $(($(shmem) - s0)) 0 $((8192 + 512))
run rm /mnt/lab-tmpfs/g
lab_end
