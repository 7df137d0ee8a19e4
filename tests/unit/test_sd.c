/*
 * test_sd.c - unit tests of sd.c (self-relative security descriptors,
 * SIDs, GUIDs) and sddl.c (SDDL rendering and encoding): a descriptor
 * built byte by byte, every malformation the parser must refuse, the
 * NULL / empty / absent DACL distinctions, SDDL round trips, and the
 * fixture directories fuzz/corpus/sd (all accepted) and tests/malformed/sd
 * (all refused).
 *
 * GUIDs: ab721a54-1e2f-11d0-9819-00aa0040529b is the Send-As extended
 * right (Microsoft's Active Directory schema documentation).  The rights
 * GUIDs of the Exchange receive-connector rights (ms-Exch-SMTP-Submit,
 * ms-Exch-SMTP-Accept-Any-Recipient...) could not be checked against a
 * published source, so the tests use made-up GUIDs in their place.
 *
 * SPDX-License-Identifier: ISC
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "err.h"
#include "sd.h"
#include "sddl.h"
#include "tap.h"
#include "util.h"

#define WHERE		"CN=Relay,CN=Receive Connectors:nTSecurityDescriptor"
#define GUID_SEND_AS	"ab721a54-1e2f-11d0-9819-00aa0040529b"
/* Made up: they stand for Exchange rights whose GUIDs were not checked. */
#define GUID_ANY_RCPT	"aaaaaaaa-0000-4000-8000-000000000001"
#define GUID_SUBMIT	"aaaaaaaa-0000-4000-8000-000000000002"
#define GUID_INHERIT	"11223344-5566-7788-99aa-bbccddeeff00"

/*
 * A descriptor written byte by byte ([MS-DTYP] 2.4.6): owner
 * S-1-5-21-1-2-3-500, group BA, and a DACL of four ACEs: an allowed ACE
 * with CI|IO, a denied ACE, an allowed object ACE with both GUIDs and
 * CI|ID, and a mandatory-label ACE (type 0x11) that the parser skips.
 */
static const uint8_t good_sd[] = {
	/* 0: header */
	0x01, 0x00,			/* Revision 1, Sbz1 */
	0x04, 0x84,			/* SELF_RELATIVE|DACL_AUTO_INHERITED|
					   DACL_PRESENT */
	0x14, 0x00, 0x00, 0x00,		/* OffsetOwner 20 */
	0x30, 0x00, 0x00, 0x00,		/* OffsetGroup 48 */
	0x00, 0x00, 0x00, 0x00,		/* OffsetSacl 0 */
	0x40, 0x00, 0x00, 0x00,		/* OffsetDacl 64 */
	/* 20: owner S-1-5-21-1-2-3-500 */
	0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x15, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0xf4, 0x01, 0x00, 0x00,
	/* 48: group S-1-5-32-544 */
	0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00,
	/* 64: ACL header: revision 4, AclSize 124, AceCount 4 */
	0x04, 0x00, 0x7c, 0x00, 0x04, 0x00, 0x00, 0x00,
	/* 72: ACE 1: allowed, CI|IO, size 20, RC|LO|RP|LC, S-1-5-11 */
	0x00, 0x0a, 0x14, 0x00, 0x94, 0x00, 0x02, 0x00,
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x0b, 0x00, 0x00, 0x00,
	/* 92: ACE 2: denied, size 20, CR, S-1-1-0 */
	0x01, 0x00, 0x14, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00,
	/* 112: ACE 3: allowed object, CI|ID, size 56, CR, Flags 3 */
	0x05, 0x12, 0x38, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x03, 0x00, 0x00, 0x00,
	/* 124: ObjectType ab721a54-1e2f-11d0-9819-00aa0040529b */
	0x54, 0x1a, 0x72, 0xab, 0x2f, 0x1e, 0xd0, 0x11,
	0x98, 0x19, 0x00, 0xaa, 0x00, 0x40, 0x52, 0x9b,
	/* 140: InheritedObjectType 11223344-5566-7788-99aa-bbccddeeff00 */
	0x44, 0x33, 0x22, 0x11, 0x66, 0x55, 0x88, 0x77,
	0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00,
	/* 156: S-1-5-7 */
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x07, 0x00, 0x00, 0x00,
	/* 168: ACE 4: type 0x11, size 20, mask 1, S-1-16-4096 */
	0x11, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x00, 0x10, 0x00, 0x00,
	/* 188: end */
};

#define GOOD_LEN	sizeof(good_sd)
#define OFF_CONTROL	2
#define OFF_OWNER	4
#define OFF_GROUP	8
#define OFF_SACL	12
#define OFF_DACL	16
#define OWNER_SID	20
#define ACL		64
#define ACE1		72
#define ACE2		92
#define ACE3		112
#define ACE4		168

static const char good_sddl[] =
    "O:S-1-5-21-1-2-3-500G:BAD:AI(A;CIIO;LCRPLORC;;;AU)(D;;CR;;;WD)"
    "(OA;CIID;CR;" GUID_SEND_AS ";" GUID_INHERIT ";AN)(0x11;;;;;)";

/* A copy of good_sd, with room to grow, that a test patches. */
struct patched {
	uint8_t	b[GOOD_LEN + 64];
	size_t	len;
};

static struct patched
patch_start(void)
{
	struct patched p;

	memset(&p, 0, sizeof(p));
	memcpy(p.b, good_sd, GOOD_LEN);
	p.len = GOOD_LEN;
	return p;
}

