#!/bin/sh
# Every command and attribute in kmod/uapi/memscope.h must appear in
# docs/protocol.md, so the reference cannot drift from the header.
REPO=$(cd "$(dirname "$0")/.." && pwd)
missing=$(grep -oE '\bMEMSCOPE_[A-Z0-9_]+' "$REPO/kmod/uapi/memscope.h" | sort -u |
	grep -vE '^MEMSCOPE_.*_(MAX|UNSPEC)$|^__|_H$|_$' |
	while read -r name; do grep -q "\b$name\b" "$REPO/docs/protocol.md" || echo "$name"; done)
if [ -z "$missing" ]; then
	echo "PASS [unit] protocol-doc-covers-uapi"
else
	echo "FAIL [unit] protocol-doc-covers-uapi: not in docs/protocol.md: $(echo $missing)"
fi
