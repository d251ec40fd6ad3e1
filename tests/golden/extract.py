#!/usr/bin/env python3
"""Print the decoded text/plain (or, with --html, text/html) part of our
multipart/alternative explanation in a message read from stdin."""
import email
import email.policy
import sys


def main():
    want = "text/html" if "--html" in sys.argv[1:] else "text/plain"
    msg = email.message_from_binary_file(sys.stdin.buffer,
                                         policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() != "multipart/alternative":
            continue
        for sub in part.iter_parts():
            if sub.get_content_type() == want:
                sys.stdout.write(sub.get_content())
                return 0
    sys.stderr.write("extract.py: no %s part in an alternative\n" % want)
    return 1


if __name__ == "__main__":
    sys.exit(main())
