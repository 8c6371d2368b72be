#!/bin/bash
# Usage: tests/intree.sh [--build-only]
# memscope in-tree: copies kmod/ into drivers/misc/memscope of Debian's
# linux-source-6.1 (the debug kernel's tree, tests/vm/debug-kernel.sh: tinyconfig
# + tests/vm/debug.config), wires the Kconfig entry into drivers/misc/Kconfig and
# obj-$(CONFIG_MEMSCOPE) into drivers/misc/Makefile, then builds the kernel with
# CONFIG_MEMSCOPE=m (memscope.ko) and with CONFIG_MEMSCOPE=y (built in). Both
# kernels boot under qemu (tests/vm/install-vm.sh): the =y one must answer
# `memscopectl info` with nothing loaded, the =m one must autoload memscope.ko
# from /lib/modules through modprobe when the tool asks for the family.
# Prints PASS/FAIL lines labelled [intree].
#
# Cost: a private copy of the debug tree (cp -a, 1.8 GB: kbuild writes objects
# in place, so the shared tree is never built in) and two incremental builds.
# Cached in .cache/intree, keyed by the debug build, kmod/, Kconfig and this
# script: an unchanged key skips the builds and only boots.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
CACHE=${MEMSCOPE_CACHE:-$REPO/.cache}
BASE=$CACHE/intree
RECIPE=1
BUILD_ONLY=""
[ "${1:-}" = --build-only ] && BUILD_ONLY=1
L=intree

pass() { echo "PASS [$L] $1"; }
fail() { echo "FAIL [$L] $1: $2"; }
say() { echo "intree.sh: $*" >&2; }

mkdir -p "$BASE"
exec 8>"$BASE/.lock"
flock 8

if ! dbg=$("$REPO/tests/vm/debug-kernel.sh"); then
	fail build-debug-tree "tests/vm/debug-kernel.sh failed"
	exit 1