static void
put16(struct patched *p, size_t at, uint16_t v)
{
	p->b[at] = (uint8_t)v;
	p->b[at + 1] = (uint8_t)(v >> 8);
}

static void
put32(struct patched *p, size_t at, uint32_t v)
{
	put16(p, at, (uint16_t)v);
	put16(p, at + 2, (uint16_t)(v >> 16));
}

/* Does buf parse?  The descriptor is freed. */
static int
parses(const uint8_t *buf, size_t len)
{
	struct mx_err err;
	struct sd sd;

	mx_err_init(&err);
	if (sd_parse(buf, len, &sd, &err, WHERE) == -1) {
		tap_diag("refused: %s", err.msg);
		return 0;
	}
	sd_free(&sd);
	return 1;
}

/*
 * Is buf refused with code, the caller's where, and a message holding
 * both needles (the part being read and the fault)?  The descriptor must
 * be left empty.
 */
static int
refused(const uint8_t *buf, size_t len, enum mx_errcode code,
    const char *part, const char *fault)
{
	struct mx_err err;
	struct sd sd;

	mx_err_init(&err);
	if (sd_parse(buf, len, &sd, &err, WHERE) == 0) {
		tap_diag("accepted");
		sd_free(&sd);
		return 0;
	}
	if (err.code != code || strcmp(err.where, WHERE) != 0 ||
	    strstr(err.msg, part) == NULL || strstr(err.msg, fault) == NULL) {
		tap_diag("%s: %s: %s", mx_err_name(err.code), err.where,
		    err.msg);
		return 0;
	}
	return sd.aces == NULL && sd.nace == 0;
}

static const char *
sid_text(const struct sd_sid *sid)
{
	static char out[SD_SID_TEXT_MAX];

	sd_sid_format(sid, out);
	return out;
}

static const char *
guid_text(const uint8_t g[16])
{
	static char out[SD_GUID_TEXT_MAX];

	sd_guid_format(g, out);
	return out;
}

static void
test_parse_by_hand(void)
{
	struct mx_err err;
	struct sd sd;
	const struct sd_ace *a;
	char *text;

	mx_err_init(&err);
	if (!tap_check(sd_parse(good_sd, GOOD_LEN, &sd, &err, WHERE) == 0,
	    "a descriptor written byte by byte parses")) {
		tap_diag("%s", err.msg);
		return;
	}
	tap_check(sd.revision == 1 && sd.control == 0x8404,
	    "the header's revision and control are kept");
	tap_check(sd.has_owner &&
	    strcmp(sid_text(&sd.owner), "S-1-5-21-1-2-3-500") == 0,
	    "the owner SID is read from OffsetOwner");
	tap_check(sd.has_group &&
	    strcmp(sid_text(&sd.group), "S-1-5-32-544") == 0,
	    "the group SID is read from OffsetGroup");
	tap_check(memcmp(&sd.owner, &sd.group, sizeof(sd.owner)) != 0,
	    "owner and group are read from different offsets");
	tap_check(sd.dacl == SD_DACL_LIST && sd.acl_revision == 4 &&
	    sd.nace == 4, "the DACL holds its four ACEs");

	a = &sd.aces[0];
	tap_check(a->known && a->type == SD_ACE_ACCESS_ALLOWED &&
	    a->flags == (SD_ACE_CONTAINER_INHERIT | SD_ACE_INHERIT_ONLY) &&
	    a->mask == 0x00020094 && strcmp(sid_text(&a->sid), "S-1-5-11") == 0,
	    "an allowed ACE keeps its inheritance flags, mask and SID");
	tap_check(!(a->flags & SD_ACE_INHERITED),
	    "an explicit ACE is not marked inherited");

	a = &sd.aces[1];
	tap_check(a->known && a->type == SD_ACE_ACCESS_DENIED &&
	    a->flags == 0 && a->mask == SD_RIGHT_DS_CONTROL_ACCESS &&
	    strcmp(sid_text(&a->sid), "S-1-1-0") == 0,
	    "a denied ACE is read as denied");
	tap_check(a->type != SD_ACE_ACCESS_ALLOWED,
	    "a denied ACE is not taken for an allowed one");

	a = &sd.aces[2];
	tap_check(a->known && a->type == SD_ACE_ACCESS_ALLOWED_OBJECT &&
	    a->mask == SD_RIGHT_DS_CONTROL_ACCESS && a->object_flags == 3,
	    "an object ACE keeps its mask and object flags");
	tap_check(strcmp(guid_text(a->object_type), GUID_SEND_AS) == 0,
	    "an object ACE's ObjectType is the extended right's GUID");
	tap_check(strcmp(guid_text(a->inherited_object_type),
	    GUID_INHERIT) == 0,
	    "an object ACE's InheritedObjectType follows the ObjectType");
	tap_check((a->flags & SD_ACE_INHERITED) &&
	    (a->flags & SD_ACE_CONTAINER_INHERIT),
	    "an inherited object ACE is marked inherited");
	tap_check(strcmp(sid_text(&a->sid), "S-1-5-7") == 0,
	    "an object ACE's SID comes after its GUIDs");

	a = &sd.aces[3];
	tap_check(!a->known && a->type == 0x11 && a->mask == 0,
	    "an ACE of an unknown type is kept undecoded");
	tap_check(sd.aces[2].known,
	    "the ACE before an unknown one is decoded");

	text = sddl_format(&sd);
	tap_check(strcmp(text, good_sddl) == 0,
	    "the descriptor renders as the expected SDDL");
	if (strcmp(text, good_sddl) != 0)
		tap_diag("got %s", text);
	free(text);
	sd.aces[0].mask |= 0x200;
	text = sddl_format(&sd);
	tap_check(strcmp(text, good_sddl) != 0 &&
	    strstr(text, "(A;CIIO;0x20294;;;AU)") != NULL,
	    "a mask the right codes cannot cover renders in hex");
	free(text);
	sd_free(&sd);
	tap_check(sd.aces == NULL && sd.nace == 0,
	    "sd_free leaves an empty descriptor");
	sd_free(NULL);
}

