#!/bin/bash
# Usage: tests/vm/debug-kernel.sh [--rebuild]
# Builds (once) a debug kernel from Debian's linux-source-6.1: `make tinyconfig`
# plus tests/vm/debug.config (KASAN, UBSAN, lockdep, kmemleak, DEBUG_VM, ...),
# `make bzImage modules`, modules installed for the guest. Then prints the same
# shell-sourceable lines as tests/vm/kernel.sh (which calls this for ID "debug"):
#   ABI=<kernel release>  VMLINUZ=<bzImage>
#   VMLINUX=<vmlinux if the config has PVH, else empty: debug.config says why it has not>
#   KDIR=<built tree: make -C $KDIR M=... modules>  MODDIR=<lib/modules/$ABI with zram.ko, zsmalloc.ko>
# Only these lines go to stdout; progress goes to stderr, the build log to
# $BASE/build.log. Every option of debug.config is checked in the final .config:
# one that did not take (missing dependency) fails the build, listed on stderr.
# Cache: $BASE = ${MEMSCOPE_CACHE:-<repo>/.cache}/debug-kernel; the tree is
# src-<package version>/ (built in place), modules go to mod-<package version>/.
# The build is reused while the settings in debug.config (not its comments), the
# linux-source-6.1 version, gcc and this script's RECIPE stay the same (a cached
# run takes well under a second); a change rebuilds incrementally in the same
# tree. --rebuild forces a build.
# Concurrent callers are serialised with flock on $BASE/.lock.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BASE=${MEMSCOPE_CACHE:-$REPO/.cache}/debug-kernel
FRAG=$HERE/debug.config
SRCPKG=linux-source-6.1
TARBALL=/usr/src/$SRCPKG.tar.xz
# Bump when the build steps below change in a way that needs a rebuild.
RECIPE=1

REBUILD=""
case "${1:-}" in
"") ;;
--rebuild) REBUILD=1 ;;
*) echo "usage: $0 [--rebuild]" >&2; exit 2 ;;
esac

