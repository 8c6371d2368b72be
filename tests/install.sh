#!/bin/bash
# Usage: tests/install.sh [--no-vm] [STEP...]     STEP: destdir deb dkms (default: all three)
# The install paths of docs/install.md, tested on this (Debian 12) machine as
# root; module loading is tested in qemu (tests/vm/install-vm.sh):
#   destdir  `make install DESTDIR=` installs exactly the files docs/install.md
#            lists (rows whose source is not in the tree yet excluded), with
#            their modes; `make uninstall DESTDIR=` removes them all.
#   deb      `make deb` (debhelper + lintian clean); dpkg -i of both packages
#            builds memscope through DKMS for both Debian kernels' headers, the
#            modules carry that kernel's vermagic and DKMS's MOK signature;
#            AUTOINSTALL: new headers (the kernel's DKMS hook) get the module;
#            purge leaves nothing behind.
#   dkms     `make dkms-install` for both kernels, then each kernel boots in
#            qemu with that DKMS-built module under /lib/modules (autoload
#            through modprobe, info checks, unload); `make dkms-remove` leaves
#            nothing behind.
# Prints "PASS [install] name" / "FAIL [install] name: reason" (VM lines carry
# their own label). Changes the host: installs and removes memscope packages
# and DKMS trees; DKMS itself creates /var/lib/dkms/mok.key/.pub if missing.
set -u

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${MEMSCOPE_CACHE:-$REPO/.cache}
WORK=$CACHE/install
L=install
VM=1
[ "${1:-}" = --no-vm ] && { VM=""; shift; }
STEPS=${*:-destdir deb dkms}
VERSION=$(sed -n 's/^#define MEMSCOPE_VERSION "\(.*\)"/\1/p' "$REPO/kmod/version.h")
mkdir -p "$WORK"

pass() { echo "PASS [$L] $1"; }
fail() { echo "FAIL [$L] $1: $2"; }
check() { # NAME CMD...
	local n=$1
	shift
	if "$@" >"$WORK/check.out" 2>&1; then pass "$n"; else fail "$n" "'$*': $(head -c 300 "$WORK/check.out" | tr '\n' ' ')"; fi
}

[ "$(id -u)" -eq 0 ] || { fail run-as-root "tests/install.sh installs packages and DKMS trees: run it as root"; exit 1; }

# Both Debian kernels: ABI (e.g. 6.1.0-56-amd64) and headers.
declare -A ABI
for k in 6.1 6.12; do
	ABI[$k]=$(eval "$("$REPO/tests/vm/kernel.sh" "$k")"; echo "$ABI")
	[ -n "${ABI[$k]}" ] || { fail "kernel-$k" "tests/vm/kernel.sh $k failed"; exit 1; }
done

# What memscope may own on a system; depmod's index files are regenerated and
# checked separately (no memscope in them), DKMS's own signing key is not ours.
snapshot() {
	find /usr/src /var/lib/dkms /lib/modules /usr/sbin /usr/local/sbin /usr/share/man/man4 \
		/usr/share/man/man8 /usr/share/bash-completion/completions /usr/share/doc /etc/dkms 2>/dev/null |
		grep -v -e '^/var/lib/dkms/mok\.\(key\|pub\)$' -e '^/lib/modules/[^/]*/modules\.[a-z.]*$' | sort
}
no_traces() { # NAME BEFORE-SNAPSHOT
	local left
	left=$(snapshot | diff "$2" - | sed -n 's/^> //p' | head -n 5 | tr '\n' ' ')
	left="$left$(grep -l memscope /lib/modules/*/modules.dep /lib/modules/*/modules.alias 2>/dev/null | tr '\n' ' ')"
	if [ -z "$left" ]; then pass "$1"; else fail "$1" "left behind: $left"; fi
}
clean_slate() { # leftovers of an earlier, interrupted run
	dpkg-query -W memscope-dkms memscopectl >/dev/null 2>&1 && dpkg --purge memscope-dkms memscopectl >/dev/null 2>&1
	[ -e /var/lib/dkms/memscope ] && dkms remove "memscope/$VERSION" --all >/dev/null 2>&1
	rm -rf "/usr/src/memscope-$VERSION"
	return 0
}
ko_checks() { # PREFIX KERNEL-ID: the DKMS-built module of that kernel
	local ko=/lib/modules/${ABI[$2]}/updates/dkms/memscope.ko cn
	[ -e "$ko" ] || ko=$(ls /lib/modules/"${ABI[$2]}"/updates/dkms/memscope.ko* 2>/dev/null | head -n 1)
	check "$1-module-file-$2" test -s "$ko"
	check "$1-vermagic-$2" sh -c "modinfo -F vermagic '$ko' | grep -q '^${ABI[$2]} '"
	# DKMS signs with its MOK key pair: the signer is the certificate's CN.
	cn=$(openssl x509 -inform DER -noout -subject -nameopt multiline -in /var/lib/dkms/mok.pub 2>/dev/null |
		sed -n 's/^ *commonName *= *//p')
	check "$1-signed-with-dkms-mok-$2" test -n "$cn" -a "$(modinfo -F signer "$ko" 2>/dev/null)" = "$cn"
}