static void
test_header_rejections(void)
{
	struct patched p;

	tap_check(parses(good_sd, GOOD_LEN),
	    "the unpatched descriptor is accepted");
	tap_check(refused(good_sd, 19, MX_ERR_INPUT, "header", "truncated"),
	    "a header of 19 bytes is refused as truncated");
	tap_check(refused(good_sd, 0, MX_ERR_INPUT, "header", "truncated"),
	    "an empty value is refused");
	tap_check(refused(NULL, 0, MX_ERR_INPUT, "header", "truncated"),
	    "a NULL buffer is refused");

	p = patch_start();
	p.b[0] = 2;
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "header",
	    "Revision 2"), "a revision 2 descriptor is refused");

	p = patch_start();
	put16(&p, OFF_CONTROL, 0x0404);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "header",
	    "SE_SELF_RELATIVE"),
	    "a descriptor not marked self-relative is refused");

	p = patch_start();
	put32(&p, OFF_OWNER, GOOD_LEN);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "OffsetOwner",
	    "past the end"), "an owner offset at the end is refused");
	put32(&p, OFF_OWNER, 0xffffffff);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "OffsetOwner",
	    "past the end"), "an owner offset of 2^32-1 is refused");
	p = patch_start();
	put32(&p, OFF_GROUP, GOOD_LEN + 4);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "OffsetGroup",
	    "past the end"), "a group offset past the end is refused");
	p = patch_start();
	put32(&p, OFF_SACL, 0x10000);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "OffsetSacl",
	    "past the end"), "a SACL offset past the end is refused");
	p = patch_start();
	put32(&p, OFF_DACL, 0x80000000);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "OffsetDacl",
	    "past the end"), "a DACL offset past the end is refused");

	p = patch_start();
	put32(&p, OFF_OWNER, 8);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "OffsetOwner",
	    "inside the 20-byte header"),
	    "an owner offset inside the header is refused");
	p = patch_start();
	put32(&p, OFF_DACL, 19);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "OffsetDacl",
	    "inside the 20-byte header"),
	    "a DACL offset one byte inside the header is refused");
	p = patch_start();
	put32(&p, OFF_GROUP, 20);
	tap_check(parses(p.b, p.len),
	    "an offset of 20, just past the header, is accepted");

	p = patch_start();
	put32(&p, OFF_OWNER, GOOD_LEN - 4);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "owner SID",
	    "SID header truncated"),
	    "an owner SID cut by the end of the value is refused");
	p = patch_start();
	p.b[OWNER_SID + 1] = 16;
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "owner SID",
	    "16 sub-authorities"),
	    "an owner SID with 16 sub-authorities is refused");
	p = patch_start();
	p.b[OWNER_SID] = 2;
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "owner SID",
	    "SID revision 2"), "a SID of revision 2 is refused");
}

static void
test_acl_rejections(void)
{
	struct patched p;

	p = patch_start();
	put16(&p, ACL + 2, 125);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL",
	    "AclSize 125 runs past the end"),
	    "an AclSize one byte beyond the buffer is refused");
	p = patch_start();
	p.len += 4;
	put16(&p, ACL + 2, 128);
	tap_check(parses(p.b, p.len),
	    "an AclSize with unused space after the ACEs is accepted");
	p = patch_start();
	put16(&p, ACL + 2, 4);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL",
	    "smaller than the 8-byte ACL header"),
	    "an AclSize smaller than 8 is refused");
	p = patch_start();
	p.b[ACL] = 3;
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL", "AclRevision 3"),
	    "an ACL revision other than 2 or 4 is refused");
	p = patch_start();
	p.b[ACL] = 2;
	tap_check(parses(p.b, p.len), "an ACL of revision 2 is accepted");
	p = patch_start();
	put32(&p, OFF_DACL, GOOD_LEN - 4);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL",
	    "ACL header truncated"),
	    "an ACL header cut by the end of the value is refused");

	p = patch_start();
	put16(&p, ACL + 4, 15);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL",
	    "AceCount 15 cannot fit"),
	    "an AceCount larger than AclSize / 8 is refused");
	put16(&p, ACL + 4, 0xffff);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL",
	    "AceCount 65535 cannot fit"),
	    "an AceCount of 65535 is refused before any allocation");
	p = patch_start();
	put16(&p, ACL + 4, 5);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 5 of 5",
	    "ACE header truncated"),
	    "an AceCount one above the ACEs present is refused at the "
	    "missing ACE");
	p = patch_start();
	put16(&p, ACL + 4, 3);
	tap_check(parses(p.b, p.len),
	    "an AceCount below the ACEs present leaves the rest unread");
}

