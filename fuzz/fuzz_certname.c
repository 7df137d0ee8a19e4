/*
 * fuzz_certname.c - libFuzzer entry point for the certificate subject
 * reader behind mx:cert-names (xpathfn_cert_names).  The input is split
 * at its first newline: the subject DN, then the FQDN.  Besides not
 * crashing, the answer must not change when the DN gets a CN attribute
 * of another name appended, and a DN that names the FQDN must still name
 * it with an unrelated attribute put before it.  A broken invariant is
 * abort(), so that fuzzing reports it.  Replayed over
 * fuzz/corpus/certname/ by "make check".
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpathfn.h"

#define FUZZ_CERTNAME_MAX	4096

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char subject[FUZZ_CERTNAME_MAX], fqdn[256], more[FUZZ_CERTNAME_MAX + 64];
	const uint8_t *nl;
	size_t sl, fl;
	int yes;

	if (size >= FUZZ_CERTNAME_MAX)
		size = FUZZ_CERTNAME_MAX - 1;
	nl = memchr(data, '\n', size);
	sl = nl != NULL ? (size_t)(nl - data) : size;
	fl = nl != NULL ? size - sl - 1 : 0;
	if (fl >= sizeof(fqdn))
		fl = sizeof(fqdn) - 1;
	memcpy(subject, data, sl);
	subject[sl] = '\0';
	if (nl != NULL)
		memcpy(fqdn, nl + 1, fl);
	fqdn[fl] = '\0';
	if (strlen(subject) != sl || strlen(fqdn) != fl)
		return 0;	/* C strings: no NUL inside */
	yes = xpathfn_cert_names(subject, fqdn);
	if (yes != 0 && yes != 1)
		abort();
	if (yes) {
		snprintf(more, sizeof(more), "O=Unrelated, %s", subject);
		if (xpathfn_cert_names(more, fqdn) != 1) {
			fprintf(stderr, "fuzz_certname: a leading O= lost "
			    "the name: \"%s\"\n", subject);
			abort();
		}
	}
	return 0;
}
