#!/usr/bin/env python3
"""Compare dsnmilter -j with expected.tsv, and check dsnmilter -r.

usage: check.py DSNMILTER CONF DIR

One line per mismatch: "FAIL" (not in KNOWN) or "known" (listed in KNOWN,
with the cause).  A file counts as passed when every field matches, as
known when its only mismatches are in KNOWN, as failed otherwise.  The
last line is "N passed, N failed".  Exit 1 on any failure.

Per file: the kind; per expected recipient (matched by address, case
folded): present, action, status, reason, owner; recipients that are not
expected; the order of the recipients; and dsnmilter -r: exit status 0
and an output that email.message_from_bytes() parses without new
structural defects and whose every leaf part decodes.
"""
import email
import email.policy
import json
import os
import subprocess
import sys

FIELDS = ("action", "status", "reason", "owner")


def read_tsv(path, ncols):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < ncols:
                sys.exit("%s:%d: %d columns, want %d" % (path, n, len(cols), ncols))
            rows.append([("" if c == "-" else c) for c in cols[:ncols]]
                        + cols[ncols:])
    return rows


def leaf_errors(msg):
    errs = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        try:
            part.get_payload(decode=True)
        except Exception as e:  # noqa: BLE001 - any failure counts
            errs.append("part %s does not decode: %s"
                        % (part.get_content_type(), e))
    return errs


def defects(msg):
    out = set()
    for part in msg.walk():
        out.update(type(d).__name__ for d in part.defects)
    return out


def check_rewrite(dsnmilter, conf, path):
    """Problems of dsnmilter -r on path, as a list of strings."""
    p = subprocess.run([dsnmilter, "-c", conf, "-r", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    if p.returncode != 0:
        return ["-r exited %d: %s" % (p.returncode,
                                      p.stderr.decode(errors="replace").strip())]
    if not p.stdout:
        return ["-r printed nothing"]
    with open(path, "rb") as f:
        orig = email.message_from_bytes(f.read(), policy=email.policy.compat32)
    # Decoding registers defects too (bad base64 padding): decode the
    # input's leaves as the output's are, so that a defect the bounce
    # already had in a part kept unchanged does not count as new.
    leaf_errors(orig)
    before = defects(orig)
    try:
        out = email.message_from_bytes(p.stdout, policy=email.policy.compat32)
    except Exception as e:  # noqa: BLE001
        return ["-r output does not parse: %s" % e]
    errs = leaf_errors(out)
    new = defects(out) - before
    if new:
        errs.append("-r output has new MIME defects: %s" % ", ".join(sorted(new)))
    if out.get("From") is None:
        errs.append("-r output lost its From header")
    return errs


def main():
    dsnmilter, conf, d = sys.argv[1:4]
    strict = os.environ.get("STRICT_KNOWN") == "1"
    expected = read_tsv(os.path.join(d, "expected.tsv"), 7)
    known = {}
    for f, rcpt, field, got, want, *cause in read_tsv(os.path.join(d, "KNOWN"), 5):
        known[(f, rcpt.casefold(), field, want)] = (got, cause[0] if cause else "")
    files = sorted(x for x in os.listdir(d) if x.endswith(".eml"))
    exp = {}
    for row in expected:
        exp.setdefault(row[0], []).append(row)
    missing = set(files) - set(exp)
    if missing:
        sys.exit("no expected.tsv line for: " + " ".join(sorted(missing)))
    stale = set(exp) - set(files)
    if stale:
        sys.exit("expected.tsv names missing files: " + " ".join(sorted(stale)))

    paths = [os.path.join(d, f) for f in files]
    p = subprocess.run([dsnmilter, "-c", conf, "-j"] + paths,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    got = {}
    for line in p.stdout.decode("utf-8", errors="replace").splitlines():
        o = json.loads(line)
        got[os.path.basename(o["file"])] = o
    if p.returncode != 0:
        print("FAIL dsnmilter -j exited %d: %s"
              % (p.returncode, p.stderr.decode(errors="replace").strip()))

    used = set()
    npass = nknown = nfail = 0
    for f in files:
        mism = []  # (recipient, field, got, want)
        o = got.get(f)
        if o is None:
            mism.append(("", "output", "", "one JSON line"))
        else:
            rows = exp[f]
            if o["kind"] != rows[0][1]:
                mism.append(("", "kind", o["kind"], rows[0][1]))
            byaddr = {}
            for r in o["recipients"]:
                byaddr.setdefault(r["recipient"].casefold(), r)
            want_addrs = [r[2].casefold() for r in rows if r[2]]
            for row in rows:
                addr = row[2]
                if not addr:
                    continue
                r = byaddr.get(addr.casefold())
                if r is None:
                    mism.append((addr, "recipient", "", addr))
                    continue
                for i, field in enumerate(FIELDS):
                    if r[field] != row[3 + i]:
                        mism.append((addr, field, r[field], row[3 + i]))
            for r in o["recipients"]:
                if r["recipient"].casefold() not in want_addrs:
                    mism.append((r["recipient"], "recipient", r["recipient"], ""))
            order = [r["recipient"].casefold() for r in o["recipients"]
                     if r["recipient"].casefold() in want_addrs]
            if len(order) == len(want_addrs) and order != want_addrs:
                mism.append(("", "order", " ".join(order), " ".join(want_addrs)))
        for e in check_rewrite(dsnmilter, conf, os.path.join(d, f)):
            mism.append(("", "rewrite", e, ""))

        failed = False
        for rcpt, field, g, w in mism:
            key = (f, rcpt.casefold(), field, w)
            if key in known:
                used.add(key)
                kgot, cause = known[key]
                note = "" if kgot == g else " (KNOWN says got %r)" % kgot
                print("known %s %s %s: got %r, want %r%s -- %s"
                      % (f, rcpt or "-", field, g, w, note, cause))
            else:
                failed = True
                print("FAIL %s %s %s: got %r, want %r" % (f, rcpt or "-", field, g, w))
        if failed:
            nfail += 1
        elif mism:
            nknown += 1
        else:
            npass += 1
    for key in sorted(set(known) - used):
        print("%s KNOWN entry no longer mismatches (remove it): %s %s %s want %r"
              % ("FAIL" if strict else "note", key[0], key[1] or "-", key[2], key[3]))
        if strict:
            nfail += 1
    if p.returncode != 0:
        nfail += 1
    print("formats: %d files as expected, %d with known problems only (KNOWN)"
          % (npass, nknown))
    print("%d passed, %d failed" % (npass + nknown, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
