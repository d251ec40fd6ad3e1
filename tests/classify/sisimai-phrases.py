#!/usr/bin/env python3
"""sisimai-phrases.py - compare dsnmilter's reasons with Sisimai's phrase lists.

A developer tool, not part of `make check`: it needs Sisimai 4.x installed
(Debian: libsisimai-perl).  Sisimai's modules list the error texts real
servers send, reason by reason:

  Sisimai/Reason/*.pm   string lists (state $index) and regexes (state $regex)
  Sisimai/Rhost/*.pm    provider tables: reason => [phrases] or phrase => reason
  Sisimai/Lhost/*.pm    MTA tables ($messagesof, $refailures, ...)

The data is read by Perl itself (each `state $x = ...;` initialiser is
evaluated, nothing of Sisimai runs); a regex is turned into the literal
texts it matches (each alternative, a representative for classes and
repeats), and each text is kept only if the regex does match it.

For every phrase a minimal RFC 3464 bounce is written (Status: 5.0.0,
which names no reason, and "Diagnostic-Code: smtp; 550 <phrase>", which
names no SMTP command), all of them go through one `dsnmilter -j` call,
and the phrases where dsnmilter's reason differs from the reason of the
Sisimai table the phrase comes from are listed:

  source  phrase  sisimai=REASON  match=REASON  ours=REASON

"match" is what Sisimai::Reason->match() says for the text alone (its own
class order; "undefined" for provider phrases it only knows with the
provider's host name); when it names another reason than the table,
Sisimai itself is ambiguous about the phrase: "[ambiguous]".

Usage:
  tests/classify/sisimai-phrases.py [-b DSNMILTER] [-c CONF] [--sisimai DIR]
                                    [--all] [--tsv FILE] [--cmd rcpt|data|mail]

  --all       list every phrase, not only the disagreements
  --tsv FILE  also write "reason<TAB><TAB>phrase" lines for every phrase
  --cmd X     append "(in reply to X command)" to every text, e.g. to see
              the userunknown phrases as refused at RCPT TO
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import re._parser as sre_parse
    import re._constants as sre_c
except ImportError:  # Python < 3.11
    import sre_parse
    import sre_constants as sre_c

REASONS = set("""
userunknown mailboxfull hostunknown filtered expired rejected blocked
authfailure networkerror policyviolation requireptr spamdetected
securityerror systemerror systemfull notaccept toomanyconn mailererror
onhold hasmoved suspend notcompliantrfc norelaying exceedlimit mesgtoobig
badreputation contenterror virusdetected syntaxerror speeding
failedstarttls suppressed feedback vacation delivered undefined
""".split())

# Perl: evaluate every `state $NAME = ...;` initialiser of the modules and
# print one JSON object per initialiser: {file, kind, module, name, data};
# regexes become {"qr": pattern, "flags": ...}.
PERL_EXTRACT = r'''
use strict; use warnings; use JSON::PP;
my $dir = shift;
my $json = JSON::PP->new->canonical->allow_nonref;
sub conv {
    my $v = shift;
    my $r = ref $v;
    return $v if $r eq '';
    if ($r eq 'Regexp') {
        my $s = "$v";
        my ($fl, $pat) = $s =~ /\A\(\?\^(\w*):(.*)\)\z/s;
        return { qr => defined $pat ? $pat : $s, flags => $fl // '' };
    }
    return [ map { conv($_) } @$v ] if $r eq 'ARRAY';
    return { map { ($_ => conv($v->{$_})) } keys %$v } if $r eq 'HASH';
    return undef;
}
for my $kind (qw(Reason Rhost Lhost)) {
    for my $f (sort glob("$dir/$kind/*.pm")) {
        open my $fh, '<', $f or next;
        local $/; my $src = <$fh>; close $fh;
        $src =~ s/\n__END__\n.*//s;
        my ($mod) = $f =~ m{/(\w+)\.pm\z};
        while ($src =~ /\bstate\s+\$(\w+)\s*=\s*/g) {
            my ($name, $start) = ($1, pos($src));
            my $end = $start;
            my $val;
            # the initialiser ends at the first ";" after which it compiles
            for (1 .. 400) {
                $end = index($src, ';', $end + 1);
                last if $end < 0;
                my $code = substr($src, $start, $end - $start);
                $val = eval "no strict; no warnings; my \$x = $code; \$x";
                last if !$@ && defined $val;
                undef $val;
            }
            next unless defined $val;
            print $json->encode({ file => "$kind/$mod.pm", kind => $kind,
                                  module => $mod, name => $name,
                                  data => conv($val) }), "\n";
            pos($src) = $end > 0 ? $end : length $src;
        }
    }
}
'''

# Perl: Sisimai::Reason->match() for each line of stdin
PERL_MATCH = r'''
use strict; use warnings; use Sisimai::Reason;
binmode STDOUT, ':utf8';
while (my $l = <STDIN>) { chomp $l; print Sisimai::Reason->match($l) // '', "\n"; }
'''

MAX_VARIANTS = 6


def expand(parsed, budget=MAX_VARIANTS):
    """The literal texts a parsed regex (sequence of sre items) matches:
    every alternative, one representative for classes and repeats."""
    out = ['']
    for op, av in parsed:
        alts = expand_item(op, av, budget)
        if not alts:
            return []
        out = [a + b for a in out for b in alts][:budget * 4]
    return out


def class_rep(items):
    neg = any(op == sre_c.NEGATE for op, _ in items)
    if neg:
        excluded = set()
        for op, av in items:
            if op == sre_c.LITERAL:
                excluded.add(chr(av))
        for c in 'xyz0':
            if c not in excluded:
                return 'x' if c != '0' else '0'
        return 'x'
    for op, av in items:
        if op == sre_c.LITERAL:
            return chr(av)
        if op == sre_c.RANGE:
            return chr(av[0])
        if op == sre_c.CATEGORY:
            return cat_rep(av)
    return 'x'


def cat_rep(cat):
    name = str(cat).lower()
    if 'digit' in name and 'not' not in name:
        return '1'
    if 'space' in name and 'not' not in name:
        return ' '
    if 'word' in name and 'not' not in name:
        return 'x'
    return 'x'


def expand_item(op, av, budget):
    if op == sre_c.LITERAL:
        return [chr(av)]
    if op == sre_c.NOT_LITERAL:
        return ['x' if av != ord('x') else 'y']
    if op == sre_c.ANY:
        return ['x']
    if op == sre_c.IN:
        return [class_rep(av)]
    if op == sre_c.CATEGORY:
        return [cat_rep(av)]
    if op == sre_c.AT:
        return ['']
    if op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
        return ['']
    if op == sre_c.SUBPATTERN:
        return expand(av[-1], budget)
    if hasattr(sre_c, 'ATOMIC_GROUP') and op == sre_c.ATOMIC_GROUP:
        return expand(av, budget)
    if op == sre_c.BRANCH:
        res = []
        for b in av[1]:
            res.extend(expand(b, budget))
        return res
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) or \
            (hasattr(sre_c, 'POSSESSIVE_REPEAT') and op == sre_c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        body = expand(sub, budget)
        if not body:
            return []
        if lo == 0 and hi == 1:
            # optional part: the text with it, and without it
            return body[:budget] + ['']
        n = max(lo, 1)
        # a class or "." repeated stands for a word: "xxxx"
        if len(sub) == 1 and sub[0][0] in (sre_c.IN, sre_c.ANY, sre_c.NOT_LITERAL,
                                           sre_c.CATEGORY) and hi > 1:
            n = max(lo, min(4, hi))
            ch = body[0]
            if ch == '1':
                return ['1' * n]
            if ch == ' ':
                return [' ']
            return [('example' * 2)[:max(n, 4)] if hi > 4 else ch * n]
        return [b * n for b in body[:budget]]
    if op == sre_c.GROUPREF:
        return ['']
    return []


def regex_texts(pat, flags):
    """Texts for a Perl regex source (best effort)."""
    p = pat.replace('\\z', '\\Z').replace('(?^', '(?')
    pyflags = re.I
    if 'x' in flags:
        pyflags |= re.X
    if 's' in flags:
        pyflags |= re.S
    try:
        rx = re.compile(p, pyflags)
        parsed = sre_parse.parse(p, pyflags)
    except (re.error, OverflowError, RecursionError) as e:
        return None, str(e)
    texts = []
    for t in expand(list(parsed), 10 ** 6):
        t = re.sub(r'\s+', ' ', t).strip()
        if t and rx.search(t) and t not in texts:
            texts.append(t)
    return texts, None


def usable(s):
    """A diagnostic phrase, not a status code, keyword or marker."""
    if not isinstance(s, str):
        return False
    s = s.strip()
    if len(s) < 4 or not re.search(r'[a-zA-Z]{2}', s):
        return False
    if not s.isascii() or '\n' in s:
        return False
    if re.fullmatch(r'[A-Z0-9_#.-]+', s):   # codes: IPBL00001, AUP#CDRBL
        return False
    return True


def collect(node, reason, src, out, stats):
    """Walk a table under a known reason: strings and regexes."""
    if isinstance(node, str):
        if usable(node):
            out.append((src, reason, node.strip()))
    elif isinstance(node, list):
        for v in node:
            collect(v, reason, src, out, stats)
    elif isinstance(node, dict):
        if 'qr' in node and len(node) <= 2:
            texts, err = regex_texts(node['qr'], node.get('flags', ''))
            if texts is None:
                stats['regex_skipped'] += 1
                return
            stats['regex_expanded'] += 1
            for t in texts:
                if usable(t):
                    out.append((src, reason, t))
        else:
            for k, v in node.items():
                collect(v, reason, src, out, stats)


def extract(sisimai_dir):
    stats = {'regex_expanded': 0, 'regex_skipped': 0}
    res = subprocess.run(['perl', '-e', PERL_EXTRACT, sisimai_dir],
                         capture_output=True, text=True, check=True)
    phrases = []
    for line in res.stdout.splitlines():
        o = json.loads(line)
        kind, mod, name, data = o['kind'], o['module'], o['name'], o['data']
        src = o['file'] + ':' + name
        if kind == 'Reason':
            reason = mod.lower()
            if name not in ('index', 'regex') or reason in (
                    'delivered', 'feedback', 'undefined'):
                continue
            collect(data, reason, src, phrases, stats)
            continue
        if not isinstance(data, dict) or name in ('errortitle', 'startingof',
                                                  'markingsof', 'boundaries'):
            continue
        for k, v in data.items():
            if k in REASONS:                            # reason => [phrases]
                collect(v, k, src, phrases, stats)
            elif isinstance(v, str) and v in REASONS and ' ' in k:
                if usable(k):                           # phrase => reason
                    phrases.append((src, v, k))
    # one line per (reason, phrase); the first source names it
    seen, uniq = set(), []
    for src, reason, p in phrases:
        key = (reason, p.lower())
        if key not in seen:
            seen.add(key)
            uniq.append((src, reason, p))
    return uniq, stats


def bounce(i, text):
    boundary = 'BOUNDARY-%d' % i
    diag = text if re.match(r'[245]\d\d[ -]', text) else '550 ' + text
    return f"""From: MAILER-DAEMON@mx.example.org
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 1 Jan 2024 00:00:00 +0000
Message-ID: <phrase-{i}@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to one or more recipients.

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; user@example.net
Action: failed
Status: 5.0.0
Diagnostic-Code: smtp; {diag}

