#!/bin/bash
# Usage: scripts/deb.sh [OUTDIR]      (make deb; default OUTDIR: .cache/deb)
# Builds the Debian packages memscope-dkms and memscopectl with debhelper
# (dpkg-buildpackage, unsigned) from a copy of the working tree, then runs
# lintian on the result. Leaves *.deb, *.changes, *.dsc, the native source
# tarball and lintian.txt in OUTDIR. Exit status: the build's, or lintian's
# (errors or warnings not overridden in debian/*.lintian-overrides).
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$REPO/.cache/deb}
VERSION=$(sed -n 's/^#define MEMSCOPE_VERSION "\(.*\)"/\1/p' "$REPO/kmod/version.h")
MEMSCOPE_DEPS_EXTRA="" "$REPO/scripts/deps.sh"

rm -rf "$OUT"
SRC=$OUT/memscope-$VERSION
mkdir -p "$SRC"
# The tree as it is (committed or not), without build products and caches.
(cd "$REPO" && git ls-files -co --exclude-standard) | grep -v '^debian/.*\.\(log\|substvars\)$' |
	(cd "$REPO" && tar -cf - -T - 2>/dev/null) | tar -xf - -C "$SRC"
(cd "$SRC" && dpkg-buildpackage -us -uc) >"$OUT/build.log" 2>&1 ||
	{ tail -n 30 "$OUT/build.log" >&2; echo "deb.sh: dpkg-buildpackage failed (log: $OUT/build.log)" >&2; exit 1; }
changes=$(ls "$OUT"/memscope_"$VERSION"_*.changes)
ls "$OUT"/*.deb
# --fail-on warning: an unexplained warning fails like an error; info tags
# are listed for the reader. Tags that are expected are overridden, with the
# reason, in debian/*.lintian-overrides.
# lintian warns when run as root; its checks do not depend on it.
lintian --display-info --fail-on error,warning "$changes" 2>&1 |
	grep -v '^running with root privileges' | tee "$OUT/lintian.txt"
exit "${PIPESTATUS[0]}"
