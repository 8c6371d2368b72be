#!/bin/bash
# Usage: tests/vm/run.sh --kernel 6.1|6.12 [--mode test|demo|shell|bench] [--lab NAME]
#          [--numa N] [--mem SIZE] [--cases "NAME..."] [--skip "NAME..."] [--append "cmdline"] [--label NAME]
#          [--cpu MODEL] [--accel tcg|tcg,thread=single] [--smp N] [--icount SPEC]
# Builds memscope.ko against that Debian kernel's headers (W=1, zero warnings),
# packs the module, memscopectl, test tools and guest scripts into an initramfs,
# boots it under qemu TCG and, in test mode, prints one line per test:
#   PASS [label] name   /   FAIL [label] name: reason
# then "label: N passed, N failed". A kernel splat in the console log fails the run.
# --lab NAME runs docs/labs/NAME.sh for a reader (mode lab); in test mode
# --labs "NAME..." limits the 85-labs case to those labs.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${MEMSCOPE_CACHE:-$REPO/.cache}
KERNEL=6.1 MODE=test NUMA=0 MEM=2G CASES="" APPEND="" LABEL="" CPU=""

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) KERNEL=$2 ;;
	--mode) MODE=$2 ;;
	--numa) NUMA=$2 ;;
	--mem) MEM=$2 ;;
	--cases) CASES=$2 ;;
	--skip) SKIP=$2 ;;
	--append) APPEND=$2 ;;
	--label) LABEL=$2 ;;
	--lab) LAB=$2 MODE=lab ;;
	--labs) LABS=$2 ;;
	--cpu) CPU=$2 ;;
	--smp) SMP=$2 ;;
	--accel) ACCEL=$2 ;;
	--icount) ICOUNT=$2 ;;
	*) echo "usage: see the head of $0" >&2; exit 2 ;;
	esac
	shift 2
done
LABEL=${LABEL:-$KERNEL}

eval "$("$HERE/kernel.sh" "$KERNEL")"
WORK=$CACHE/run/$LABEL
rm -rf "$WORK"
mkdir -p "$WORK/payload/bin" "$WORK/payload/lib" "$WORK/kmod"

result() { # STATUS NAME [REASON]
	if [ "$1" = PASS ]; then echo "PASS [$LABEL] $2"; else echo "FAIL [$LABEL] $2: ${3:-}"; fi
}