fi
eval "$dbg"
DBG_TREE=$KDIR
DBG_KEY=$(sed -n 's/^KEY=//p' "$DBG_TREE/.memscope-build")
SRC=$BASE/src
LOG=$BASE/build.log
# Bump RECIPE when the build steps below change in a way that needs a rebuild.
KEY=$({ echo "recipe $RECIPE debug $DBG_KEY"; cat "$REPO/Kconfig" "$REPO/kmod/Kbuild";
	cat "$REPO"/kmod/*.c "$REPO"/kmod/*.h "$REPO"/kmod/uapi/*.h; } | sha256sum | cut -c1-16)

kmake() { # as tests/vm/debug-kernel.sh: nothing from the caller's make or shell leaks in
	env -u ARCH -u SUBARCH -u CROSS_COMPILE -u KBUILD_OUTPUT -u O -u LLVM -u CC \
		-u KCONFIG_CONFIG -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make -C "$SRC" LOCALVERSION= "$@"
}

# One kernel configuration: CONFIG_MEMSCOPE=$1 (m|y); outputs kept in $BASE/$1.
build() {
	local v=$1 out=$BASE/$1 t0
	t0=$(date +%s)
	rm -rf "$out"
	mkdir -p "$out"
	(cd "$SRC" && scripts/config --set-val MEMSCOPE "$v") &&
		kmake olddefconfig >>"$LOG" 2>&1
	if ! grep -qx "CONFIG_MEMSCOPE=$v" "$SRC/.config"; then
		fail "kconfig-memscope-$v" "CONFIG_MEMSCOPE=$v did not take: $(grep MEMSCOPE "$SRC/.config")"
		return 1
	fi
	pass "kconfig-memscope-$v"
	: >"$out/build.log"
	if ! kmake -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1; then
		fail "build-memscope-$v" "$(grep -m3 -E 'error' "$out/build.log" | tr '\n' ' ')"
		return 1
	fi
	# Only memscope's own files: the rest of the kernel is not ours to judge.
	if grep -E 'drivers/misc/memscope/.*(warning|error):' "$out/build.log" >"$out/warnings"; then
		fail "build-memscope-$v-no-warnings" "$(head -n 3 "$out/warnings" | tr '\n' ' ')"
	else
		pass "build-memscope-$v-no-warnings"
	fi
	cp "$SRC/arch/x86/boot/bzImage" "$SRC/System.map" "$SRC/modules.order" "$SRC/modules.builtin" "$out/"
	# kbuild's own lists say what became a module and what was linked in.
	if [ "$v" = m ]; then
		cp "$SRC/drivers/misc/memscope/memscope.ko" "$out/" 2>/dev/null
		if [ -s "$out/memscope.ko" ] && grep -q 'drivers/misc/memscope/memscope.ko' "$out/modules.order" &&
		   ! grep -q ' memscope_init$' "$out/System.map"; then
			pass build-memscope-m-module
		else
			fail build-memscope-m-module "not in modules.order, no memscope.ko, or memscope linked into vmlinux"
			return 1
		fi
	else
		if grep -q 'drivers/misc/memscope/memscope.ko' "$out/modules.builtin" &&
		   ! grep -q 'memscope' "$out/modules.order" && grep -q ' memscope_init$' "$out/System.map"; then
			pass build-memscope-y-builtin
		else
			fail build-memscope-y-builtin "not in modules.builtin, still in modules.order, or memscope_init not in System.map"
			return 1
		fi
		# Built in, module_init() is a device initcall (level 6): after
		# debugfs (core, 1) and generic netlink (subsys, 4) are up.
		if grep -q '__initcall__kmod_memscope__.*_memscope_init6$' "$out/System.map"; then
			pass builtin-device-initcall
		else
			fail builtin-device-initcall "no memscope_init initcall at level 6 in System.map"
		fi
	fi
	say "CONFIG_MEMSCOPE=$v built in $(( $(date +%s) - t0 )) s"
}

if [ -s "$BASE/stamp" ] && grep -qx "KEY=$KEY" "$BASE/stamp" &&
   [ -s "$BASE/m/bzImage" ] && [ -s "$BASE/m/memscope.ko" ] && [ -s "$BASE/y/bzImage" ]; then
	say "cached build (key $KEY)"
	pass build-cached
else
	rm -f "$BASE/stamp"
	: >"$LOG"
	t0=$(date +%s)
	# The private copy follows the debug build; kmod changes only re-copy kmod/.
	if [ "$(cat "$BASE/src.key" 2>/dev/null)" != "$DBG_KEY" ] || [ ! -e "$SRC/Makefile" ]; then
		say "copying $DBG_TREE (debug build $DBG_KEY) to $SRC"
		rm -rf "$SRC" "$BASE/src.key"
		# The debug stage's lock: never copy its tree while it is being rebuilt.
		(exec 9>"$(dirname "$DBG_TREE")/.lock"; flock 9; cp -a "$DBG_TREE" "$SRC.tmp") &&
			mv "$SRC.tmp" "$SRC" || { fail copy-tree "cp -a $DBG_TREE failed"; exit 1; }
		rm -f "$SRC/.memscope-build"
		# objtool's build (tools/) records absolute paths in its .cmd/.d
		# files: with the old paths kbuild rebuilds objtool, and every object
		# after it. Point them at the copy (nothing else in the tree has any).
		grep -rlF --include='.*.cmd' --include='.*.d' "$DBG_TREE" "$SRC/tools/objtool" |
			xargs -r sed -i "s|$DBG_TREE|$SRC|g"
		echo "$DBG_KEY" >"$BASE/src.key"
		(cd "$SRC" && scripts/config --set-str LOCALVERSION "-memscope-intree")
	fi
	# What a kernel developer does: kmod/ becomes drivers/misc/memscope, the
	# Kconfig entry goes next to it and is sourced from drivers/misc/Kconfig.
	# Files whose content did not change keep their time stamps, so kbuild
	# rebuilds only what changed.
	D=$SRC/drivers/misc/memscope
	mkdir -p "$D/uapi"
	sync_file() { cmp -s "$1" "$2" || cp "$1" "$2"; }
	for f in "$REPO"/kmod/*.c "$REPO"/kmod/*.h "$REPO/kmod/Kbuild"; do sync_file "$f" "$D/${f##*/}"; done
	for f in "$REPO"/kmod/uapi/*.h; do sync_file "$f" "$D/uapi/${f##*/}"; done
	sync_file "$REPO/Kconfig" "$D/Kconfig"
	for f in "$D"/*.c "$D"/*.h "$D"/uapi/*.h; do	# sources removed from kmod/
		case "$f" in *.mod.c) continue ;; esac	# kbuild's
		[ -e "$REPO/kmod/${f#"$D"/}" ] || rm -f "$f"
	done
	grep -q 'drivers/misc/memscope/Kconfig' "$SRC/drivers/misc/Kconfig" ||
		sed -i '$s|^endmenu$|source "drivers/misc/memscope/Kconfig"\nendmenu|' "$SRC/drivers/misc/Kconfig"
	grep -q 'memscope/' "$SRC/drivers/misc/Makefile" ||
		echo 'obj-$(CONFIG_MEMSCOPE)		+= memscope/' >>"$SRC/drivers/misc/Makefile"
	# The variant the tree holds first: switching m<->y relinks vmlinux
	# (minutes with KASAN), building the current one again costs little.
	if grep -qx 'CONFIG_MEMSCOPE=y' "$SRC/.config"; then order="y m"; else order="m y"; fi
	ok=1
	for v in $order; do
		build "$v" || { ok=""; break; }
	done
	[ -n "$ok" ] || { say "build log: $LOG, $BASE/m/build.log, $BASE/y/build.log"; exit 1; }
	echo "KEY=$KEY" >"$BASE/stamp"
	say "in-tree builds done in $(( $(date +%s) - t0 )) s"
fi
[ -n "$BUILD_ONLY" ] && exit 0

"$REPO/tests/vm/install-vm.sh" --label intree-y --vmlinuz "$BASE/y/bzImage" --builtin
"$REPO/tests/vm/install-vm.sh" --label intree-m --vmlinuz "$BASE/m/bzImage" --ko "$BASE/m/memscope.ko"
