#!/usr/bin/env python3
"""smtp-sink.py - a tiny SMTP server for the dsnmilter end-to-end test.

Usage: smtp-sink.py --port PORT --spool DIR [--pid-file FILE] [--lifetime SECONDS]

Listens on 127.0.0.1:PORT only.  RCPT TO answers depend on the local part:
  nouser*  -> 550 5.1.1 <rcpt>: user unknown
  full*    -> 452 4.2.2 mailbox full
  other    -> 250 and the message is stored as DIR/NNN.eml
The server exits by itself after --lifetime seconds (default 170), so a test
that dies without cleaning up cannot leave it running for long.  Python 3
standard library only (no smtpd/asyncore, which are deprecated).
"""

import argparse
import os
import socket
import socketserver
import sys
import threading

MAX_LINE = 4096           # longer command lines are answered with 500
MAX_MESSAGE = 10 << 20    # DATA larger than this is refused with 552
IDLE_TIMEOUT = 30         # seconds a client may stay silent


def address_of(arg):
    """Return the address inside <...> of a MAIL/RCPT argument, or ''."""
    start = arg.find("<")
    end = arg.find(">", start + 1)
    if start < 0 or end < 0:
        return arg.split(":", 1)[-1].strip().split(" ")[0]
    return arg[start + 1:end]


def rcpt_reply(addr):
    """Return the SMTP reply for RCPT TO:<addr>, and whether it is accepted."""
    local = addr.split("@", 1)[0].lower()
    if local.startswith("nouser"):
        return "550 5.1.1 <%s>: user unknown" % addr, False
    if local.startswith("full"):
        return "452 4.2.2 mailbox full", False
    return "250 2.1.5 Ok", True


class Session(socketserver.StreamRequestHandler):
    """One SMTP session; commands may arrive pipelined."""

    timeout = IDLE_TIMEOUT

    def reply(self, text):
        self.wfile.write(text.encode("ascii", "replace") + b"\r\n")
        self.wfile.flush()

    def readline(self):
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            raise EOFError
        return line

    def handle(self):
        self.reset()
        self.reply("220 sink.e2e.test ESMTP e2e sink")
        try:
            while self.command(self.readline()):
                pass
        except (EOFError, OSError, socket.timeout):
            pass

    def reset(self):
        self.sender = None
        self.rcpts = []

    def command(self, raw):
        if len(raw) > MAX_LINE:
            self.reply("500 5.5.2 line too long")
            return False
        line = raw.decode("latin-1").rstrip("\r\n")
        verb, _, arg = line.partition(" ")
        verb = verb.upper()
        if verb in ("EHLO", "HELO"):
            self.reset()
            self.reply("250-sink.e2e.test" if verb == "EHLO" else "250 sink.e2e.test")
            if verb == "EHLO":
                self.reply("250-PIPELINING")
                self.reply("250 8BITMIME")
        elif verb == "MAIL":
            self.reset()
            self.sender = address_of(arg)
            self.reply("250 2.1.0 Ok")
        elif verb == "RCPT":
            if self.sender is None:
                self.reply("503 5.5.1 need MAIL first")
                return True
            addr = address_of(arg)
            text, ok = rcpt_reply(addr)
            if ok:
                self.rcpts.append(addr)
            self.reply(text)
        elif verb == "DATA":
            self.data()
        elif verb in ("RSET", "NOOP"):
            if verb == "RSET":
                self.reset()
            self.reply("250 2.0.0 Ok")
        elif verb == "QUIT":
            self.reply("221 2.0.0 Bye")
            return False
        else:
            self.reply("502 5.5.2 command not implemented")
        return True

    def data(self):
        if not self.rcpts:
            self.reply("554 5.5.1 no valid recipients")
            return
        self.reply("354 End data with <CR><LF>.<CR><LF>")
        chunks, size = [], 0
        while True:
            line = self.rfile.readline(MAX_MESSAGE)
            if not line:
                raise EOFError
            if line in (b".\r\n", b".\n"):
                break
            if line.startswith(b"."):
                line = line[1:]
            size += len(line)
            if size <= MAX_MESSAGE:
                chunks.append(line)
        if size > MAX_MESSAGE:
            self.reply("552 5.3.4 message too big")
        else:
            self.server.store(self.sender, self.rcpts, b"".join(chunks))
            self.reply("250 2.0.0 Ok: stored")
        self.reset()


class Sink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port, spool):
        super().__init__(("127.0.0.1", port), Session)
        self.spool = spool
        self.lock = threading.Lock()
        self.count = 0

    def store(self, sender, rcpts, data):
        with self.lock:
            self.count += 1
            name = os.path.join(self.spool, "%05d.eml" % self.count)
        envelope = "X-Sink-Envelope: <%s> -> %s\n" % (
            sender, ", ".join("<%s>" % r for r in rcpts))
        tmp = name + ".tmp"
        with open(tmp, "wb") as f:
            f.write(envelope.encode("latin-1", "replace"))
            f.write(data.replace(b"\r\n", b"\n"))
        os.rename(tmp, name)


def main():
    ap = argparse.ArgumentParser(description="SMTP sink for dsnmilter e2e tests")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--spool", required=True)
    ap.add_argument("--pid-file")
    ap.add_argument("--lifetime", type=float, default=170.0)
    args = ap.parse_args()

    server = Sink(args.port, args.spool)
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())
    timer = threading.Timer(args.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if args.pid_file:
            try:
                os.unlink(args.pid_file)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