say() { echo "debug-kernel.sh: $*" >&2; }
die() { say "$*"; exit 1; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

mkdir -p "$BASE"
exec 9>"$BASE/.lock"
flock 9

# Build dependencies (normally installed by scripts/deps.sh already).
missing=""
for p in $SRCPKG gcc make bc bison flex libelf-dev libssl-dev xz-utils kmod; do
	installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing"
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >&2 || {
		$SUDO apt-get update -qq >&2
		$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
	} || die "cannot install$missing"
fi
[ -r "$TARBALL" ] || die "missing $TARBALL (package $SRCPKG)"

VERSION=$(dpkg-query -W -f='${Version}' $SRCPKG)
SRC=$BASE/src-$VERSION
MODROOT=$BASE/mod-$VERSION
LOG=$BASE/build.log
# The requested values only: editing a comment of debug.config rebuilds nothing.
settings() { grep -E '^CONFIG_|^# CONFIG_[A-Za-z0-9_]+ is not set' "$FRAG"; }
KEY=$({ echo "recipe $RECIPE"; echo "$SRCPKG $VERSION"; gcc --version | head -n 1; settings; } |
	sha256sum | cut -c1-16)
STAMP=$SRC/.memscope-build

emit() { # from the stamp of a finished build
	# shellcheck disable=SC1090
	. "$STAMP"
	printf 'ABI=%s\nVMLINUZ=%s\nVMLINUX=%s\nKDIR=%s\nMODDIR=%s\n' "$ABI" "$VMLINUZ" "$VMLINUX" "$KDIR" "$MODDIR"
}

if [ -z "$REBUILD" ] && [ -s "$STAMP" ] && grep -qx "KEY=$KEY" "$STAMP"; then
	# shellcheck disable=SC1090
	( . "$STAMP"; for f in "$VMLINUZ" "$KDIR/Module.symvers" "$MODDIR/modules.dep"; do [ -e "$f" ] || exit 1; done ) &&
		{ emit; exit 0; }
	say "cached build in $SRC is incomplete: rebuilding"
fi

start=$(date +%s)
: >"$LOG"

# Source tree: one per package version; older ones are removed.
if [ ! -e "$SRC/.memscope-unpacked" ]; then
	for d in "$BASE"/src-* "$BASE"/mod-* "$BASE"/.unpack.*; do
		[ -e "$d" ] || continue
		say "removing $d"
		rm -rf "$d"
	done
	say "unpacking $TARBALL ($SRCPKG $VERSION) into $SRC"
	tmp=$BASE/.unpack.$$
	mkdir -p "$tmp"
	# The .xz has many blocks: xz -T0 decompresses them in parallel.
	xz -T0 -dc "$TARBALL" | tar -x -C "$tmp" --strip-components=1 --no-same-owner ||
		{ rm -rf "$tmp"; die "unpacking $TARBALL failed"; }
	touch "$tmp/.memscope-unpacked"
	mv "$tmp" "$SRC"
fi
rm -f "$STAMP"

# A clean environment for kbuild: nothing from a calling make or shell
# (ARCH, O=, a jobserver, ...) leaks in. LOCALVERSION= (set, empty) keeps
# setlocalversion from adding a "+" when the cache sits inside a git tree.
kmake() {
	env -u ARCH -u SUBARCH -u CROSS_COMPILE -u KBUILD_OUTPUT -u O -u LLVM -u CC \
		-u KCONFIG_CONFIG -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make -C "$SRC" LOCALVERSION= "$@"
}

say "configuring: tinyconfig + $FRAG (log: $LOG)"
{
	kmake tinyconfig
	(cd "$SRC" && scripts/kconfig/merge_config.sh -m .config "$FRAG")
	kmake olddefconfig
} >>"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; die "configuration failed (log: $LOG)"; }

# Every requested value must be in the final .config.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		sym=${line%%=*}
		if ! grep -qxF -- "$line" "$SRC/.config"; then
			got=$(grep -E "^$sym=|^# $sym is not set" "$SRC/.config" || echo "absent")
			say "requested $line, got: $got"
			bad=1
		fi
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		if grep -qE "^$sym=" "$SRC/.config"; then
			say "requested '$line', got: $(grep -E "^$sym=" "$SRC/.config")"
			bad=1
		fi
		;;
	esac
done < <(settings)
[ $bad -eq 0 ] || die "options of $FRAG missing from $SRC/.config (see above; a dependency is probably off)"

say "building bzImage and modules with $(nproc) jobs (log: $LOG)"
kmake -j"$(nproc)" bzImage modules >>"$LOG" 2>&1 ||
	{ grep -E 'error|Error' "$LOG" | tail -n 20 >&2; die "build failed (log: $LOG)"; }

ABI=$(kmake -s kernelrelease 2>>"$LOG")
[ -n "$ABI" ] || die "no kernel release"
rm -rf "$MODROOT"
DEPMOD=depmod
command -v depmod >/dev/null || DEPMOD=/sbin/depmod
kmake INSTALL_MOD_PATH="$MODROOT" DEPMOD="$DEPMOD" modules_install >>"$LOG" 2>&1 ||
	{ tail -n 20 "$LOG" >&2; die "modules_install failed (log: $LOG)"; }
MODDIR=$MODROOT/lib/modules/$ABI

VMLINUZ=$SRC/arch/x86/boot/bzImage
VMLINUX=""
grep -qx 'CONFIG_PVH=y' "$SRC/.config" && VMLINUX=$SRC/vmlinux
for f in "$VMLINUZ" ${VMLINUX:+"$VMLINUX"} "$SRC/Module.symvers" "$MODDIR/modules.dep" \
	"$MODDIR/kernel/drivers/block/zram/zram.ko" "$MODDIR/kernel/mm/zsmalloc.ko"; do
	[ -e "$f" ] || die "build did not produce $f"
done

printf 'KEY=%s\nABI=%q\nVMLINUZ=%q\nVMLINUX=%q\nKDIR=%q\nMODDIR=%q\n' \
	"$KEY" "$ABI" "$VMLINUZ" "$VMLINUX" "$SRC" "$MODDIR" >"$STAMP.tmp"
mv "$STAMP.tmp" "$STAMP"
say "built $ABI in $(( $(date +%s) - start )) s"
emit
