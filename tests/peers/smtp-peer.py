#!/usr/bin/env python3
# smtp-peer.py - a scripted SMTP peer that misbehaves on purpose, for the
# tests of "mxbpa probe" (tests/peers/hostile.sh).  It listens on
# 127.0.0.1, plays a declarative scenario (tests/peers/scenarios/*.scn,
# format in tests/peers/README) on every connection, and logs every
# command it receives, exactly, so a test can prove what the client sent
# ("no DATA", "RSET then QUIT").
#
# Usage: smtp-peer.py --scenario FILE --log FILE [--port N] [--concurrent]
#                     [--connections N] [--max-seconds S] [--conn-seconds S]
#                     [--files DIR]
# The first line on stdout is the port listened on (useful with --port 0).
# Python 3 standard library only.
# SPDX-License-Identifier: ISC

import argparse
import os
import re
import select
import socket
import ssl
import struct
import sys
import threading
import time

COMMAND_MAX = 65536  # bytes of one command line kept before it is cut
CHUNK = 65536  # bytes per send() of the large outputs
READY_TLS = b"220 2.0.0 Ready to start TLS\r\n"


class ScenarioError(Exception):
    """A scenario file that does not parse; names the file and line."""


def unescape(text, where):
    """Bytes of a scenario text: UTF-8, with \\r \\n \\t \\0 \\\\ \\s (a
    space, so that a text can end with one) and \\xHH escapes."""
    out = bytearray()
    i = 0
    simple = {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0", "\\": b"\\",
              "s": b" "}
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        if i + 1 >= len(text):
            raise ScenarioError("%s: lone backslash at the end" % where)
        e = text[i + 1]
        if e in simple:
            out += simple[e]
            i += 2
        elif e == "x":
            h = text[i + 2:i + 4]
            try:
                if len(h) != 2:
                    raise ValueError(h)
                out.append(int(h, 16))
            except ValueError:
                raise ScenarioError("%s: bad escape \\x%s" % (where, h))
            i += 4
        else:
            raise ScenarioError("%s: unknown escape \\%s" % (where, e))
    return bytes(out)


def number(text, where, kind=float):
    try:
        value = kind(text)
    except ValueError:
        raise ScenarioError("%s: not a number: %r" % (where, text))
    if value < 0:
        raise ScenarioError("%s: negative number: %r" % (where, text))
    return value


# directive -> (minimum words of argument, maximum words or None)
DIRECTIVES = {
    "send": (0, None), "send-raw": (1, None), "bad-code": (1, None),
    "drip": (2, None), "expect": (1, None), "read": (0, 0),
    "sleep": (1, 1), "close": (0, 0), "reset": (0, 0),
    "starttls-plaintext": (1, None), "tls-stall": (0, 1),
    "flood-lines": (2, None), "line-bytes": (2, None),
    "loop-multiline": (1, None), "on": (2, None), "on-line": (2, None),
    "reply-delay": (1, 1), "serve": (0, 1), "tls-accept": (2, 2),
}


