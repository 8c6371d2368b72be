#!/bin/bash
# Host-side checks of the tool's user interface (issue #8), no kernel needed:
# the Prometheus export of a recorded snapshot through promtool, the man pages
# through groff -ww, the documented JSON keys, and bash completion.
# One line per check: PASS [unit] name / FAIL [unit] name: reason.
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
CTL=$REPO/ctl/memscopectl
# promtool: unpacked by scripts/deps.sh from Debian's prometheus package.
PATH=$REPO/.cache/promtool/usr/bin:$PATH
DATA=$REPO/tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "PASS [unit] $1"; }
ko() { echo "FAIL [unit] $1: $2"; }

# Prometheus: the exporter fed with a snapshot recorded in the VM.
for snap in "$DATA"/snapshot-a.json "$DATA"/snapshot-b.json; do
	n=$(basename "$snap" .json)
	if ! "$CTL" export --prometheus --from "$snap" -o "$T/$n.prom" 2>"$T/err"; then
		ko prometheus-export-$n "$(head -c 200 "$T/err")"
		continue
	fi
	ok prometheus-export-$n
	if command -v promtool >/dev/null; then
		if out=$(promtool check metrics <"$T/$n.prom" 2>&1); then
			ok promtool-check-metrics-$n
		else
			ko promtool-check-metrics-$n "$(echo "$out" | head -n 3 | tr '\n' ' ')"
		fi
	else
		ko promtool-check-metrics-$n "promtool not installed (scripts/deps.sh unpacks it into .cache/promtool)"
	fi
done
[ "$(ls "$T" | grep -c tmp)" -eq 0 ] && ok prometheus-no-temp-files || ko prometheus-no-temp-files "$(ls "$T")"

# Man pages: rendered by man and groff with all warnings, none may appear.
for page in "$REPO"/docs/memscopectl.8 "$REPO"/docs/memscope.4; do
	n=$(basename "$page")
	out=$( { LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$page" >"$T/man.txt"; } 2>&1; \
	       groff -ww -man -Tutf8 -z "$page" 2>&1)
	if [ -n "$out" ]; then
		ko man-groff-ww-$n "$(echo "$out" | head -n 3 | tr '\n' ' ')"
	elif ! grep -q "EXIT STATUS\|NETLINK INTERFACE" "$T/man.txt"; then
		ko man-groff-ww-$n "rendered page lacks its sections"
	else
		ok man-groff-ww-$n
	fi
done
# Every exit code the tool defines is in the man page.
for code in $(sed -n 's/^\tMS_EXIT_[A-Z_]* = \([0-9]*\),.*/\1/p' "$REPO/ctl/memscopectl.h"); do
	grep -q "^\.B $code\$" "$REPO/docs/memscopectl.8" || { ko man-exit-codes "exit code $code undocumented"; code=x; break; }
done
[ "${code:-}" != x ] && ok man-exit-codes

# Documented JSON keys: each key the VM case checks appears in docs/json.md.
missing=""
for k in $(sed -n 's/^keys_[a-z]*="\(.*\)"$/\1/p' "$REPO/tests/vm/cases/80-ux.sh"); do
	grep -q "\`$k\`" "$REPO/docs/json.md" || missing="$missing $k"
done
[ -z "$missing" ] && ok json-keys-documented || ko json-keys-documented "not in docs/json.md:$missing"

# Bash completion, with a stand-in memscopectl that answers like a loaded module.
mkdir -p "$T/bin"
printf '#!/bin/sh\nprintf "zones.0\\tDMA\\nzones.1\\tDMA32\\nzones.2\\tNormal\\n"\n' >"$T/bin/memscopectl"
chmod +x "$T/bin/memscopectl"
got=$(PATH="$T/bin:$PATH" bash -c '
	. "$1"
	t() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _memscopectl; echo "${COMPREPLY[*]}"; }
	t memscopectl sn
	t memscopectl zones --ex
	t memscopectl zones --zone D
	t memscopectl buddy --color = ne
	t memscopectl export --pr
	t memscopectl help ta' _ "$REPO/ctl/completion/memscopectl.bash" 2>&1 | tr '\n' '|')
want="snapshot|--explain|DMA DMA32|never|--prometheus|task|"
[ "$got" = "$want" ] && ok bash-completion || ko bash-completion "got '$got', want '$want'"
