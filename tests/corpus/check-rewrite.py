#!/usr/bin/env python3
"""check-rewrite.py - check what `dsnmilter -r` makes of real bounces.

usage: check-rewrite.py [-v] FILE...

For every FILE, run `$DSNMILTER -c $DSNMILTER_CONF -r FILE` (defaults:
src/dsnmilter and etc/dsnmilter.conf of this tree) and check the result:

- it parses with python3 email (policy.default) with no defect that the
  input did not already have (counted per defect class, over all parts);
- a multipart/report stays a multipart/report with the same boundary, the
  same preamble and epilogue, and parts 2..n byte-identical (raw bytes
  between the delimiter lines; when the report had no text part 1 and
  ours was put in front, every original part);
- a bounce rewritten as multipart/mixed has our alternative as part 1 and
  the original body, byte for byte, as the body of part 2;
- our new part is 7-bit, no line longer than 998 bytes, and holds a
  multipart/alternative of text/plain and text/html that decode.

A message left unchanged (not a bounce, or skipped) passes.  The last
line printed is "N passed, N failed"; the exit status is 1 on a failure.
"""
import collections
import email
import email.policy
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DSNMILTER = os.environ.get("DSNMILTER", os.path.join(ROOT, "src", "dsnmilter"))
CONF = os.environ.get("DSNMILTER_CONF", os.path.join(ROOT, "etc",
                                                      "dsnmilter.conf"))
EOL = re.compile(rb"\r\n|\n|\r")


class Fail(Exception):
    pass


def split_message(raw):
    """(header bytes, body bytes): the body starts after the empty line."""
    pos = 0
    while pos < len(raw):
        m = EOL.search(raw, pos)
        if m is None:
            return raw, b""
        if m.start() == pos:
            return raw[:pos], raw[m.end():]
        pos = m.end()
    return raw, b""


def break_before(body, lo, at):
    """Start of the line break that ends just before offset at."""
    if at > lo and body[at - 1:at] == b"\n":
        at -= 1
        if at > lo and body[at - 1:at] == b"\r":
            at -= 1
    elif at > lo and body[at - 1:at] == b"\r":
        at -= 1
    return at


def delimiters(body, boundary):
    """[(line start, next line start, closing)] of the delimiter lines."""
    delim = b"--" + boundary
    found, pos = [], 0
    while pos < len(body):
        m = EOL.search(body, pos)
        end, nxt = (m.start(), m.end()) if m else (len(body), len(body))
        line = body[pos:end]
        if line.startswith(delim):
            rest = line[len(delim):]
            closing = rest.startswith(b"--") and not rest[2:].strip(b" \t")
            if closing or not rest.strip(b" \t"):
                found.append((pos, nxt, closing))
                if closing:
                    break
        pos = nxt
    return found


def split_parts(body, boundary):
    """(preamble, [raw parts], epilogue) of a multipart body."""
    d = delimiters(body, boundary)
    if not d:
        raise Fail("boundary %r not found" % boundary)
    parts = []
    for (_, a, _), (b, _, _) in zip(d, d[1:]):
        parts.append(body[a:break_before(body, a, b)])
    if d[-1][2]:
        epilogue = body[d[-1][1]:]
    else:
        parts.append(body[d[-1][1]:])
        epilogue = b""
    return body[:d[0][0]], parts, epilogue


def defects(msg):
    count = collections.Counter()
    for part in msg.walk():
        for d in part.defects:
            count[type(d).__name__] += 1
    return count


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def check_alternative(raw_part):
    """Our part: 7-bit, short lines, text/plain + text/html that decode."""
    try:
        raw_part.decode("ascii")
    except UnicodeDecodeError:
        raise Fail("new part is not 7-bit")
    for line in EOL.split(raw_part):
        if len(line) > 998:
            raise Fail("new part has a line of %d bytes" % len(line))
    part = parse(raw_part)
    if part.get_content_type() != "multipart/alternative":
        raise Fail("part 1 is %s" % part.get_content_type())
    kids = [p.get_content_type() for p in part.iter_parts()]
    if kids != ["text/plain", "text/html"]:
        raise Fail("alternative holds %s" % kids)
    for p in part.iter_parts():
        if not p.get_content().strip():
            raise Fail("%s part is empty" % p.get_content_type())


def check_report(inp, out, in_body, out_body):
    boundary = inp.get_param("boundary")
    if out.get_content_type() != "multipart/report":
        raise Fail("top-level type became %s" % out.get_content_type())
    if out.get_param("boundary") != boundary:
        raise Fail("boundary changed")
    b = boundary.encode("utf-8", "surrogateescape")
    in_pre, in_parts, in_epi = split_parts(in_body, b)
    out_pre, out_parts, out_epi = split_parts(out_body, b)
    if in_pre != out_pre or in_epi != out_epi:
        raise Fail("preamble or epilogue changed")
    if len(out_parts) == len(in_parts):
        kept, orig = out_parts[1:], in_parts[1:]
    elif len(out_parts) == len(in_parts) + 1:
        kept, orig = out_parts[1:], in_parts
    else:
        raise Fail("%d parts became %d" % (len(in_parts), len(out_parts)))
    for i, (a, b2) in enumerate(zip(orig, kept)):
        if a != b2:
            raise Fail("part %d is not byte-identical" % (i + 2))
    check_alternative(out_parts[0])


def check_mixed(out, in_body, out_body):
    if out.get_content_type() != "multipart/mixed":
        raise Fail("rewritten plain bounce is %s" % out.get_content_type())
    b = out.get_param("boundary").encode("ascii")
    _, parts, _ = split_parts(out_body, b)
    if len(parts) != 2:
        raise Fail("multipart/mixed has %d parts" % len(parts))
    check_alternative(parts[0])
    if split_message(parts[1])[1] != in_body:
        raise Fail("part 2 body differs from the original body")


def check(path, verbose):
    with open(path, "rb") as f:
        raw_in = f.read()
    run = subprocess.run([DSNMILTER, "-c", CONF, "-r", path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60)
    if run.returncode != 0:
        raise Fail("dsnmilter -r exited %d: %s" % (
            run.returncode, run.stderr.decode("utf-8", "replace")[-300:]))
    raw_out = run.stdout
    in_body, out_body = split_message(raw_in)[1], split_message(raw_out)[1]
    inp, out = parse(raw_in), parse(raw_out)
    new = defects(out) - defects(inp)
    if new:
        raise Fail("new defects: %s" % dict(new))
    if in_body == out_body:
        return "unchanged"
    if inp.get_content_type() == "multipart/report" \
            and inp.get_param("boundary") \
            and delimiters(in_body, inp.get_param("boundary").encode(
                "utf-8", "surrogateescape")):
        check_report(inp, out, in_body, out_body)
        return "report"
    check_mixed(out, in_body, out_body)
    return "mixed"


def main(argv):
    verbose = "-v" in argv
    files = [a for a in argv if a != "-v"]
    passed = failed = 0
    for path in files:
        try:
            kind = check(path, verbose)
            passed += 1
            if verbose:
                print("ok   %s (%s)" % (path, kind))
        except (Fail, subprocess.TimeoutExpired, OSError) as e:
            failed += 1
            print("FAIL %s: %s" % (path, e))
        except Exception as e:  # a parser crash is a finding too
            failed += 1
            print("FAIL %s: %s: %s" % (path, type(e).__name__, e))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
