/*
 * sddl.h - Security Descriptor Definition Language ([MS-DTYP] 2.5.1): the
 * text form administrators know, "O:SYG:SYD:(OA;;CR;<guid>;;AN)".
 *
 * sddl_format renders a parsed descriptor for the model's evidence;
 * sddl_encode builds the binary self-relative form from SDDL (used by the
 * tests to make directory fixtures, and by fuzzing as a round trip).
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_SDDL_H
#define MXBPA_SDDL_H

#include <stddef.h>
#include <stdint.h>

struct mx_err;
struct sd;

/*
 * Render a descriptor as SDDL.  Well-known SIDs use their two-letter
 * aliases (AN, AU, WD, SY, BA…); access masks use the right codes (CR,
 * RP, WP, GA…) when they cover the mask exactly, else 0x… hex.  Returns
 * a string the caller frees.
 */
char	*sddl_format(const struct sd *);

/*
 * Encode SDDL (owner, group, DACL with A, D, OA, OD entries, flags CI, OI,
 * NP, IO, ID, rights as codes or hex, SIDs as aliases or S-1-…) into a
 * self-relative descriptor.  Returns 0 and a buffer the caller frees, or
 * -1 with MX_ERR_INPUT.
 */
int	 sddl_encode(const char *, uint8_t **out, size_t *len,
	    struct mx_err *);

#endif /* MXBPA_SDDL_H */
