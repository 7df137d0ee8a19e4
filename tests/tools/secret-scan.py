#!/usr/bin/env python3
# secret-scan.py - look for a secret in files, in the encodings a leak
# could take: as is, lower- and upper-case hex, base64 (at the three
# alignments it can start at in a longer encoded stream), UTF-16LE and
# UTF-16BE, and URL/percent encoding.  Tar archives are also opened and
# their members searched the same way (tests/secrets.sh extracts them
# with tar(1) as well).
#
# Usage: secret-scan.py SECRET-FILE PATH...
#   SECRET-FILE holds the secret on its first line.  Directories are
#   walked.  Prints one line per hit ("FILE: ENCODING") and exits 1 when
#   the secret was found, 0 when not, 2 on a usage error.
# Python 3 standard library only.
# SPDX-License-Identifier: ISC

import base64
import io
import os
import sys
import tarfile
import urllib.parse


def needles(secret):
    """(name, bytes) pairs: every form of the secret searched for."""
    out = [("plain", secret),
           ("hex", secret.hex().encode()),
           ("HEX", secret.hex().upper().encode()),
           ("utf-16le", secret.decode("utf-8").encode("utf-16-le")),
           ("utf-16be", secret.decode("utf-8").encode("utf-16-be"))]
    quoted = urllib.parse.quote(secret, safe="").encode()
    if quoted != secret:
        out.append(("percent", quoted))
    # In a base64 stream the secret starts at byte offset 0, 1 or 2 of a
    # 3-byte group; encode it behind 0-2 filler bytes and keep only the
    # characters that depend on the secret alone.
    for shift in range(3):
        enc = base64.b64encode(b"\0" * shift + secret)
        lead = {0: 0, 1: 2, 2: 3}[shift]
        tail = (shift + len(secret)) % 3
        body = enc[lead:len(enc) - (4 if tail else 0)]
        if len(body) >= 8:
            out.append(("base64/%d" % shift, body))
    return out


def scan_bytes(data, forms):
    return [name for name, n in forms if n in data]


def scan_file(path, forms, hits):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        print("%s: cannot read: %s" % (path, e), file=sys.stderr)
        return
    for name in scan_bytes(data, forms):
        hits.append("%s: %s" % (path, name))
    if len(data) >= 512:
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as t:
                for m in t.getmembers():
                    if not m.isfile():
                        continue
                    body = t.extractfile(m).read()
                    for name in scan_bytes(body, forms):
                        hits.append("%s[%s]: %s" % (path, m.name, name))
                    if m.name.find("password") >= 0:
                        hits.append("%s[%s]: member named after the "
                                    "password file" % (path, m.name))
        except (tarfile.TarError, EOFError, ValueError):
            pass


def main():
    if len(sys.argv) < 3:
        print("usage: secret-scan.py SECRET-FILE PATH...", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        secret = f.read().split(b"\n")[0]
    if len(secret) < 8:
        print("secret-scan.py: a secret of 8 bytes at least",
              file=sys.stderr)
        return 2
    forms = needles(secret)
    hits = []
    for top in sys.argv[2:]:
        if os.path.isdir(top):
            for d, _, files in os.walk(top):
                for name in sorted(files):
                    scan_file(os.path.join(d, name), forms, hits)
        else:
            scan_file(top, forms, hits)
    for h in hits:
        print(h)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
