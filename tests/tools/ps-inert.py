#!/usr/bin/env python3
"""ps-inert.py - check that the commands of findings stay inert in PowerShell.

Usage: ps-inert.py MARKER SUFFIX FINDINGS.xml [FORMAT:LANG=REPORT ...]

MARKER is a word of SUFFIX, the hostile text appended to the names of the
model (tests/tools/hostile-names.xsl).  For each <command> of each
remediation of FINDINGS.xml:

- it holds no control character (a line break would end the command);
- it tokenises completely, as PowerShell reads a command line: strings in
  single quotes (ASCII ' and the Unicode quotes U+2018 to U+201B, a doubled
  quote standing for one), expandable strings in double quotes (ASCII " and
  U+201C to U+201E) where $ and ` are live, everything else bare words;
- MARKER appears only inside single-quoted strings, never in an expandable
  string nor as a bare word, where PowerShell would run it;
- each argument written as a single-quoted string, or as ('a' + [char]0xN
  + 'b'), that holds MARKER holds SUFFIX whole: the value is the name, not
  a mangled copy.

Then, for each FORMAT:LANG=REPORT (html, text, json, csv, sarif, junit),
every command in that language is found as it is in the report's text
once decoded (entities, JSON strings, CSV cells), so that what a user
copies is what was checked.  SARIF gives a rule the remediation of its
first finding only: there, the first finding's commands.

Prints TAP lines; exits 1 when a check fails.
"""
import csv
import html
import html.parser
import json
import re
import sys
import xml.etree.ElementTree as ET

F = "{urn:mxbpa:findings:1}"
SQ = "'\u2018\u2019\u201a\u201b"
DQ = "\"\u201c\u201d\u201e"
n = 0
failed = 0


def ok(good, what):
    global n, failed
    n += 1
    if not good:
        failed += 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, what))


def tokens(cmd):
    """Yield (kind, text) with kind sq, dq or bare; raise on an open string."""
    i, bare = 0, ""
    while i < len(cmd):
        c = cmd[i]
        if c in SQ:
            if bare:
                yield ("bare", bare)
                bare = ""
            i += 1
            value = ""
            while True:
                if i >= len(cmd):
                    raise ValueError("unterminated single-quoted string")
                if cmd[i] in SQ:
                    if i + 1 < len(cmd) and cmd[i + 1] in SQ:
                        value += cmd[i]
                        i += 2
                        continue
                    i += 1
                    break
                value += cmd[i]
                i += 1
            yield ("sq", value)
            continue
        if c in DQ:
            if bare:
                yield ("bare", bare)
                bare = ""
            i += 1
            value = ""
            while True:
                if i >= len(cmd):
                    raise ValueError("unterminated double-quoted string")
                if cmd[i] == "`" and i + 1 < len(cmd):
                    value += cmd[i:i + 2]
                    i += 2
                    continue
                if cmd[i] in DQ:
                    if i + 1 < len(cmd) and cmd[i + 1] in DQ:
                        value += cmd[i]
                        i += 2
                        continue
                    i += 1
                    break
                value += cmd[i]
                i += 1
            yield ("dq", value)
            continue
        bare += c
        i += 1
    if bare:
        yield ("bare", bare)


def arguments(toks):
    """The values of single-quoted arguments, joining ('a' + [char]0xN ...)."""
    values, group = [], None
    for kind, text in toks:
        if kind == "sq":
            if group is not None:
                group.append(text)
            else:
                values.append(text)
            continue
        if kind == "bare":
            for part in re.split(r"(\(|\)|\[char\]0x[0-9A-Fa-f]+)", text):
                if part == "(":
                    group = []
                elif part == ")" and group is not None:
                    values.append("".join(group))
                    group = None
                elif part.startswith("[char]0x") and group is not None:
                    group.append(chr(int(part[8:], 16)))
    return values


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


def decoded(fmt, path):
    raw = open(path, encoding="utf-8").read()
    if fmt == "html":
        p = Text()
        p.feed(raw)
        return "".join(p.parts)
    if fmt in ("json", "sarif"):
        return "\n".join(strings(json.loads(raw)))
    if fmt == "csv":
        return "\n".join(c for row in csv.reader(raw.splitlines(True))
                         for c in row)
    if fmt == "junit":
        return "\n".join(ET.fromstring(raw.encode("utf-8")).itertext())
    return raw


def main():
    marker, suffix, findings = sys.argv[1], sys.argv[2], sys.argv[3]
    root = ET.parse(findings).getroot()
    commands, first = [], set()
    for f in root.iter(F + "finding"):
        rule = f.get("rule")
        for r in f.iter(F + "remediation"):
            lang = r.get("{http://www.w3.org/XML/1998/namespace}lang")
            for c in r.iter(F + "command"):
                commands.append((rule, lang, rule not in first, c.text or ""))
        first.add(rule)
    ok(len(commands) > 0, "%s: the remediations hold commands (%d)"
       % (findings, len(commands)))
    carrying = 0
    for rule, _, _, cmd in commands:
        what = "%s: %s" % (rule, cmd[:60].replace("\n", " "))
        bad = [c for c in cmd if ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0]
        ok(not bad, "%s: no control character" % what)
        try:
            toks = list(tokens(cmd))
        except ValueError as e:
            ok(False, "%s: %s" % (what, e))
            continue
        live = [t for k, t in toks if k != "sq" and marker in t]
        ok(not live, "%s: %s only in single-quoted strings%s" % (
           what, marker, " (live in: %r)" % live[0] if live else ""))
        args = [a for a in arguments(toks) if marker in a]
        whole = all(suffix in a for a in args)
        ok(whole, "%s: each argument holds the hostile name whole" % what)
        if args:
            carrying += 1
    for spec in sys.argv[4:]:
        fmt, path = spec.split("=", 1)
        fmt, lang = fmt.split(":", 1)
        text = decoded(fmt, path)
        missing = [c for _, l, head, c in commands if l == lang and
                   (head or fmt != "sarif") and c not in text]
        ok(not missing, "%s report %s shows every command as checked%s" % (
           fmt, path, " (not: %r)" % missing[0][:80] if missing else ""))
    print("# %d command(s), %d with a hostile name" % (len(commands),
          carrying))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