class Scenario:
    """The steps of a scenario file and its "on" rules."""

    def __init__(self, path, files=None):
        self.path = path
        # Relative file names (tls-accept) are taken from this directory.
        self.files = files if files is not None else \
            os.path.dirname(os.path.abspath(path))
        self.steps = []  # (where, directive, argument)
        self.rules = {}  # VERB -> reply bytes; "*" is the default
        self.line_rules = []  # (compiled regex, reply bytes), in order
        self.reply_delay = 0.0  # seconds before each answer of serve
        with open(path, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                self._line("%s:%d" % (path, n), raw.rstrip("\n"))
        if not self.steps:
            raise ScenarioError("%s: no step" % path)

    def _line(self, where, line):
        stripped = line.strip()
        if stripped == "" or stripped.startswith("#"):
            return
        word, _, arg = stripped.partition(" ")
        if word not in DIRECTIVES:
            raise ScenarioError("%s: unknown directive %r" % (where, word))
        lo, hi = DIRECTIVES[word]
        count = len(arg.split())
        if count < lo or (hi is not None and count > hi):
            raise ScenarioError("%s: %s takes %s argument(s)" % (
                where, word, lo if lo == hi else "%d or more" % lo))
        arg = arg.lstrip()
        if word == "on":
            verb, _, reply = arg.partition(" ")
            self.rules[verb.upper()] = unescape(reply.strip(), where) + \
                b"\r\n"
            return
        if word == "reply-delay":
            self.reply_delay = number(arg, where)
            return
        if word == "on-line":
            pattern, _, reply = arg.partition(" ")
            try:
                regex = re.compile(pattern.encode("utf-8"), re.IGNORECASE)
            except re.error as e:
                raise ScenarioError("%s: bad pattern: %s" % (where, e))
            self.line_rules.append((regex, unescape(reply.strip(), where) +
                                    b"\r\n"))
            return
        self.steps.append((where, word, self._value(where, word, arg)))

    def _value(self, where, word, arg):
        """The argument of a step, parsed once when the file is read."""
        if word in ("send", "bad-code"):
            return unescape(arg, where) + b"\r\n"
        if word in ("send-raw", "starttls-plaintext"):
            return unescape(arg, where)
        if word == "drip":
            delay, _, data = arg.partition(" ")
            return (number(delay, where), unescape(data.strip(), where))
        if word == "expect":
            return arg.upper()
        if word == "sleep":
            return number(arg, where)
        if word in ("tls-stall", "serve"):
            return number(arg, where) if arg else None
        if word in ("flood-lines", "line-bytes"):
            count, _, text = arg.partition(" ")
            return (number(count, where, int), unescape(text.strip(), where))
        if word == "loop-multiline":
            return unescape(arg, where)
        if word == "tls-accept":
            return self._tls_context(where, *arg.split())
        return None

    def _tls_context(self, where, chain, key):
        """A server TLS context with the certificate chain and key."""
        chain = os.path.join(self.files, chain)
        key = os.path.join(self.files, key)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            ctx.load_cert_chain(chain, key)
        except (OSError, ssl.SSLError) as e:
            raise ScenarioError("%s: cannot load %s and %s: %s" % (
                where, chain, key, e))
        return ctx


class Log:
    """The command log, shared by the connections; flushed per line."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.f = open(path, "w", encoding="ascii")

    @staticmethod
    def quote(data):
        return "".join(chr(b) if 0x20 <= b <= 0x7e and b != 0x5c
                       else "\\x%02x" % b for b in data)

    def write(self, conn, kind, text):
        with self.lock:
            self.f.write("%d %s %s\n" % (conn, kind, text))
            self.f.flush()


class ConnectionEnded(Exception):
    """The client went away or the connection's time is up."""


class Connection:
    """One client, played through the scenario."""

    def __init__(self, sock, serial, scenario, log, seconds):
        self.sock = sock
        self.serial = serial
        self.scenario = scenario
        self.log = log
        self.deadline = time.monotonic() + seconds
        self.buf = b""
        self.eof = False
        self.skipping = False  # dropping the rest of an overlong line

    def event(self, text):
        self.log.write(self.serial, "*", text)

    # --- sending ----------------------------------------------------------

    def send(self, data):
        """Send bytes in one call when they fit, so a reply and what
        follows it leave in the same segment."""
        try:
            for i in range(0, len(data), CHUNK):
                self.sock.settimeout(max(0.01, self.deadline -
                                         time.monotonic()))
                self.sock.sendall(data[i:i + CHUNK])
        except socket.timeout:
            self.event("send-timeout")
            raise ConnectionEnded()
        except OSError as e:
            self.event("send-failed %s" % type(e).__name__)
            raise ConnectionEnded()

    # --- receiving --------------------------------------------------------

    def _fill(self, until):
        """Read what is available before until; False on timeout."""
        wait = min(until, self.deadline) - time.monotonic()
        if wait <= 0:
            return False
        tls = isinstance(self.sock, ssl.SSLSocket)
        # Over TLS, decrypted bytes may wait in the library, not the socket.
        if not (tls and self.sock.pending() > 0):
            ready, _, _ = select.select([self.sock], [], [], wait)
            if not ready:
                return False
        try:
            if tls:
                # A readable socket may hold half a record: wait no longer
                # than the caller would.
                self.sock.settimeout(wait)
            data = self.sock.recv(CHUNK)
        except socket.timeout:
            return True
        except ConnectionResetError:
            self.event("reset-by-client")
            self.eof = True
            return True
        except OSError as e:
            self.event("recv-failed %s" % type(e).__name__)
            self.eof = True
            return True
        if not data:
            self.eof = True
        self.buf += data
        return True

    def _take_tls(self):
        """Log and drop a TLS record at the front of the buffer."""
        if len(self.buf) < 5:
            return False
        length = struct.unpack(">H", self.buf[3:5])[0]
        n = min(len(self.buf), 5 + length)
        self.event("tls-record type=%d %d bytes" % (self.buf[0], n))
        self.buf = self.buf[n:]
        return True

    def command(self, until):
        """Next command line, logged; None when the time is up.  Raises
        ConnectionEnded when the client closed."""
        while True:
            if self.buf[:2] == b"\x16\x03" and self._take_tls():
                continue
            nl = self.buf.find(b"\n")
            if nl >= 0 and self.skipping:
                self.buf = self.buf[nl + 1:]
                self.skipping = False
                continue
            if self.skipping:
                self.buf = b""
            elif nl > COMMAND_MAX:
                self.log.write(self.serial, ">overlong",
                               Log.quote(self.buf[:64]) + "...")
                self.buf = self.buf[nl + 1:]
                continue
            elif nl >= 0:
                line, self.buf = self.buf[:nl], self.buf[nl + 1:]
                kind = ">"
                if line.endswith(b"\r"):
                    line = line[:-1]
                else:
                    kind = ">lf"
                self.log.write(self.serial, kind, Log.quote(line))
                return line
            elif len(self.buf) > COMMAND_MAX:
                self.log.write(self.serial, ">overlong",
                               Log.quote(self.buf[:64]) + "...")
                self.buf = b""
                self.skipping = True
                continue
            if self.eof:
                if self.buf:
                    self.log.write(self.serial, ">partial",
                                   Log.quote(self.buf))
                    self.buf = b""
                self.event("eof")
                raise ConnectionEnded()
            if not self._fill(until):
                if time.monotonic() >= self.deadline:
                    self.event("connection-time-up")
                    raise ConnectionEnded()
                return None

    def hold(self, seconds):
        """Stay silent for seconds, logging what arrives."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            self.command(until)

    # --- the steps --------------------------------------------------------

    def run(self):
        self.event("connect")
        how = "closed"
        try:
            for where, word, value in self.scenario.steps:
                how = self.step(where, word, value)
                if how is not None:
                    break
            else:
                how = "closed"
        except ConnectionEnded:
            how = "closed"
        self.finish(how)

    def finish(self, how):
        """End the connection: RST, or FIN and then log what the client
        still sends (a QUIT after a refusal) until its EOF or 1 s."""
        try:
            if how == "reset":
                # SO_LINGER with a zero timeout: close() sends RST.
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                     struct.pack("ii", 1, 0))
            elif not self.eof:
                # Over TLS a bare FIN would drop the TLS layer under what
                # the client still sends: only wait for its end.
                if not isinstance(self.sock, ssl.SSLSocket):
                    self.sock.shutdown(socket.SHUT_WR)
                self.deadline = min(self.deadline, time.monotonic() + 1)
                try:
                    while self.command(self.deadline) is not None:
                        pass
                except ConnectionEnded:
                    pass
            self.sock.close()
        except OSError:
            pass
        self.event(how)
        self.event("end")

    def step(self, where, word, value):
        """Play one step; returns "closed"/"reset" to end the dialog."""
        if word in ("send", "send-raw", "bad-code"):
            self.send(value)
        elif word == "drip":
            delay, data = value
            for i in range(len(data)):
                self.send(data[i:i + 1])
                if i + 1 < len(data):
                    self.hold(delay)
        elif word == "expect":
            line = self.command(self.deadline)
            if line is None:
                raise ConnectionEnded()
            if not line.decode("latin-1").upper().startswith(value):
                self.event("unexpected, wanted %s (%s)" % (value, where))
                return "closed"
        elif word == "read":
            if self.command(self.deadline) is None:
                raise ConnectionEnded()
        elif word == "sleep":
            self.hold(value)
        elif word == "close":
            return "closed"
        elif word == "reset":
            return "reset"
        elif word == "starttls-plaintext":
            self.send(READY_TLS + value)
        elif word == "tls-stall":
            self.send(READY_TLS)
            self.hold(value if value is not None else 60)
        elif word == "tls-accept":
            self.send(READY_TLS)
            return self.tls_accept(value)
        elif word == "flood-lines":
            count, text = value
            line = text + b"\r\n"
            per = max(1, CHUNK // len(line))
            while count > 0:
                n = min(count, per)
                self.send(line * n)
                count -= n
        elif word == "line-bytes":
            size, prefix = value
            fill = max(0, size - len(prefix))
            self.send(prefix[:size])
            while fill > 0:
                n = min(fill, CHUNK)
                self.send(b"x" * n)
                fill -= n
            self.send(b"\r\n")
        elif word == "loop-multiline":
            i = 0
            while True:
                batch = b"".join(value + str(i + k).encode() + b"\r\n"
                                 for k in range(100))
                self.send(batch)
                i += 100
        elif word == "serve":
            return self.serve(value)
        return None

    def tls_accept(self, ctx):
        """The server side of a TLS handshake; the steps that follow run
        over TLS.  Returns "closed" when the handshake fails."""
        if self.buf:
            # Sent before the 220 was read: not part of the handshake.
            self.event("bytes-before-handshake %d" % len(self.buf))
            self.buf = b""
        try:
            self.sock.settimeout(max(0.01, self.deadline - time.monotonic()))
            tls = ctx.wrap_socket(self.sock, server_side=True,
                                  do_handshake_on_connect=False)
            self.sock = tls
            tls.do_handshake()
        except socket.timeout:
            self.event("tls-handshake-timeout")
            self.eof = True
            return "closed"
        except (ssl.SSLError, OSError) as e:
            self.event("tls-handshake-failed %s" % Log.quote(
                str(e).encode("utf-8", "replace")[:200]))
            self.eof = True
            return "closed"
        self.event("tls-handshake %s %s" % (tls.version(), tls.cipher()[0]))
        return None

    def serve(self, seconds):
        """Answer commands with the "on" rules until QUIT or EOF."""
        until = self.deadline if seconds is None else \
            time.monotonic() + seconds
        rules = self.scenario.rules
        while True:
            line = self.command(until)
            if line is None:
                self.event("serve-time-up")
                return "closed"
            verb = line.split(b" ", 1)[0].decode("latin-1").upper()
            reply = next((r for regex, r in self.scenario.line_rules
                          if regex.search(line)), None)
            if reply is None:
                reply = rules.get(verb, rules.get("*"))
            if reply is None:
                reply = b"500 5.5.2 Command not recognized\r\n"
            if self.scenario.reply_delay > 0:
                self.hold(self.scenario.reply_delay)
            self.send(reply)
            if verb == "QUIT":
                return "closed"
            if verb == "DATA" and reply.startswith(b"354"):
                # The message: its lines are logged; "." ends it.
                while True:
                    body = self.command(until)
                    if body is None:
                        self.event("serve-time-up")
                        return "closed"
                    if body == b".":
                        break
                self.send(rules.get("DATA-END",
                                    b"250 2.0.0 Ok: queued\r\n"))


def main():
    ap = argparse.ArgumentParser(description="scripted hostile SMTP peer")
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--concurrent", action="store_true",
                    help="serve connections in parallel (default: in turn)")
    ap.add_argument("--connections", type=int, default=0,
                    help="exit after this many connections (0: no limit)")
    ap.add_argument("--max-seconds", type=float, default=300,
                    help="exit after this long, whatever happens")
    ap.add_argument("--conn-seconds", type=float, default=120,
                    help="end any connection after this long")
    ap.add_argument("--files",
                    help="directory of the files a scenario names "
                    "(default: the scenario's)")
    args = ap.parse_args()

    try:
        scenario = Scenario(args.scenario, args.files)
    except (ScenarioError, OSError, UnicodeDecodeError) as e:
        print("smtp-peer.py: %s" % e, file=sys.stderr)
        return 2
    log = Log(args.log)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", args.port))
    lsock.listen(16)
    print(lsock.getsockname()[1], flush=True)

    end = time.monotonic() + args.max_seconds
    served = 0
    threads = []
    while args.connections == 0 or served < args.connections:
        left = end - time.monotonic()
        if left <= 0:
            break
        lsock.settimeout(left)
        try:
            sock, _ = lsock.accept()
        except socket.timeout:
            break
        served += 1
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Connection(sock, served, scenario, log,
                          min(args.conn_seconds, end - time.monotonic()))
        if args.concurrent:
            t = threading.Thread(target=conn.run, daemon=True)
            t.start()
            threads.append(t)
        else:
            conn.run()
    for t in threads:
        t.join(max(0, end - time.monotonic()))
    lsock.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
