#!/bin/bash
# Usage: tests/vm/install-vm.sh --label NAME (--kernel 6.1|6.12 | --vmlinuz PATH)
#          (--ko PATH | --builtin) [--mem 2G]
# Boots a kernel with a memscope that was built elsewhere (DKMS, `make install`,
# an in-tree build) and checks it as a user's machine would use it:
#   --ko PATH   the .ko goes to /lib/modules/<its vermagic>/updates/ with
#               depmod run (host depmod -b), nothing is insmod'ed: the first
#               `memscopectl info` must make the kernel autoload it through
#               modprobe (MODULE_ALIAS_GENL_FAMILY), then the info case runs,
#               then rmmod leaves nothing behind.
#   --builtin   memscope is built into the kernel (CONFIG_MEMSCOPE=y): no module,
#               `memscopectl info` and the info case work from boot, and the
#               tlb_flush probe was attached at boot.
# Prints PASS/FAIL lines labelled [NAME] (see tests/vm/lib.sh); a kernel splat fails.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${MEMSCOPE_CACHE:-$REPO/.cache}
LABEL="" KERNEL="" VMLINUZ="" KO="" BUILTIN="" MEM=2G

while [ $# -gt 0 ]; do
	case "$1" in
	--builtin) BUILTIN=1; shift; continue ;;
	--label) LABEL=$2 ;;
	--kernel) KERNEL=$2 ;;
	--vmlinuz) VMLINUZ=$2 ;;
	--ko) KO=$2 ;;
	--mem) MEM=$2 ;;
	*) echo "usage: see the head of $0" >&2; exit 2 ;;
	esac
	shift 2
done
[ -n "$LABEL" ] && { [ -n "$KERNEL" ] || [ -n "$VMLINUZ" ]; } && { [ -n "$KO" ] || [ -n "$BUILTIN" ]; } ||
	{ echo "usage: see the head of $0" >&2; exit 2; }

result() { # STATUS NAME [REASON]
	if [ "$1" = PASS ]; then echo "PASS [$LABEL] $2"; else echo "FAIL [$LABEL] $2: ${3:-}"; fi
}

WORK=$CACHE/run/$LABEL
rm -rf "$WORK"
P=$WORK/payload
mkdir -p "$P/bin" "$P/lib" "$P/cases"

make -s -C "$REPO/ctl" memscopectl.static >/dev/null
cp "$REPO/ctl/memscopectl.static" "$P/bin/memscopectl"
cp "$(command -v jq)" "$P/bin/"
for b in "$P"/bin/*; do
	ldd "$b" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib/{print $1}'
done | sort -u | while read -r lib; do cp -L "$lib" "$P/lib/"; done
cp "$HERE/lib.sh" "$P/"
cp "$HERE/cases/10-info.sh" "$P/cases/"
cp "$HERE/install-guest.sh" "$P/guest.sh"

if [ -n "$KO" ]; then
	[ -s "$KO" ] || { result FAIL module-file "no $KO"; exit 1; }
	ABI=$(modinfo -F vermagic "$KO" | cut -d' ' -f1)
	mkdir -p "$P/root/lib/modules/$ABI/updates"
	cp "$KO" "$P/root/lib/modules/$ABI/updates/memscope.ko"
	# What `make install` / dkms do on a real system: depmod for that kernel.
	# (no modules.order/builtin in this root: depmod's warnings about them are noise)
	depmod -b "$P/root" "$ABI" 2>&1 | { grep -v 'could not open modules\.\(order\|builtin\)' >&2 || true; }
	if grep -q '^alias net-pf-16-proto-16-family-memscope memscope$' "$P/root/lib/modules/$ABI/modules.alias"; then
		result PASS depmod-genl-family-alias
	else
		result FAIL depmod-genl-family-alias "modules.alias has no net-pf-16-proto-16-family-memscope (MODULE_ALIAS_GENL_FAMILY)"
	fi
	echo module >"$P/expect"
	echo "$ABI" >"$P/abi"
else
	echo builtin >"$P/expect"
fi
"$HERE/mkinitramfs.sh" "$WORK/initrd.gz" "$P"

# no_timer_check: on a loaded host TCG can be too slow for the kernel's early
# IO-APIC timer check, which then panics ("IO-APIC + timer doesn't work!",
# seen with the in-tree tinyconfig kernel at load 20+); the check tests the
# emulated board, not memscope.
BOOT=(--initrd "$WORK/initrd.gz" --mode test --mem "$MEM" --log "$WORK/console.log"
	--timeout "${MEMSCOPE_VM_TIMEOUT:-900}" --append no_timer_check)
if [ -n "$VMLINUZ" ]; then BOOT+=(--vmlinuz "$VMLINUZ"); else BOOT+=(--kernel "$KERNEL"); fi
set +e
"$HERE/boot.sh" "${BOOT[@]}" >/dev/null 2>&1
boot_rc=$?
set -e
tr -d '\r' <"$WORK/console.log" >"$WORK/console.txt"
grep -E '^MSTEST (PASS|FAIL) ' "$WORK/console.txt" | while read -r _ status name rest; do
	result "$status" "${name%:}" "$rest"
done
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
