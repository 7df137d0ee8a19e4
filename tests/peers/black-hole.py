#!/usr/bin/env python3
# black-hole.py - N TCP listeners on an address of 127.0.0.0/8 that never
# send a byte: the black holes of the probe deadline test and of
# bench/probe-scale.sh.  Two kinds:
#
#   accept    (default) accept every connection and stay silent; the
#             connection is held until the client closes it or the
#             program exits (a server that never greets)
#   syn-drop  never accept, and fill the listen queue (backlog 0) with
#             connections of our own: Linux then drops every further SYN,
#             so a client's connect() hangs as behind a firewall that
#             drops packets, without root or packet filter rules
#
# Usage: black-hole.py [--address A] [--max-seconds S] [--kind K] N
# Prints the N ports (picked free by the kernel) on one line, once every
# socket listens (and, for syn-drop, once its queue is full).  Python 3
# standard library only.
# SPDX-License-Identifier: ISC

import argparse
import select
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--address", default="127.0.0.1")
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--kind", choices=("accept", "syn-drop"),
                    default="accept")
    ap.add_argument("n", type=int)
    a = ap.parse_args()
    if not a.address.startswith("127."):
        sys.exit("black-hole.py: loopback addresses only")
    listeners = []
    for _ in range(a.n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((a.address, 0))
        s.listen(0 if a.kind == "syn-drop" else 128)
        listeners.append(s)
    fillers = []
    if a.kind == "syn-drop":
        for s in listeners:
            for _ in range(2):
                c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                c.setblocking(False)
                try:
                    c.connect(s.getsockname())
                except BlockingIOError:
                    pass
                fillers.append(c)
        time.sleep(0.2)
        listeners_polled = []
    else:
        listeners_polled = listeners
    print(" ".join(str(s.getsockname()[1]) for s in listeners), flush=True)
    held = []
    end = time.monotonic() + a.max_seconds
    while time.monotonic() < end:
        ready, _, _ = select.select(listeners_polled + held, [], [], 1)
        for s in ready:
            if s in listeners_polled:
                c, _ = s.accept()
                held.append(c)
            else:
                # The client closed (or sent something): read and drop;
                # forget the connection once it is closed.
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    held.remove(s)
                    s.close()


if __name__ == "__main__":
    main()