static void
test_ace_rejections(void)
{
	struct patched p;

	p = patch_start();
	put16(&p, ACE1 + 2, 4);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 1 of 4",
	    "AceSize 4 is smaller than the 8 bytes"),
	    "an AceSize smaller than its header and mask is refused");
	p = patch_start();
	put16(&p, ACE4 + 2, 4);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 4 of 4",
	    "AceSize 4"),
	    "an unknown ACE smaller than 8 bytes is refused too");
	p = patch_start();
	put16(&p, ACE1 + 2, 12);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 1 of 4",
	    "the 16 bytes an access-allowed ACE needs"),
	    "an allowed ACE too small for a SID is refused");
	p = patch_start();
	put16(&p, ACE3 + 2, 16);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 3 of 4",
	    "the 20 bytes an access-allowed object ACE needs"),
	    "an object ACE too small for its flags and a SID is refused");
	p = patch_start();
	put16(&p, ACE1 + 2, 22);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 1 of 4",
	    "not a multiple of 4"),
	    "an AceSize that is not a multiple of 4 is refused");
	p = patch_start();
	put16(&p, ACE4 + 2, 24);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 4 of 4",
	    "runs past the end of the ACL"),
	    "an AceSize beyond the ACL is refused");
	p = patch_start();
	p.len += 4;
	put16(&p, ACE4 + 2, 24);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 4 of 4",
	    "runs past the end of the ACL"),
	    "an AceSize beyond the ACL is refused even when the buffer "
	    "goes on");
	p = patch_start();
	p.len += 4;
	put16(&p, ACL + 2, 128);
	put16(&p, ACE4 + 2, 24);
	tap_check(parses(p.b, p.len),
	    "an ACE with padding inside its AceSize is accepted");

	p = patch_start();
	put16(&p, ACE3 + 2, 40);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 3 of 4",
	    "an InheritedObjectType but the GUID runs past the end of "
	    "the ACE"),
	    "an object ACE whose InheritedObjectType does not fit is "
	    "refused");
	p = patch_start();
	put16(&p, ACE3 + 2, 20);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 3 of 4",
	    "an ObjectType but the GUID runs past"),
	    "an object ACE whose ObjectType does not fit is refused");
	p = patch_start();
	put32(&p, ACE3 + 8, 0);
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 3 of 4",
	    "SID revision"),
	    "an object ACE without GUID flags reads its SID at once");

	p = patch_start();
	p.b[ACE1 + 9] = 16;
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 1 of 4",
	    "16 sub-authorities (at most 15)"),
	    "an ACE SID with 16 sub-authorities is refused");
	p = patch_start();
	p.b[ACE1 + 9] = 2;
	tap_check(refused(p.b, p.len, MX_ERR_INPUT, "DACL ACE 1 of 4",
	    "runs past the end of the ACE"),
	    "a SID whose count runs past its ACE is refused although the "
	    "next ACE's bytes follow");
	p = patch_start();
	p.b[ACE2 + 9] = 0;
	tap_check(parses(p.b, p.len),
	    "a SID with fewer sub-authorities than its ACE holds is "
	    "accepted");
}

static void
test_limits(void)
{
	uint8_t *big = xcalloc(SD_MAX + 1, 1);

	memcpy(big, good_sd, GOOD_LEN);
	tap_check(parses(big, SD_MAX),
	    "a descriptor of exactly SD_MAX bytes is accepted");
	tap_check(refused(big, (size_t)SD_MAX + 1, MX_ERR_LIMIT,
	    "security descriptor", "SD_MAX"),
	    "a descriptor over SD_MAX is refused as a limit");
	free(big);
}

/* Parse bin and report its DACL kind and ACE count. */
static int
dacl_of(const uint8_t *bin, size_t len, enum sd_dacl *kind, size_t *nace,
    char **text)
{
	struct mx_err err;
	struct sd sd;

	mx_err_init(&err);
	if (sd_parse(bin, len, &sd, &err, WHERE) == -1) {
		tap_diag("%s", err.msg);
		return -1;
	}
	*kind = sd.dacl;
	*nace = sd.nace;
	*text = sddl_format(&sd);
	sd_free(&sd);
	return 0;
}

static void
test_dacl_kinds(void)
{
	struct patched p;
	enum sd_dacl k_absent, k_null, k_empty, k_flag_clear;
	size_t n_absent, n_null, n_empty, n_flag_clear;
	char *t_absent, *t_null, *t_empty, *t_flag_clear;

	/* Absent: SE_DACL_PRESENT clear and no offset. */
	p = patch_start();
	put16(&p, OFF_CONTROL, 0x8000);
	put32(&p, OFF_DACL, 0);
	if (dacl_of(p.b, p.len, &k_absent, &n_absent, &t_absent) == -1)
		return;
	/* Absent too: the flag is clear even though an offset is set. */
	p = patch_start();
	put16(&p, OFF_CONTROL, 0x8000);
	if (dacl_of(p.b, p.len, &k_flag_clear, &n_flag_clear,
	    &t_flag_clear) == -1)
		return;
	/* NULL: SE_DACL_PRESENT set and OffsetDacl 0. */
	p = patch_start();
	put16(&p, OFF_CONTROL, 0x8004);
	put32(&p, OFF_DACL, 0);
	if (dacl_of(p.b, p.len, &k_null, &n_null, &t_null) == -1)
		return;
	/* Empty: an ACL with no ACE. */
	p = patch_start();
	put16(&p, OFF_CONTROL, 0x8004);
	put16(&p, ACL + 2, 8);
	put16(&p, ACL + 4, 0);
	if (dacl_of(p.b, p.len, &k_empty, &n_empty, &t_empty) == -1)
		return;

	tap_check(k_absent == SD_DACL_ABSENT && n_absent == 0,
	    "SE_DACL_PRESENT clear means no DACL");
	tap_check(k_flag_clear == SD_DACL_ABSENT && n_flag_clear == 0,
	    "an OffsetDacl is ignored when SE_DACL_PRESENT is clear");
	tap_check(k_null == SD_DACL_NULL && n_null == 0,
	    "SE_DACL_PRESENT with OffsetDacl 0 is a NULL DACL");
	tap_check(k_empty == SD_DACL_LIST && n_empty == 0,
	    "an ACL with no ACE is an empty DACL");
	tap_check(k_null != k_empty && k_null != k_absent &&
	    k_empty != k_absent,
	    "NULL, empty and absent DACLs are three different answers");
	tap_check(strstr(t_absent, "D:") == NULL,
	    "an absent DACL renders without D:");
	tap_check(strstr(t_null, "D:NO_ACCESS_CONTROL") != NULL,
	    "a NULL DACL renders as D:NO_ACCESS_CONTROL");
	tap_check(strcmp(t_empty + strlen(t_empty) - 2, "D:") == 0,
	    "an empty DACL renders as D: with nothing after it");
	free(t_absent);
	free(t_flag_clear);
	free(t_null);
	free(t_empty);
}

