#!/bin/sh
# xml-door.sh - only src/xml.c calls libxml2's readers and parsers (an
# allow-list: any xml*/html*/xslt* call whose name says Read or Parse,
# outside xml.c, fails, except the two that take an already parsed
# document).
# SPDX-License-Identifier: ISC
set -e
. "$MXBPA_TOP_SRCDIR/tests/lib.sh"
cd "$top"
for f in src/*.c fuzz/*.c; do
	[ "$f" = src/xml.c ] && continue
	hits=$(grep -noE '(xml|html|xslt|xmlTextReader)[A-Za-z0-9_]*(Read|Parse|Reader|Load)[A-Za-z0-9_]*[[:space:]]*\(' "$f" \
	    | grep -vE ':(xmlXPath[A-Za-z]*|xsltParseStylesheetDoc|xmlCleanupParser|xmlInitParser|xmlSetExternalEntityLoader)[[:space:]]*\(' \
	    || true)
	ok "$([ -z "$hits" ] && echo 0 || echo 1)" "$f parses XML only through xml.c"
	[ -z "$hits" ] || echo "$hits" | sed 's/^/# /'
done
check "xml.c refuses DOCTYPE through the internalSubset callback" \
	grep -q 'internalSubset = xml_refuse_doctype' src/xml.c
check "xml.c never enables entity substitution or huge documents" \
	sh -c "! grep -nE 'XML_PARSE_(NOENT|DTDLOAD|DTDATTR|XINCLUDE|HUGE)' src/*.c"
finish
