#!/usr/bin/env python3
"""Check `dsnmilter -j` corpus output: valid JSON, one line per file, and
accuracy at or above the floors.

usage: score.py RESULTS.jsonl NFILES CORPUS SCORE_CORPUS FLOORS
Prints the whole-corpus score (shared/tools/score-corpus), the score on the
files that carry a delivery-status part, and `N passed, N failed`.
"""
import json, os, re, subprocess, sys

REQUIRED = ('file', 'bounce', 'kind', 'reporting_mta', 'arrival_date', 'recipients')
RCPT = ('recipient', 'original_recipient', 'action', 'status', 'reply_code',
        'reason', 'owner', 'remote_mta', 'diagnostic', 'last_attempt')

def check_json(path, nfiles):
    bad = []
    rows = []
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        try:
            r = json.loads(line)
        except ValueError as e:
            bad.append(f'line {n}: not JSON: {e}'); continue
        miss = [k for k in REQUIRED if k not in r]
        miss += [k for rc in r.get('recipients', []) for k in RCPT if k not in rc]
        if miss:
            bad.append(f'line {n}: missing {sorted(set(miss))}')
        rows.append(r)
    if len(rows) != nfiles:
        bad.append(f'{len(rows)} results for {nfiles} files')
    return rows, bad

def dsn_subset(rows, corpus):
    """status accuracy over the expected rows whose file has a DSN part"""
    pat = re.compile(rb'message/(global-)?delivery-status', re.I)
    res = {r['file']: r for r in rows}
    ok = tot = 0
    for line in open(os.path.join(corpus, 'expected.jsonl')):
        e = json.loads(line)
        if not pat.search(open(os.path.join(corpus, e['file']), 'rb').read()):
            continue
        tot += 1
        rc = res.get(e['file'], {}).get('recipients', [])
        i = e['rcptindex'] - 1
        want = e['status'] if isinstance(e['status'], list) else [e['status']]
        ok += i < len(rc) and rc[i]['status'] in want
    return 100.0 * ok / tot if tot else 0.0, tot

def main(argv):
    path, nfiles, corpus, scorer, floors_path = argv[1:6]
    rows, bad = check_json(path, int(nfiles))
    for b in bad:
        print('not ok - ' + b)
    out = subprocess.run([sys.executable, scorer, path], capture_output=True, text=True).stdout
    print(out, end='')
    m = re.search(r'score: status=([\d.]+) reason=([\d.]+) replycode=([\d.]+) all=([\d.]+)', out)
    got = dict(zip(('status', 'reason', 'replycode', 'all'), map(float, m.groups()))) if m else {}
    got['dsn_status'], tot = dsn_subset(rows, corpus)
    print(f'delivery-status files: status {got["dsn_status"]:.1f}% of {tot} expected recipients')
    passed, failed = (0 if bad else 1), (1 if bad else 0)
    for line in open(floors_path):
        line = line.split('#')[0].strip()
        if not line:
            continue
        k, v = line.split('=')
        if got.get(k.strip(), -1) + 1e-9 >= float(v):
            passed += 1; print(f'ok - {k.strip()} {got.get(k.strip())} >= floor {v}')
        else:
            failed += 1; print(f'not ok - {k.strip()} {got.get(k.strip())} < floor {v}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main(sys.argv))
