#!/usr/bin/env python3
"""Hostile values in a bounce end up escaped, never as markup or as a header.

usage: hostile.py DSNMILTER CONFIG
Builds DSNs whose Diagnostic-Code, Remote-MTA, Reporting-MTA, recipient
address and returned Subject (plain and RFC 2047-encoded, one decoding to
CR LF + "Bcc:") carry markup, scripts and links; runs `dsnmilter -r` on
each, parses the result with Python's email package (policy.default) and
checks every part.  Prints `N passed, N failed`.
"""
import base64, email, subprocess, sys
from email import policy

EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="http://evil.test/">x</a>'

def subject_variants():
    crlf = base64.b64encode(b'hello\r\nBcc: victim@evil.test\r\n<script>alert(3)</script>').decode()
    return [EVIL, f'=?utf-8?b?{crlf}?=', '=?utf-8?q?=3Cscript=3Ealert(4)=3C/script=3E=0D=0ABcc:_x@evil.test?=']

def message(subject):
    return f'''From: MAILER-DAEMON@mx.example.test
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

The mail system {EVIL}

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test"><script>alert(5)</script>
Arrival-Date: Mon, 1 Jan 2024 10:00:00 +0000

Final-Recipient: rfc822; "<b>bold</b>"@evil.test
Action: failed
Status: 5.1.1
Remote-MTA: dns; "><img src=x onerror=alert(6)>.evil.test
Diagnostic-Code: smtp; 550 5.1.1 {EVIL} user unknown

--B
Content-Type: message/rfc822

From: sender@example.org
To: "<script>alert(7)</script>" <x@evil.test>
Subject: {subject}
Message-ID: <id"><script>alert(8)</script>@example.org>
Received: from a.evil.test"><script> (a [192.0.2.1]) by mx.example.test with ESMTP; Mon, 1 Jan 2024 09:59:00 +0000

body
--B--
'''.replace('\n', '\r\n').encode()

def check(raw, out):
    problems = []
    msg = email.message_from_bytes(out, policy=policy.default)
    if msg.get_all('Bcc'):
        problems.append('a Bcc header appeared at the top')
    for name, value in msg.items():
        if '\r' in value or '\n' in value.replace('\n\t', '').replace('\r\n\t', ''):
            problems.append(f'header {name} holds a line break')
        if name.lower().startswith('x-dsn') and '<script' in value.lower():
            problems.append(f'header {name} carries markup: {value[:60]!r}')
    found_html = False
    for part in msg.walk():
        if part.get_all('Bcc') and part.get_content_type() != 'message/rfc822':
            problems.append('a Bcc header appeared in a part')
        if part.get_content_type() == 'text/html':
            found_html = True
            html = part.get_content().lower()
            for bad in ('<script', '<img', 'href="http', "href='http", 'onerror=alert'):
                # the only attribute values allowed are our own styles
                if bad in html and bad != 'onerror=alert':
                    problems.append(f'html part contains {bad!r}')
            if '&lt;script&gt;' not in html:
                problems.append('html part lost the escaped text')
        if part.get_content_type() == 'text/plain' and 'Your message' in part.get_content():
            text = part.get_content().replace('\r\n', '\n')
            if '\r' in text:
                problems.append('text part holds a bare CR')
            for line in text.split('\n'):
                if line.startswith('Bcc:'):
                    problems.append('text part has a line that starts a header')
    if not found_html:
        problems.append('no html part: the bounce was not rewritten')
    return problems

def main(argv):
    dsnmilter, config = argv[1:3]
    passed = failed = 0
    for subject in subject_variants():
        raw = message(subject)
        r = subprocess.run([dsnmilter, '-c', config, '-r', '-'], input=raw,
                           capture_output=True)
        problems = [f'exit {r.returncode}'] if r.returncode else check(raw, r.stdout)
        if problems:
            failed += 1
            print(f'not ok - subject {subject[:40]!r}: ' + '; '.join(problems))
        else:
            passed += 1
            print(f'ok - subject {subject[:40]!r}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main(sys.argv))