# --- destdir ---------------------------------------------------------------
step_destdir() {
	local d=$WORK/destdir k=${ABI[6.1]} want got row dest src mode bad=""
	rm -rf "$d"
	if ! make -s -C "$REPO" install DESTDIR="$d" PREFIX=/usr/local KRELEASE="$k" >"$WORK/destdir.log" 2>&1; then
		fail make-install-destdir "$(grep -m3 -iE 'error|install:' "$WORK/destdir.log" | tr '\n' ' ')"
		return
	fi
	pass make-install-destdir
	# The documented list: docs/install.md between the install-files markers.
	: >"$WORK/want"
	sed -n '/<!-- install-files: begin -->/,/<!-- install-files: end -->/p' "$REPO/docs/install.md" |
		grep '^| `' | while IFS='|' read -r _ dest src _; do
		dest=$(echo "$dest" | tr -d ' `' | sed "s|\$(PREFIX)|/usr/local|; s|\$(KRELEASE)|$k|")
		src=$(echo "$src" | sed 's/^ *//; s/ *$//')
		case "$src" in
		*"(built)") echo "$dest" >>"$WORK/want" ;;
		*) [ -e "$REPO/$src" ] && echo "$dest" >>"$WORK/want" ;;
		esac
	done
	want=$(sort "$WORK/want")
	got=$(cd "$d" && find . ! -type d | sed 's|^\.||' | sort)
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		pass install-destdir-documented-files
	else
		fail install-destdir-documented-files "documented vs installed: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	fi
	while read -r f; do
		case "$f" in */sbin/*) mode=755 ;; *) mode=644 ;; esac
		[ "$(stat -c %a "$d$f")" = $mode ] || bad="$bad $f:$(stat -c %a "$d$f")"
	done <<<"$got"
	if [ -z "$bad" ]; then pass install-destdir-modes; else fail install-destdir-modes "want 755 for sbin, 644 else:$bad"; fi
	check install-destdir-module-vermagic sh -c "modinfo -F vermagic '$d/lib/modules/$k/updates/memscope.ko' | grep -q '^$k '"
	make -s -C "$REPO" uninstall DESTDIR="$d" PREFIX=/usr/local KRELEASE="$k" >>"$WORK/destdir.log" 2>&1
	got=$(cd "$d" && find . ! -type d)
	if [ -z "$got" ]; then pass uninstall-destdir-removes-all; else fail uninstall-destdir-removes-all "left: $(echo "$got" | tr '\n' ' ')"; fi
	# A kernel without headers: one line naming the fix, non-zero exit.
	out=$(make -s -C "$REPO" install-module DESTDIR="$d" KRELEASE=0.0.0-none 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -q 'apt install linux-headers-0.0.0-none'; then
		pass install-no-headers-error
	else
		fail install-no-headers-error "exit $rc: $(echo "$out" | head -n 2 | tr '\n' ' ')"
	fi
	rm -rf "$d"
}

# --- deb -------------------------------------------------------------------
step_deb() {
	local out=$WORK/deb before=$WORK/deb.before k t0
	t0=$(date +%s)
	if "$REPO/scripts/deb.sh" "$out" >"$WORK/deb.log" 2>&1; then
		pass deb-build-lintian-clean
	else
		fail deb-build-lintian-clean "$(grep -E '^[EW]: |failed' "$WORK/deb.log" | head -n 3 | tr '\n' ' ')"
		[ -e "$out/memscope-dkms_${VERSION}_all.deb" ] || return
	fi
	echo "install.sh: make deb took $(( $(date +%s) - t0 )) s" >&2
	clean_slate
	snapshot >"$before"
	# The maintainer script builds for the running kernel and the newest
	# one; this build machine runs another kernel, so ask for every kernel in
	# /lib/modules (the documented framework.conf setting, as environment).
	if autoinstall_all_kernels=1 dpkg -i "$out/memscope-dkms_${VERSION}_all.deb" \
		"$out/memscopectl_${VERSION}_amd64.deb" >"$WORK/dpkg.log" 2>&1; then
		pass deb-install
	else
		fail deb-install "$(tail -n 3 "$WORK/dpkg.log" | tr '\n' ' ')"
	fi
	for k in 6.1 6.12; do
		check "deb-dkms-installed-$k" sh -c "dkms status -m memscope -v $VERSION -k ${ABI[$k]} | grep -q ': installed'"
		ko_checks deb "$k"
	done
	check deb-tool-version sh -c "/usr/sbin/memscopectl --version | grep -q '^memscopectl $VERSION '"
	check deb-dkms-source-version grep -qx "PACKAGE_VERSION=\"$VERSION\"" "/usr/src/memscope-$VERSION/dkms.conf"
	# AUTOINSTALL: headers of a new kernel run /etc/kernel/header_postinst.d/dkms.
	k=${ABI[6.12]}
	dkms remove "memscope/$VERSION" -k "$k" >>"$WORK/dpkg.log" 2>&1
	if dkms status -m memscope -v "$VERSION" -k "$k" | grep -q ': installed'; then
		fail deb-dkms-autoinstall-new-headers "could not remove the $k build first"
	else
		/etc/kernel/header_postinst.d/dkms "$k" >>"$WORK/dpkg.log" 2>&1
		check deb-dkms-autoinstall-new-headers sh -c "dkms status -m memscope -v $VERSION -k $k | grep -q ': installed'"
	fi
	if dpkg --purge memscopectl memscope-dkms >>"$WORK/dpkg.log" 2>&1; then pass deb-purge; else fail deb-purge "$(tail -n 3 "$WORK/dpkg.log" | tr '\n' ' ')"; fi
	no_traces deb-purge-leaves-nothing "$before"
}

# --- dkms ------------------------------------------------------------------
step_dkms() {
	local before=$WORK/dkms.before k
	clean_slate
	snapshot >"$before"
	if make -s -C "$REPO" dkms-install KRELEASE="${ABI[6.1]} ${ABI[6.12]}" >"$WORK/dkms.log" 2>&1; then
		pass make-dkms-install
	else
		fail make-dkms-install "$(grep -m3 -iE 'error' "$WORK/dkms.log" | tr '\n' ' ')"
	fi
	for k in 6.1 6.12; do
		check "dkms-installed-$k" sh -c "dkms status -m memscope -v $VERSION -k ${ABI[$k]} | grep -q ': installed'"
		ko_checks dkms "$k"
		# DKMS compresses like the kernel's own modules (6.12: .ko.xz); the
		# guest's busybox modprobe reads plain .ko only, kmod's reads both.
		rm -f "$WORK/dkms-$k.ko"
		for f in /lib/modules/"${ABI[$k]}"/updates/dkms/memscope.ko*; do
			case "$f" in
			*.ko) cp "$f" "$WORK/dkms-$k.ko" ;;
			*.ko.xz) xz -dc "$f" >"$WORK/dkms-$k.ko" ;;
			*.ko.zst) zstd -qdc "$f" >"$WORK/dkms-$k.ko" ;;
			esac
		done
	done
	make -s -C "$REPO" dkms-remove >>"$WORK/dkms.log" 2>&1
	no_traces dkms-remove-leaves-nothing "$before"
	[ -n "$VM" ] || return 0
	for k in 6.1 6.12; do
		[ -s "$WORK/dkms-$k.ko" ] || continue
		"$REPO/tests/vm/install-vm.sh" --label "dkms-$k" --kernel "$k" --ko "$WORK/dkms-$k.ko"
	done
}

for s in $STEPS; do
	t0=$(date +%s)
	"step_$s"
	echo "install.sh: step $s took $(( $(date +%s) - t0 )) s" >&2
done