static void
test_sid(void)
{
	static const uint8_t bin[] = {
		0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
		0x15, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
		0xf4, 0x01, 0x00, 0x00, 0xee, 0xee,
	};
	struct mx_err err;
	struct sd_sid sid, back;
	uint8_t out[68];
	size_t used = 0;
	char text[SD_SID_TEXT_MAX];
	int i;

	tap_check(sd_sid_from_text("S-1-5-21-1-2-3-500", &sid) == 0 &&
	    sid.revision == 1 && sid.count == 5 && sid.authority[5] == 5 &&
	    sid.sub[0] == 21 && sid.sub[4] == 500,
	    "S-1-5-21-1-2-3-500 parses into authority 5 and five RIDs");
	sd_sid_format(&sid, text);
	tap_check(strcmp(text, "S-1-5-21-1-2-3-500") == 0,
	    "a parsed SID formats back to its text");
	tap_check(sd_sid_encode(&sid, out) == 28 &&
	    memcmp(out, bin, 28) == 0,
	    "a SID encodes to revision, count, big-endian authority and "
	    "little-endian RIDs");
	mx_err_init(&err);
	tap_check(sd_sid_parse(bin, sizeof(bin), &back, &used, &err,
	    "objectSid") == 0 && used == 28 &&
	    memcmp(&back, &sid, sizeof(sid)) == 0,
	    "sd_sid_parse reads the SID and reports 28 bytes used");
	mx_err_init(&err);
	tap_check(sd_sid_parse(bin, 27, &back, &used, &err, "objectSid") ==
	    -1 && err.code == MX_ERR_INPUT &&
	    strcmp(err.where, "objectSid") == 0 &&
	    strstr(err.msg, "runs past the end") != NULL,
	    "sd_sid_parse refuses a SID one byte short");
	mx_err_init(&err);
	tap_check(sd_sid_parse(bin, 7, &back, &used, &err, "objectSid") ==
	    -1 && strstr(err.msg, "truncated") != NULL,
	    "sd_sid_parse refuses a value shorter than a SID header");

	tap_check(sd_sid_from_text("S-1-1-0", &sid) == 0 && sid.count == 1,
	    "Everyone (S-1-1-0) parses");
	tap_check(sd_sid_from_text("S-1-5", &sid) == 0 && sid.count == 0,
	    "a SID without sub-authority parses, as its binary form exists");
	tap_check(sd_sid_from_text("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-"
	    "15", &sid) == 0 && sid.count == 15,
	    "a SID with 15 sub-authorities parses");
	tap_check(sd_sid_from_text("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-"
	    "15-16", &sid) == -1,
	    "a SID with 16 sub-authorities is refused");
	tap_check(sd_sid_from_text("S-1-5-4294967295", &sid) == 0 &&
	    sid.sub[0] == 4294967295u,
	    "a sub-authority of 2^32-1 parses");
	tap_check(sd_sid_from_text("S-1-5-4294967296", &sid) == -1,
	    "a sub-authority of 2^32 is refused");
	tap_check(sd_sid_from_text("S-1-5-21-", &sid) == -1 &&
	    sd_sid_from_text("S-1-", &sid) == -1 &&
	    sd_sid_from_text("S-2-5-21", &sid) == -1 &&
	    sd_sid_from_text("S-1-5--1", &sid) == -1 &&
	    sd_sid_from_text("S-1-5-+1", &sid) == -1 &&
	    sd_sid_from_text("S-1-5-1 ", &sid) == -1 &&
	    sd_sid_from_text("", &sid) == -1 &&
	    sd_sid_from_text(NULL, &sid) == -1,
	    "malformed SID texts are refused");

	tap_check(sd_sid_from_text("S-1-0x123456789abc-7", &sid) == 0 &&
	    sid.authority[0] == 0x12 && sid.authority[5] == 0xbc,
	    "a hexadecimal authority parses big-endian");
	sd_sid_format(&sid, text);
	tap_check(strcmp(text, "S-1-0x123456789abc-7") == 0,
	    "an authority of 2^32 or more formats in hex");
	tap_check(sd_sid_from_text("S-1-4294967296-7", &back) == 0 &&
	    memcmp(back.authority, "\0\001\0\0\0\0", 6) == 0,
	    "a decimal authority above 2^32 parses");
	sd_sid_format(&back, text);
	tap_check(strcmp(text, "S-1-0x000100000000-7") == 0,
	    "a decimal authority above 2^32 formats in hex");
	tap_check(sd_sid_from_text("S-1-0x1234567890abc-7", &sid) == -1,
	    "a hexadecimal authority of 13 digits is refused");
	tap_check(sd_sid_from_text("S-1-281474976710656-7", &sid) == -1,
	    "a decimal authority of 2^48 is refused");

	memset(&sid, 0, sizeof(sid));
	sid.revision = 1;
	sid.count = 15;
	for (i = 0; i < 15; i++)
		sid.sub[i] = 4294967295u;
	memset(sid.authority, 0xff, 6);
	sd_sid_format(&sid, text);
	tap_check(strlen(text) < SD_SID_TEXT_MAX &&
	    strncmp(text, "S-1-0xffffffffffff-4294967295", 29) == 0,
	    "the longest SID fits SD_SID_TEXT_MAX");
}

