#!/bin/bash
# Usage: tests/vm/boot.sh [--kernel 6.1|6.12] [--vmlinuz PATH] --initrd FILE
#          [--mem 2G] [--smp 2] [--cpu MODEL] [--append "extra cmdline"]
#          [--mode test|demo|shell|bench|lab] [--log FILE] [--timeout SECS] [--numa N] [--bzimage]
#          [--accel ACCEL] [--icount SPEC]
# Boots the initramfs under qemu (TCG). Other modes than shell: no stdin, console tee'd
# to --log and stdout, killed after --timeout (exit 124). Mode shell: interactive.
# Exit 0 iff the console shows MEMSCOPE-INIT-DONE (printed by init.sh).
# --kernel (default 6.1) boots the uncompressed vmlinux via PVH (4-5 s faster
# under TCG); --bzimage boots the packaged vmlinuz instead. --vmlinuz takes either.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
KERNEL="" VMLINUZ="" BZIMAGE="" INITRD="" MEM=2G SMP=2 CPU="" EXTRA="" MODE=test LOG="" TIMEOUT=600 NUMA=0

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	[ "$1" != --bzimage ] || { BZIMAGE=1; shift; continue; }
	[ $# -ge 2 ] || usage
	case "$1" in
	--kernel)  KERNEL=$2 ;;
	--vmlinuz) VMLINUZ=$2 ;;
	--initrd)  INITRD=$2 ;;
	--mem)     MEM=$2 ;;
	--smp)     SMP=$2 ;;
	--cpu)     CPU=$2 ;;
	--append)  EXTRA=$2 ;;
	--mode)    MODE=$2 ;;
	--log)     LOG=$2 ;;
	--timeout) TIMEOUT=$2 ;;
	--numa)    NUMA=$2 ;;
	--accel)   ACCEL=$2 ;;
	--icount)  ICOUNT=$2 ;;
	*)         usage ;;
	esac
	shift 2
done
[ -n "$INITRD" ] || usage
case "$MODE" in test|demo|shell|bench|lab) ;; *) usage ;; esac
if [ -z "$VMLINUZ" ]; then
	k=$("$HERE/kernel.sh" "${KERNEL:-6.1}")
	VMLINUZ=$(sed -n 's/^VMLINUX=//p' <<<"$k")
	[ -n "$VMLINUZ" ] && [ -z "$BZIMAGE" ] || VMLINUZ=$(sed -n 's/^VMLINUZ=//p' <<<"$k")
fi

numa=()
if [ "$NUMA" -gt 0 ]; then
	# Split memory (in MiB) evenly over NUMA nodes; the last node takes the
	# remainder. CPUs: one socket per node when SMP divides evenly (CPUs of one
	# socket share an LLC, and an LLC spanning nodes makes the kernel WARN in
	# topology_sane()); otherwise all CPUs on node 0, other nodes memory-only.
	case "$MEM" in
	*[Gg]) mib=$(( ${MEM%[Gg]} * 1024 )) ;;
	*[Mm]) mib=${MEM%[Mm]} ;;
	*)     mib=$MEM ;;
	esac
	per=0
	if [ $(( SMP % NUMA )) -eq 0 ]; then
		per=$(( SMP / NUMA ))
		SMP="$SMP,sockets=$NUMA,cores=$per,threads=1"
	fi
	for ((i = 0; i < NUMA; i++)); do
		size=$(( mib / NUMA ))
		[ $i -lt $((NUMA - 1)) ] || size=$(( mib - size * (NUMA - 1) ))
		node="node,nodeid=$i,memdev=m$i"
		if [ $per -gt 0 ]; then
			node="$node,cpus=$(( i * per ))-$(( (i + 1) * per - 1 ))"
		elif [ $i -eq 0 ]; then
			node="$node,cpus=0-$(( SMP - 1 ))"
		fi
		numa+=(-object "memory-backend-ram,id=m$i,size=${size}M" -numa "$node")
	done
fi

# Single-threaded TCG by default: under multi-threaded TCG, qemu 7.2 lets a
# vCPU run a stale int3 after the kernel patched its text on the other vCPU
# (a static key: "Oops: int3" in flush_tlb_func while the module loaded and
# unloaded, and once in sched_clock_cpu while 6.12 booted). Single-threaded
# TCG runs the vCPUs in turn on one host thread and never showed it; it cost
# 8% on 6.12's main run. --accel tcg asks for multi-threaded TCG.
# no_timer_check: on a loaded host, TCG can be too slow for the kernel's
# IO-APIC timer check, which then panics ("IO-APIC + timer doesn't work").
args=(-accel "${ACCEL:-tcg,thread=single}" -m "$MEM" -smp "$SMP" -nographic -no-reboot -nic none
	-kernel "$VMLINUZ" -initrd "$INITRD"
	-append "console=ttyS0 panic=-1 oops=panic quiet no_timer_check memscope.mode=$MODE $EXTRA")
[ -z "$CPU" ] || args+=(-cpu "$CPU")
[ -z "${ICOUNT:-}" ] || args+=(-icount "$ICOUNT")
args+=("${numa[@]}")

if [ -z "$LOG" ]; then
	LOG=$(mktemp /tmp/memscope-boot.XXXXXX.log)
fi
: >"$LOG"

start=$(date +%s.%N)
set +e
if [ "$MODE" = shell ]; then
	qemu-system-x86_64 "${args[@]}" | tee "$LOG"
	rc=${PIPESTATUS[0]}
else
	timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" </dev/null 2>&1 | tee "$LOG"
	rc=${PIPESTATUS[0]}
fi
set -e
secs=$(echo "$(date +%s.%N) - $start" | bc)
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "boot.sh: timeout after ${TIMEOUT}s, log: $LOG" >&2
	exit 124
fi
if grep -q '^MEMSCOPE-INIT-DONE' "$LOG"; then
	printf 'boot.sh: MEMSCOPE-INIT-DONE in %.1fs, log: %s\n' "$secs" "$LOG" >&2
	exit 0
fi
printf 'boot.sh: no MEMSCOPE-INIT-DONE (qemu exit %s) after %.1fs, log: %s\n' "$rc" "$secs" "$LOG" >&2
exit 1
