#!/usr/bin/env python3
# tar-tamper.py - make tampered copies of an evidence archive for the
# tests, with Python's own tar module (an implementation independent of
# mxbpa's):
#   flip IN OUT NAME        flip one byte in the middle of member NAME
#   remove IN OUT NAME      rewrite without member NAME
#   add IN OUT NAME         rewrite with an extra member NAME
#   edit-manifest IN OUT    change one hex digit of the first digest
#   evil OUT KIND           an archive with a manifest and one member that
#                           is refused: dotdot, absolute, symlink,
#                           hardlink, duplicate, directory (or ok: one
#                           that verifies)
#   offsets IN              print "NAME OFFSET SIZE" of each member's data
#   pad IN OUT NAME         write bytes into the padding after member NAME
#   header IN OUT NAME      write bytes into an unused field of NAME's
#                           header (devmajor), checksum fixed
#   zeros IN OUT            append one more record of zeros
# SPDX-License-Identifier: ISC
import io
import sys
import tarfile


def members(path):
    with tarfile.open(path, "r:", format=tarfile.USTAR_FORMAT) as t:
        return [(m, t.extractfile(m).read() if m.isfile() else b"")
                for m in t.getmembers()]


def write(path, items):
    with tarfile.open(path, "w:", format=tarfile.USTAR_FORMAT) as t:
        for info, data in items:
            if info.isfile():
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)


def file_info(name, size=0):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    return info


def main(argv):
    op = argv[1]
    if op == "offsets":
        with tarfile.open(argv[2], "r:") as t:
            for m in t.getmembers():
                print(m.name, m.offset_data, m.size)
        return 0
    if op == "pad":
        src, out, name = argv[2:5]
        raw = bytearray(open(src, "rb").read())
        with tarfile.open(src, "r:") as t:
            m = t.getmember(name)
        end = m.offset_data + m.size
        if end % 512 == 0:
            sys.stderr.write("tar-tamper: %s has no padding\n" % name)
            return 1
        raw[end:end + 3] = b"XYZ"[:512 - end % 512]
        open(out, "wb").write(raw)
        return 0
    if op == "header":
        src, out, name = argv[2:5]
        raw = bytearray(open(src, "rb").read())
        with tarfile.open(src, "r:") as t:
            h = t.getmember(name).offset
        raw[h + 329:h + 335] = b"000007"
        raw[h + 148:h + 156] = b" " * 8
        raw[h + 148:h + 156] = b"%06o\0 " % sum(raw[h:h + 512])
        open(out, "wb").write(raw)
        return 0
    if op == "zeros":
        src, out = argv[2:4]
        open(out, "wb").write(open(src, "rb").read() + bytes(10240))
        return 0
    if op == "flip":
        src, out, name = argv[2:5]
        raw = bytearray(open(src, "rb").read())
        with tarfile.open(src, "r:") as t:
            m = t.getmember(name)
        raw[m.offset_data + m.size // 2] ^= 0x01
        open(out, "wb").write(raw)
        return 0
    if op == "remove":
        src, out, name = argv[2:5]
        write(out, [(i, d) for i, d in members(src) if i.name != name])
        return 0
    if op == "add":
        src, out, name = argv[2:5]
        items = members(src)
        items.append((file_info(name), b"added later\n"))
        write(out, items)
        return 0
    if op == "edit-manifest":
        src, out = argv[2:4]
        items = []
        for info, data in members(src):
            if info.name == "manifest.txt":
                i = data.index(b"member: ") + 8
                data = data[:i] + (b"0" if data[i:i + 1] != b"0" else b"1") \
                    + data[i + 1:]
            items.append((info, data))
        write(out, items)
        return 0
    if op == "evil":
        out, kind = argv[2:4]
        body = b"x\n"
        import hashlib
        digest = hashlib.sha256(body).hexdigest()
        name = {"dotdot": "inputs/../../evil", "absolute": "/tmp/evil",
                "ok": "inputs/1-x.txt"}.get(kind, "evil")
        manifest = ("mxbpa-evidence-archive 1\ntool: mxbpa test\n"
                    "member: %s %d %s\n" % (digest, len(body), name)).encode()
        items = [(file_info("manifest.txt"), manifest)]
        if kind in ("dotdot", "absolute", "duplicate", "ok"):
            items.append((file_info(name), body))
        if kind == "duplicate":
            items.append((file_info(name), body))
        if kind in ("symlink", "hardlink"):
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE if kind == "symlink" else \
                tarfile.LNKTYPE
            info.linkname = "/etc/passwd" if kind == "symlink" else \
                "manifest.txt"
            items.append((info, b""))
        if kind == "directory":
            info = tarfile.TarInfo("evil")
            info.type = tarfile.DIRTYPE
            items.append((info, b""))
        write(out, items)
        return 0
    print("unknown operation", op, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
