#!/bin/bash
# Usage: tests/vm/splats.sh LOG
# Prints every kernel-splat line of a console log (BUG, WARNING, Oops, lockdep,
# KASAN, UBSAN, stalls, hung tasks, kmemleak leaks, panics, ...).
# Exit 1 if there is any, 0 if none, 2 on usage error.
set -eu

if [ $# -ne 1 ] || [ ! -r "$1" ]; then echo "usage: $0 LOG" >&2; exit 2; fi

# \b keeps e.g. "DEBUG:" from matching "BUG:". "kernel BUG at" is BUG_ON() (on
# 6.1 it is followed by "invalid opcode: 0000 [#1]", without "Oops").
SPLAT='\bBUG:|kernel BUG at|\bWARNING:|Oops|Call Trace|KASAN|UBSAN|lockdep|possible recursive locking|INFO: task|soft lockup|hard LOCKUP|rcu_sched self-detected stall|detected stall|kmemleak:.*unreferenced|^unreferenced object 0x|general protection fault|Kernel panic'
# Known-benign lines of stock Debian kernels at boot:
#  - "RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed
#    attacks, data leaks possible!" with Intel CPU models (-cpu Skylake-Client,
#    Cascadelake-Server), shown even with "quiet".
#  - "Speculative Return Stack Overflow: WARNING: See https://kernel.org/doc/html/
#    latest/admin-guide/hw-vuln/srso.html for mitigation options." with AMD models
#    (-cpu EPYC); KERN_WARNING, so only with loglevel>=5 on the command line.
BENIGN='RETBleed: WARNING:|Speculative Return Stack Overflow: WARNING:'

# Console logs from qemu have CRLF line ends and terminal escapes: drop the CRs.
if tr -d '\r' <"$1" | grep -aE "$SPLAT" | grep -avE "$BENIGN"; then
	exit 1
fi
exit 0