static void
test_guid(void)
{
	/*
	 * The ASF Header Object GUID, as the ASF specification lists it and
	 * as it opens every .wma/.wmv file: text and Windows byte order.
	 */
	static const char text[] = "75b22630-668e-11cf-a6d9-00aa0062ce6c";
	static const uint8_t bin[16] = {
		0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11,
		0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c,
	};
	static const uint8_t rfc_order[16] = {
		0x75, 0xb2, 0x26, 0x30, 0x66, 0x8e, 0x11, 0xcf,
		0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c,
	};
	uint8_t g[16];
	char out[SD_GUID_TEXT_MAX];

	tap_check(sd_guid_parse(text, g) == 0 && memcmp(g, bin, 16) == 0,
	    "a GUID parses into the Windows layout (first three fields "
	    "little-endian)");
	tap_check(memcmp(g, rfc_order, 16) != 0,
	    "the Windows layout is not the big-endian RFC 4122 order");
	sd_guid_format(bin, out);
	tap_check(strcmp(out, text) == 0,
	    "Windows-layout bytes format back to the same text");
	sd_guid_format(rfc_order, out);
	tap_check(strcmp(out, text) != 0,
	    "bytes in big-endian order do not format to that text");
	tap_check(sd_guid_parse("75B22630-668E-11CF-A6D9-00AA0062CE6C", g) ==
	    0 && memcmp(g, bin, 16) == 0,
	    "upper-case GUID text parses to the same bytes");
	tap_check(sd_guid_parse(GUID_SEND_AS, g) == 0 && g[0] == 0x54 &&
	    g[3] == 0xab && g[4] == 0x2f && g[6] == 0xd0 && g[8] == 0x98,
	    "the Send-As rights GUID lays out as AD stores it");
	tap_check(sd_guid_parse("75b22630668e-11cf-a6d9-00aa0062ce6c", g) ==
	    -1 && sd_guid_parse("75b22630-668e-11cf-a6d9-00aa0062ce6", g) ==
	    -1 && sd_guid_parse("75b22630-668e-11cf-a6d9-00aa0062ce6cc", g) ==
	    -1 && sd_guid_parse("75b22630-668e-11cf-a6d9-00aa0062ce6g", g) ==
	    -1 && sd_guid_parse("{75b22630-668e-11cf-a6d9-00aa0062ce6c}", g) ==
	    -1 && sd_guid_parse("75b22630+668e-11cf-a6d9-00aa0062ce6c", g) ==
	    -1 && sd_guid_parse(NULL, g) == -1,
	    "malformed GUID texts are refused");
}

/* encode -> parse -> format; returns the text (caller frees) or NULL. */
static char *
round_trip(const char *sddl, size_t *nace)
{
	struct mx_err err;
	struct sd sd;
	uint8_t *bin = NULL;
	size_t len = 0;
	char *text;

	mx_err_init(&err);
	if (sddl_encode(sddl, &bin, &len, &err) == -1) {
		tap_diag("encode: %s", err.msg);
		return NULL;
	}
	if (sd_parse(bin, len, &sd, &err, "round trip") == -1) {
		tap_diag("parse: %s", err.msg);
		free(bin);
		return NULL;
	}
	text = sddl_format(&sd);
	if (nace != NULL)
		*nace = sd.nace;
	sd_free(&sd);
	free(bin);
	return text;
}

/* Does sddl come back as want (and want as itself)? */
static int
comes_back_as(const char *sddl, const char *want)
{
	char *once, *twice;
	int ok;

	if ((once = round_trip(sddl, NULL)) == NULL)
		return 0;
	twice = round_trip(once, NULL);
	ok = strcmp(once, want) == 0 && twice != NULL &&
	    strcmp(twice, want) == 0;
	if (!ok)
		tap_diag("%s\n# became %s", sddl, once);
	free(once);
	free(twice);
	return ok;
}