# Module: built in a copy so the kernels' builds never mix objects.
cp "$REPO"/kmod/*.c "$REPO"/kmod/*.h "$REPO/kmod/Kbuild" "$WORK/kmod/"
mkdir -p "$WORK/kmod/uapi" && cp "$REPO"/kmod/uapi/*.h "$WORK/kmod/uapi/"
if ! make -s -C "$KDIR" M="$WORK/kmod" CONFIG_MEMSCOPE=m W=1 modules >"$WORK/build.log" 2>&1; then
	[ "$MODE" = test ] && result FAIL build-module "see below"
	cat "$WORK/build.log" >&2
	exit 1
fi
if grep -E 'warning:|error:' "$WORK/build.log" >&2; then
	[ "$MODE" = test ] && result FAIL build-module-no-warnings "W=1 warnings above"
else
	[ "$MODE" = test ] && result PASS build-module-no-warnings
fi

# Tool and test programs (dynamic, with their libraries alongside).
make -s -C "$REPO/ctl" memscopectl memscopectl.static >/dev/null
make -s -C "$REPO/tests" >/dev/null
P=$WORK/payload
cp "$WORK/kmod/memscope.ko" "$P/"
cp "$REPO/ctl/memscopectl.static" "$P/bin/memscopectl"
cp "$REPO"/tests/build/{nlprobe,fragment,benchtime,tlbstress,touchmem,labmem,ptyrun,fuzz,runas,vmagrow,churn} "$P/bin/"
mkdir -p "$P/bench" && cp "$HERE"/bench/*.sh "$P/bench/"
cp "$(command -v jq)" "$P/bin/"
cp "$("$REPO/tests/tools/build-page-types.sh")" "$P/bin/"
for b in "$P"/bin/*; do
	ldd "$b" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib/{print $1}'
done | sort -u | while read -r lib; do cp -L "$lib" "$P/lib/"; done
cp "$HERE/guest.sh" "$HERE/lib.sh" "$HERE/mm.sh" "$P/"
# The reference CPUID decoder for the TLB geometry case, when installed.
cp "$REPO/tests/tools/cpuid-tlb.awk" "$P/"
if command -v cpuid >/dev/null; then
	cp "$(command -v cpuid)" "$P/bin/"
	ldd "$(command -v cpuid)" | awk '/=> \//{print $3}' | while read -r lib; do cp -nL "$lib" "$P/lib/"; done
fi
# Kernel modules the scenarios use (a RAM disk and ext4 for a real page cache,
# zram for swap), with their dependencies, when the kernel ships them.
"$HERE/guest-modules.sh" "$MODDIR" "$P/modules" brd ext4 zram >/dev/null 2>&1 || rm -rf "$P/modules"
mkdir -p "$P/cases" && cp "$HERE"/cases/*.sh "$P/cases/"
mkdir -p "$P/labs" && cp "$REPO"/docs/labs/*.sh "$P/labs/"
[ -z "${LAB:-}" ] || echo "$LAB" >"$P/lab.name"
[ -z "${LABS:-}" ] || echo "$LABS" >"$P/labs.only"
[ -z "$CASES" ] || echo "$CASES" >"$P/cases.only"
[ -z "${SKIP:-}" ] || echo "$SKIP" >"$P/cases.skip"
"$HERE/mkinitramfs.sh" "$WORK/initrd.gz" "$P"

# The timeout only catches a hung guest. A Debian kernel's main run takes
# ~1000 s on a quiet host and 1450 s (6.1) with three more VMs beside it; at
# 1500 s, 6.12's run was killed in its last case (90-reload) that way.
BOOT=(--kernel "$KERNEL" --initrd "$WORK/initrd.gz" --mode "$MODE" --mem "$MEM"
	--log "$WORK/console.log" --timeout "${MEMSCOPE_VM_TIMEOUT:-2400}")
[ "$NUMA" -gt 0 ] && BOOT+=(--numa "$NUMA")
[ -z "$APPEND" ] || BOOT+=(--append "$APPEND")
[ -z "$CPU" ] || BOOT+=(--cpu "$CPU")
[ -z "${SMP:-}" ] || BOOT+=(--smp "$SMP")
[ -z "${ACCEL:-}" ] || BOOT+=(--accel "$ACCEL")
[ -z "${ICOUNT:-}" ] || BOOT+=(--icount "$ICOUNT")

case "$MODE" in
shell|demo)
	[ "$MODE" = shell ] && exec "$HERE/boot.sh" "${BOOT[@]}"
	"$HERE/boot.sh" "${BOOT[@]}" | sed -n '/^MEMSCOPE-DEMO-BEGIN/,/^MEMSCOPE-DEMO-END/{/^MEMSCOPE-DEMO-/d;p}'
	exit "${PIPESTATUS[0]}"
	;;
lab)
	"$HERE/boot.sh" "${BOOT[@]}" |
		sed -u -n 's/\r$//; /^MEMSCOPE-LAB-BEGIN/,/^MEMSCOPE-LAB-END/{/^MEMSCOPE-LAB-/d;p}'
	exit "${PIPESTATUS[0]}"
	;;
esac

set +e
"$HERE/boot.sh" "${BOOT[@]}" >/dev/null 2>&1
boot_rc=$?
set -e
tr -d '\r' <"$WORK/console.log" >"$WORK/console.txt"
grep -E '^MSTEST (PASS|FAIL) ' "$WORK/console.txt" | while read -r _ status name rest; do
	result "$status" "${name%:}" "$rest"
done
# Where the run's time went (seconds per case), for keeping make check in CI's time.
times=$(awk '$1 == "MSCASE-TIME" { printf " %s %ss", $2, $3 }' "$WORK/console.txt")
[ -z "$times" ] || echo "# $LABEL case times:$times"
if [ "$MODE" = bench ]; then
	grep '^MSBENCH ' "$WORK/console.txt" | sed 's/^MSBENCH //'
	exit 0
fi
if [ $boot_rc -eq 0 ] && grep -q '^MSTEST-END' "$WORK/console.txt"; then
	result PASS vm-boot-and-complete
else
	result FAIL vm-boot-and-complete "boot.sh exited $boot_rc; console log: $WORK/console.txt"
	tail -n 30 "$WORK/console.txt" >&2
fi
if splats=$("$HERE/splats.sh" "$WORK/console.txt"); then
	result PASS no-kernel-splats
else
	result FAIL no-kernel-splats "$(echo "$splats" | head -n 3 | tr '\n' ' ')"
fi
