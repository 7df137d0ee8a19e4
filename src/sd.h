/*
 * sd.h - Windows security descriptors in self-relative form ([MS-DTYP]
 * 2.4.6 SECURITY_DESCRIPTOR, 2.4.5 ACL, 2.4.4 ACE, 2.4.2 SID), as AD
 * returns them in nTSecurityDescriptor.
 *
 * A pure, bounded parser: bytes in, a struct sd or an error out, no I/O.
 * Every read is confined to its buffer; the DACL is read inside AclSize and
 * each ACE inside AceSize.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_SD_H
#define MXBPA_SD_H

#include <stddef.h>
#include <stdint.h>

struct mx_err;

#define SD_SID_SUBAUTH_MAX	15
#define SD_SID_TEXT_MAX		192	/* "S-1-" + 15 x "-4294967295" */
#define SD_GUID_TEXT_MAX	37	/* 36 characters and the NUL */

/* ACE types met in AD ([MS-DTYP] 2.4.4.1). */
#define SD_ACE_ACCESS_ALLOWED		0x00
#define SD_ACE_ACCESS_DENIED		0x01
#define SD_ACE_SYSTEM_AUDIT		0x02
#define SD_ACE_ACCESS_ALLOWED_OBJECT	0x05
#define SD_ACE_ACCESS_DENIED_OBJECT	0x06
#define SD_ACE_SYSTEM_AUDIT_OBJECT	0x07

/* AceFlags. */
#define SD_ACE_OBJECT_INHERIT		0x01
#define SD_ACE_CONTAINER_INHERIT	0x02
#define SD_ACE_NO_PROPAGATE		0x04
#define SD_ACE_INHERIT_ONLY		0x08
#define SD_ACE_INHERITED		0x10

/* Object ACE Flags. */
#define SD_OBJECT_TYPE_PRESENT		0x1
#define SD_INHERITED_OBJECT_TYPE_PRESENT 0x2

/* Access mask bits used by AD. */
#define SD_RIGHT_DS_CONTROL_ACCESS	0x00000100

/* Control bits. */
#define SD_CONTROL_DACL_PRESENT		0x0004
#define SD_CONTROL_SELF_RELATIVE	0x8000

struct sd_sid {
	uint8_t		revision;
	uint8_t		count;			/* sub-authorities, <= 15 */
	uint8_t		authority[6];		/* big-endian */
	uint32_t	sub[SD_SID_SUBAUTH_MAX];
};

struct sd_ace {
	uint8_t		type;
	uint8_t		flags;
	uint32_t	mask;
	uint32_t	object_flags;		/* object ACEs only */
	uint8_t		object_type[16];	/* valid if flag 0x1 */
	uint8_t		inherited_object_type[16]; /* valid if flag 0x2 */
	struct sd_sid	sid;
	int		known;			/* 0: unknown type, skipped */
};

/* What the DACL said: absent, NULL (everyone, everything), or a list. */
enum sd_dacl {
	SD_DACL_ABSENT = 0,
	SD_DACL_NULL,
	SD_DACL_LIST
};

struct sd {
	uint8_t		 revision;
	uint16_t	 control;
	int		 has_owner;
	int		 has_group;
	struct sd_sid	 owner;
	struct sd_sid	 group;
	enum sd_dacl	 dacl;
	uint8_t		 acl_revision;
	struct sd_ace	*aces;			/* DACL entries, in order */
	size_t		 nace;
};

/*
 * Parse a self-relative descriptor of len bytes (at most SD_MAX).
 * Offsets inside the header, past the end, ACL/ACE sizes that disagree
 * with their content, and SIDs with more than 15 sub-authorities are
 * MX_ERR_INPUT; where names what was being read.  Unknown ACE types are
 * kept with known = 0 (their size is honoured).  Free with sd_free.
 */
int	sd_parse(const uint8_t *, size_t, struct sd *, struct mx_err *,
	    const char *where);
void	sd_free(struct sd *);

/* Parse one SID from bytes; *used receives its size. */
int	sd_sid_parse(const uint8_t *, size_t, struct sd_sid *, size_t *used,
	    struct mx_err *, const char *where);

/* "S-1-5-21-…" (authority in decimal, or 0x… when above 2^32). */
void	sd_sid_format(const struct sd_sid *, char out[SD_SID_TEXT_MAX]);

/* Parse "S-1-…" text; 0, or -1 (no error detail: callers say why). */
int	sd_sid_from_text(const char *, struct sd_sid *);

/* Encode a SID; returns its size (8 + 4 * count), out must hold 68. */
size_t	sd_sid_encode(const struct sd_sid *, uint8_t out[68]);

/* GUIDs in the Windows layout (first three fields little-endian). */
void	sd_guid_format(const uint8_t guid[16], char out[SD_GUID_TEXT_MAX]);
int	sd_guid_parse(const char *, uint8_t guid[16]);

#endif /* MXBPA_SD_H */