--{boundary}--
"""


def run_dsnmilter(binary, conf, texts, workdir):
    files = []
    for i, t in enumerate(texts):
        fn = os.path.join(workdir, 'p%05d.eml' % i)
        with open(fn, 'w') as f:
            f.write(bounce(i, t))
        files.append(fn)
    cmd = [binary]
    if conf:
        cmd += ['-c', conf]
    cmd += ['-j'] + files
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode not in (0, 1) and not res.stdout:
        sys.exit('dsnmilter failed: ' + res.stderr)
    got = {}
    for line in res.stdout.splitlines():
        o = json.loads(line)
        rc = o.get('recipients') or []
        got[o['file']] = rc[0]['reason'] if rc else '(no recipient)'
    return [got.get(fn, '(no output)') for fn in files]


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-b', '--dsnmilter', default=os.environ.get(
        'DSNMILTER', os.path.join(top, 'build/ph/src/dsnmilter')))
    ap.add_argument('-c', '--conf', default=os.path.join(top, 'etc/dsnmilter.conf'))
    ap.add_argument('--sisimai', default='/usr/share/perl5/Sisimai')
    ap.add_argument('--all', action='store_true')
    ap.add_argument('--tsv')
    ap.add_argument('--cmd', choices=['rcpt', 'data', 'mail'])
    a = ap.parse_args()

    phrases, stats = extract(a.sisimai)
    suffix = {'rcpt': ' (in reply to RCPT TO command)',
              'data': ' (in reply to end of DATA command)',
              'mail': ' (in reply to MAIL FROM command)'}.get(a.cmd, '')
    texts = [p + suffix for _, _, p in phrases]
    res = subprocess.run(['perl', '-e', PERL_MATCH], input='\n'.join(
        '550 ' + t for t in texts) + '\n', capture_output=True, text=True, check=True)
    sis_match = res.stdout.splitlines()
    with tempfile.TemporaryDirectory() as d:
        ours = run_dsnmilter(a.dsnmilter, a.conf, texts, d)

    bad = ambiguous = 0
    by_reason = {}
    for (src, reason, p), m, o in zip(phrases, sis_match, ours):
        agree = (o == reason)
        if not agree:
            bad += 1
            by_reason[reason] = by_reason.get(reason, 0) + 1
        amb = m not in (reason, '', 'undefined', 'onhold')
        if amb and not agree:
            ambiguous += 1
        if a.all or not agree:
            print('%s\t%s\tsisimai=%s\tmatch=%s\tours=%s%s' % (
                src, p, reason, m, o, '\t[ambiguous]' if amb else ''))
    if a.tsv:
        with open(a.tsv, 'w') as f:
            for (src, reason, p) in phrases:
                f.write('%s\t\t%s\n' % (reason, p))
    print('# %d phrases (%d regexes expanded, %d skipped); %d disagreements '
          '(%d where Sisimai::Reason->match names another reason)' % (
              len(phrases), stats['regex_expanded'], stats['regex_skipped'],
              bad, ambiguous), file=sys.stderr)
    print('# disagreements by Sisimai reason: ' + ' '.join(
        '%s=%d' % kv for kv in sorted(by_reason.items(), key=lambda kv: -kv[1])),
        file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
