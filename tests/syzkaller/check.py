#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks tests/syzkaller/memscope.txt against the protocol it describes.

  - every MEMSCOPE_CMD_* of kmod/uapi/memscope.h has one sendmsg$ call, and
    no call names a command that does not exist;
  - every MEMSCOPE_* name the description uses exists in the header;
  - each call's attribute union lists exactly the attributes of the op's
    policy in kmod/netlink.c (ms_ops[]), with the matching type (NLA_U32:
    int32 or pid, NLA_U64: int64, NLA_FLAG: void, NLA_NUL_STRING: string)
    and the same range where the policy sets one.

Prints "PASS [unit] NAME" / "FAIL [unit] NAME: reason" lines; exit 1 on a FAIL.
"""
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Values of the kernel-side names the policies use, for Debian's kernels.
KNOWN = {"MAX_NUMNODES": 1 << 10, "MS_TLB_TOP_MAX": None}


def read(path):
    with open(os.path.join(REPO, path)) as f:
        return f.read()


def uapi_names(text):
    names = set(re.findall(r"\b(MEMSCOPE_[A-Z0-9_]+)\b", text))
    cmds = [n for n in re.findall(r"^\s*(MEMSCOPE_CMD_[A-Z0-9_]+)", text, re.M)
            if n not in ("MEMSCOPE_CMD_UNSPEC", "MEMSCOPE_CMD_MAX")]
    return names, cmds


def policies(text):
    """{policy name: {attr: (nla type, lo, hi)}} from kmod/netlink.c."""
    out = {}
    for name, body in re.findall(r"nla_policy (\w+)\[[^\]]*\] = \{((?:\n.*?)?)\};", text, re.S):
        attrs = {}
        for attr, spec in re.findall(r"\[(MEMSCOPE_\w+)\]\s*=\s*(.+?),\n", body + ",\n"):
            m = re.match(r"NLA_POLICY_(RANGE|MAX|MIN)\((NLA_\w+),\s*(.*)\)$", spec.strip())
            if m:
                kind, typ, args = m.groups()
                vals = [evaluate(a) for a in args.split(",")]
                lo, hi = {"RANGE": (vals[0], vals[-1]), "MAX": (0, vals[0]),
                          "MIN": (vals[0], None)}[kind]
                attrs[attr] = (typ, lo, hi)
            else:
                typ = re.search(r"\.type\s*=\s*(NLA_\w+)", spec)
                attrs[attr] = (typ.group(1) if typ else spec, None, None)
        out[name] = attrs
    return out


def evaluate(expr):
    expr = expr.strip()
    for k, v in KNOWN.items():
        if v is not None:
            expr = re.sub(r"\b%s\b" % k, str(v), expr)
    if not re.fullmatch(r"[0-9 +\-*()]+", expr):
        raise ValueError("cannot evaluate '%s'" % expr)
    return eval(expr)  # digits and arithmetic only, checked above


def ops(text):
    """{command: policy name} from ms_ops[]."""
    return dict(re.findall(r"\.cmd = (MEMSCOPE_CMD_\w+),.*?\.policy = (\w+),", text, re.S))


def syz_unions(text):
    """{union name: {attr: (syz type, lo, hi)}}."""
    out = {}
    for name, body in re.findall(r"^(\w+) \[\n(.*?)\n\] \[varlen\]", text, re.S | re.M):
        attrs = {}
        for attr, typ in re.findall(r"nlattr\[(MEMSCOPE_\w+),\s*(.+?)\]$", body, re.M):
            m = re.match(r"(int32|int64)\[(\d+):(\d+)\]$", typ)
            if m:
                attrs[attr] = (m.group(1), int(m.group(2)), int(m.group(3)))
            else:
                attrs[attr] = (typ.split("[")[0], None, None)
        out[name] = attrs
    return out


TYPES = {"NLA_U32": ("int32", "pid"), "NLA_U64": ("int64",), "NLA_FLAG": ("void",),
         "NLA_NUL_STRING": ("string",)}


def main():
    uapi = read("kmod/uapi/memscope.h")
    syz = read("tests/syzkaller/memscope.txt")
    netlink = read("kmod/netlink.c")
    m = re.search(r"#define MS_TLB_TOP_MAX\s+(\d+)", read("kmod/memscope.h"))
    KNOWN["MS_TLB_TOP_MAX"] = int(m.group(1)) if m else None
    names, cmds = uapi_names(uapi)
    results = []

    calls = dict(re.findall(r"^sendmsg\$(MEMSCOPE_CMD_\w+)\(.*?msghdr_memscope\[\1, (\w+)\]", syz, re.M))
    missing = [c for c in cmds if c not in calls]
    extra = [c for c in calls if c not in cmds]
    results.append(("syzkaller-every-command", not missing and not extra,
                    "missing %s, unknown %s" % (missing, extra)))

    unknown = sorted(n for n in set(re.findall(r"\b(MEMSCOPE_[A-Z0-9_]+)\b", syz)) if n not in names)
    results.append(("syzkaller-names-exist", not unknown, "not in the uapi header: %s" % unknown))

    pol = policies(netlink)
    op = ops(netlink)
    unions = syz_unions(syz)
    bad = []
    for cmd, union in calls.items():
        kernel = pol.get(op.get(cmd), None)
        desc = unions.get(union)
        if kernel is None or desc is None:
            bad.append("%s: no policy or union" % cmd)
            continue
        if not kernel:  # an empty policy: the description may only add rejected attributes
            continue
        if set(kernel) != set(desc):
            bad.append("%s: policy %s vs description %s" % (cmd, sorted(kernel), sorted(desc)))
            continue
        for attr, (typ, lo, hi) in kernel.items():
            styp, slo, shi = desc[attr]
            if styp not in TYPES.get(typ, ()):
                bad.append("%s %s: %s described as %s" % (cmd, attr, typ, styp))
            elif slo is not None and (slo, shi) != (lo, hi):
                bad.append("%s %s: range [%s, %s] described as [%s, %s]" % (cmd, attr, lo, hi, slo, shi))
            elif slo is None and hi is not None and styp != "pid":
                bad.append("%s %s: the policy bounds it to [%s, %s], the description does not" % (cmd, attr, lo, hi))
    results.append(("syzkaller-policies-match", not bad, "; ".join(bad)))

    failed = 0
    for name, ok, why in results:
        print("PASS [unit] %s" % name if ok else "FAIL [unit] %s: %s" % (name, why))
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
