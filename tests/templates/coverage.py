#!/usr/bin/env python3
"""Every status code of the two reference files has a template of its own.

usage: coverage.py DSNMILTER CONFIG SEED_CODES IANA_TSV

For each code of SEED_CODES (ranges checked at both ends and in the middle)
and each code of IANA_TSV (X.S.D asked as X.S.D, 4.S.D and 5.S.D, and for the
2.x-only X.1.5 as 2.1.5 too), `dsnmilter -x CODE` must answer
"template: NAME (matched by code)" with a NAME that names that code (e.g.
code-5.7.509, code-x.1.1, range-5.7.700-750): a template of its own, not a
fallback.  Prints `N passed, N failed`; exits 1 on a failure.
"""
import re, subprocess, sys

def queries(seed_path, iana_path):
    for line in open(seed_path):
        code = line.strip()
        if not code:
            continue
        m = re.fullmatch(r'(\d)\.(\d+)\.(\d+)-(\d+)', code)
        if m:
            c, s, lo, hi = m.group(1), m.group(2), int(m.group(3)), int(m.group(4))
            for d in sorted({lo, (lo + hi) // 2, hi}):
                yield f'{c}.{s}.{d}', f'range-{code}', f'code-{c}.{s}.{d}'
        else:
            yield code, f'code-{code}', None
    for n, line in enumerate(open(iana_path)):
        if n == 0 or not line.strip():
            continue
        code = line.split('\t')[0]
        rest = code[2:]
        for c in ('X', '4', '5'):
            yield f'{c}.{rest}', f'code-x.{rest}', f'code-{c}.{rest}'.lower()

def main(argv):
    dsnmilter, config, seed, iana = argv[1:5]
    passed = failed = 0
    for code, want, also in queries(seed, iana):
        out = subprocess.run([dsnmilter, '-c', config, '-x', code],
                             capture_output=True, text=True)
        first = out.stdout.split('\n', 1)[0]
        m = re.fullmatch(r'template: (\S+) \(matched by (\w+)\)', first)
        ok = (out.returncode == 0 and m is not None and m.group(2) == 'code'
              and m.group(1) in (want, also) and len(out.stdout) > 200)
        if ok:
            passed += 1
        else:
            failed += 1
            print(f'not ok - {code}: got {first!r} (exit {out.returncode}), want {want}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main(sys.argv))