static void
test_round_trips(void)
{
	struct mx_err err;
	struct sd sd;
	uint8_t *bin = NULL;
	size_t len = 0, nace = 0;
	char *text;

	tap_check(comes_back_as(good_sddl, good_sddl),
	    "the hand-built descriptor's SDDL survives encode and parse");
	tap_check(comes_back_as(
	    "O:SYG:SYD:(OA;;CR;" GUID_ANY_RCPT ";;AN)"
	    "(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;SY)",
	    "O:SYG:SYD:(OA;;CR;" GUID_ANY_RCPT ";;AN)"
	    "(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)"),
	    "an Exchange-like DACL round-trips with rights in canonical "
	    "order");
	tap_check(comes_back_as(
	    "O:S-1-5-21-1-2-3-500G:S-1-5-21-1-2-3-513D:AI"
	    "(OA;;CR;" GUID_SUBMIT ";;AN)(OA;;CR;" GUID_ANY_RCPT ";;AN)"
	    "(OA;CIIOID;RP;" GUID_SEND_AS ";" GUID_INHERIT ";S-1-5-21-1-2-3-"
	    "1107)(A;CIID;LCRPLORC;;;AU)",
	    "O:S-1-5-21-1-2-3-500G:S-1-5-21-1-2-3-513D:AI"
	    "(OA;;CR;" GUID_SUBMIT ";;AN)(OA;;CR;" GUID_ANY_RCPT ";;AN)"
	    "(OA;CIIOID;RP;" GUID_SEND_AS ";" GUID_INHERIT ";S-1-5-21-1-2-3-"
	    "1107)(A;CIID;LCRPLORC;;;AU)"),
	    "domain SIDs, both GUIDs and inheritance flags round-trip");
	tap_check(comes_back_as("D:PAIAR(D;;WP;;;WD)(A;OICI;GA;;;BA)",
	    "D:PAIAR(D;;WP;;;WD)(A;OICI;GA;;;BA)"),
	    "the DACL flags P, AI and AR round-trip");
	tap_check(comes_back_as("D:(A;;RPWPCCDCLCSWRCWDWOGA;;;S-1-1-0)",
	    "D:(A;;CCDCLCSWRPWPRCWDWOGA;;;WD)"),
	    "a full SID with an alias comes back as the alias");
	tap_check(comes_back_as("O:BAD:NO_ACCESS_CONTROL",
	    "O:BAD:NO_ACCESS_CONTROL"), "a NULL DACL round-trips");
	tap_check(comes_back_as("G:SY", "G:SY"),
	    "a descriptor without DACL round-trips");
	tap_check(comes_back_as("D:", "D:"), "an empty DACL round-trips");
	tap_check(comes_back_as("", ""), "an empty descriptor round-trips");
	tap_check(comes_back_as("D:(A;;0x12345;;;RU)(A;0x22;CR;;;AU)",
	    "D:(A;;0x12345;;;RU)(A;0x22;CR;;;AU)"),
	    "masks and flags without codes round-trip in hex");
	tap_check(comes_back_as("D:(A;;0X0;;;AU)(AU;SAFA;WP;;;WD)"
	    "(OU;FA;CR;;;ED)(OD;;WP;;" GUID_INHERIT ";PS)",
	    "D:(A;;0x0;;;AU)(AU;SAFA;WP;;;WD)(OU;FA;CR;;;ED)"
	    "(OD;;WP;;" GUID_INHERIT ";PS)"),
	    "audit and object-denied ACEs round-trip");
	tap_check(comes_back_as("D:(0x11;CI;;;;)(0x9;;;;;)",
	    "D:(0x11;CI;;;;)(0x09;;;;;)"),
	    "ACEs of undecoded types round-trip as their type in hex");

	text = round_trip("D:(A;;CR;;;AN)(0x11;;;;;)(D;;CR;;;AU)", &nace);
	tap_check(text != NULL && nace == 3,
	    "an undecoded ACE keeps its place in the count");
	free(text);

	mx_err_init(&err);
	tap_check(sddl_encode("D:(A;;RPWPCCDCLCSWRCWDWOGA;;;S-1-1-0)", &bin,
	    &len, &err) == 0 && sd_parse(bin, len, &sd, &err, "x") == 0 &&
	    sd.nace == 1 && sd.aces[0].mask == 0x100e003f &&
	    sd.acl_revision == 2,
	    "Microsoft's ACE-string example encodes to mask 0x100e003f in a "
	    "revision 2 ACL");
	sd_free(&sd);
	free(bin);
	mx_err_init(&err);
	tap_check(sddl_encode("D:(OA;;CR;" GUID_ANY_RCPT ";;AN)", &bin, &len,
	    &err) == 0 && sd_parse(bin, len, &sd, &err, "x") == 0 &&
	    sd.acl_revision == 4 && sd.control == 0x8004,
	    "a DACL with object ACEs is encoded as ACL revision 4");
	sd_free(&sd);
	free(bin);
}

/* Is sddl refused with MX_ERR_INPUT and a message holding needle? */
static int
encode_refused(const char *sddl, const char *needle)
{
	struct mx_err err;
	uint8_t *bin = (uint8_t *)"";
	size_t len = 1;

	mx_err_init(&err);
	if (sddl_encode(sddl, &bin, &len, &err) == 0) {
		tap_diag("accepted: %s", sddl);
		free(bin);
		return 0;
	}
	if (err.code != MX_ERR_INPUT || strcmp(err.where, "SDDL") != 0 ||
	    strstr(err.msg, needle) == NULL || bin != NULL || len != 0) {
		tap_diag("%s: %s", err.where, err.msg);
		return 0;
	}
	return 1;
}

