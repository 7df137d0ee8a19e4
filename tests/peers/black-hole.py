#!/usr/bin/env python3
# black-hole.py - N TCP listeners on an address of 127.0.0.0/8 that
# accept every connection and never send a byte: the black holes of the
# probe deadline test and of bench/probe-scale.sh.  A connection is held
# open until the client closes it or the program exits.
#
# Usage: black-hole.py [--address A] [--max-seconds S] N
# Prints the N ports (picked free by the kernel) on one line, once every
# socket listens.  Python 3 standard library only.
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
    ap.add_argument("n", type=int)
    a = ap.parse_args()
    if not a.address.startswith("127."):
        sys.exit("black-hole.py: loopback addresses only")
    listeners = []
    for _ in range(a.n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((a.address, 0))
        s.listen(128)
        listeners.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in listeners), flush=True)
    held = []
    end = time.monotonic() + a.max_seconds
    while time.monotonic() < end:
        ready, _, _ = select.select(listeners + held, [], [], 1)
        for s in ready:
            if s in listeners:
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
