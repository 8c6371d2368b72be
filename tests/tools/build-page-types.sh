#!/bin/bash
# Builds the kernel's own page-types tool (tools/vm/page-types.c in 6.1) from
# Debian's linux-source-6.1, statically, as the independent oracle for the page
# census. Prints the path of the binary. Cached under .cache/page-types/.
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${MEMSCOPE_CACHE:-$REPO/.cache}/page-types
TARBALL=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
if [ -z "$TARBALL" ]; then
	apt-get install -y -qq linux-source-6.1 >&2
	TARBALL=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
fi
if [ ! -x "$OUT/page-types" ] || [ "$TARBALL" -nt "$OUT/page-types" ]; then
	rm -rf "$OUT" && mkdir -p "$OUT"
	tar -C "$OUT" -xf "$TARBALL" linux-source-6.1/tools linux-source-6.1/include/uapi \
		linux-source-6.1/scripts/Makefile.include linux-source-6.1/scripts/Makefile.compiler 2>/dev/null ||
		tar -C "$OUT" -xf "$TARBALL" linux-source-6.1/tools linux-source-6.1/include/uapi
	src=$OUT/linux-source-6.1
	make -s -C "$src/tools/lib/api" >"$OUT/build.log" 2>&1
	gcc -O2 -static -I"$src/tools/lib" -I"$src/tools/include" -I"$src/include/uapi" \
		-o "$OUT/page-types" "$src/tools/vm/page-types.c" "$src/tools/lib/api/libapi.a" >>"$OUT/build.log" 2>&1
	rm -rf "$src"
fi
echo "$OUT/page-types"