static void
test_encode_rejections(void)
{
	char *big, *text;
	size_t i;

	tap_check(encode_refused("O:DA", "depends on the domain"),
	    "a domain-relative alias is refused with advice");
	tap_check(encode_refused("O:ZZ", "unknown SID alias"),
	    "an unknown SID alias is refused");
	tap_check(encode_refused("O:S-1-5-x", "bad SID"),
	    "a malformed SID is refused");
	tap_check(encode_refused("D:(A;;CR;;;)", "missing SID"),
	    "an ACE without SID is refused");
	tap_check(encode_refused("D:(A;;XY;;;AN)", "unknown right \"XY\""),
	    "an unknown right code is refused");
	tap_check(encode_refused("D:(A;;CRR;;;AN)", "unknown right"),
	    "a right string of odd length is refused");
	tap_check(encode_refused("D:(A;;0x123456789;;;AN)",
	    "bad hexadecimal right"), "a mask of 9 hex digits is refused");
	tap_check(encode_refused("D:(A;QQ;CR;;;AN)", "unknown ACE flag"),
	    "an unknown ACE flag is refused");
	tap_check(encode_refused("D:(XA;;CR;;;AN)", "unsupported ACE type"),
	    "a callback ACE type is refused");
	tap_check(encode_refused("D:(0x05;;;;;)", "has the code OA"),
	    "a hex type that has a code is refused");
	tap_check(encode_refused("D:(0x11;;CR;;;)", "has only flags"),
	    "an undecoded type with a body is refused");
	tap_check(encode_refused("D:(A;;CR;" GUID_SEND_AS ";;AN)",
	    "only object ACEs"), "a GUID on a plain ACE is refused");
	tap_check(encode_refused("D:(OA;;CR;" GUID_SEND_AS "x;;AN)",
	    "36 characters"), "a GUID of 37 characters is refused");
	tap_check(encode_refused("D:(OA;;CR;zb721a54-1e2f-11d0-9819-"
	    "00aa0040529b;;AN)", "bad GUID"), "a GUID with a non-hex digit "
	    "is refused");
	tap_check(encode_refused("D:(A;;CR;;;AN;x)", "more than 6 fields"),
	    "an ACE with a seventh field is refused");
	tap_check(encode_refused("D:(A;;CR;;AN)", "5 fields"),
	    "an ACE with five fields is refused");
	tap_check(encode_refused("D:(A;;CR;;;AN", "without ')'"),
	    "an unterminated ACE is refused");
	tap_check(encode_refused("D:(XA;;CR;;;AN;(a==1))", "'(' inside"),
	    "a resource or conditional ACE is refused");
	tap_check(encode_refused("D:NO_ACCESS_CONTROL(A;;CR;;;AN)",
	    "NO_ACCESS_CONTROL"), "ACEs in a NULL DACL are refused");
	tap_check(encode_refused("O:SYO:BA", "second O:"),
	    "a second owner section is refused");
	tap_check(encode_refused("D:(A;;CR;;;AN)S:(AU;SA;CR;;;WD)",
	    "SACLs are not encoded"), "a SACL is refused");
	tap_check(encode_refused("X:SY", "expected O:, G: or D:"),
	    "an unknown section is refused");
	tap_check(encode_refused("D:(A;;CR;;;AN) (A;;CR;;;AU)",
	    "expected an ACE"), "a space between ACEs is refused");
	tap_check(encode_refused("D:PX(A;;CR;;;AN)", "column 4"),
	    "errors give the column of the fault");

	/* 8190 undecoded ACEs fill an ACL; 8191 do not fit. */
	big = xmalloc(2 + 8192 * 11 + 1);
	memcpy(big, "D:", 2);
	for (i = 0; i < 8191; i++)
		memcpy(big + 2 + i * 11, "(0x11;;;;;)", 11);
	big[2 + 8191 * 11] = '\0';
	tap_check(encode_refused(big, "an ACL holds at most 65535"),
	    "a DACL over 65535 bytes is refused");
	big[2 + 8190 * 11] = '\0';
	text = round_trip(big, &i);
	tap_check(text != NULL && i == 8190,
	    "a DACL of exactly 65528 bytes of ACEs is encoded");
	free(text);
	free(big);
}

/*
 * Parse every file of dir (in name order): all must parse when want_ok,
 * else all must be refused as input or limit errors naming the file.
 * Returns how many files there were.
 */
static size_t
each_fixture(const char *dir, int want_ok)
{
	struct util_file f;
	struct mx_err err;
	struct sd sd;
	struct dirent **names;
	char path[4096];
	const char *name;
	size_t n = 0;
	int i, count, rc;

	count = scandir(tap_srcpath(dir), &names, NULL, alphasort);
	if (count < 0) {
		tap_check(0, "%s can be listed", dir);
		return 0;
	}
	for (i = 0; i < count; i++) {
		name = names[i]->d_name;
		if (name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tap_srcpath(dir), name);
		mx_err_init(&err);
		if (util_read_file(path, INPUT_FILE_MAX, &f, &err) == -1) {
			tap_check(0, "%s/%s can be read", dir, name);
			continue;
		}
		n++;
		mx_err_init(&err);
		rc = sd_parse((const uint8_t *)f.data, f.len, &sd, &err,
		    name);
		if (want_ok)
			tap_check(rc == 0, "seed %s/%s parses", dir, name);
		else
			tap_check(rc == -1 && (err.code == MX_ERR_INPUT ||
			    err.code == MX_ERR_LIMIT) &&
			    strcmp(err.where, name) == 0,
			    "malformed %s/%s is refused (%s)", dir, name,
			    err.msg);
		if (rc == 0)
			sd_free(&sd);
		util_file_free(&f);
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return n;
}

static void
test_fixtures(void)
{
	size_t seeds, bad;

	seeds = each_fixture("fuzz/corpus/sd", 1);
	tap_check(seeds >= 6, "the seed corpus holds %zu descriptors", seeds);
	bad = each_fixture("tests/malformed/sd", 0);
	tap_check(bad >= 6, "the malformed set holds %zu descriptors", bad);
}

int
main(void)
{
	test_parse_by_hand();
	test_header_rejections();
	test_acl_rejections();
	test_ace_rejections();
	test_limits();
	test_dacl_kinds();
	test_sid();
	test_guid();
	test_round_trips();
	test_encode_rejections();
	test_fixtures();
	return tap_done();
}
