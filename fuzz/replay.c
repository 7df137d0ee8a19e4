/*
 * replay.c - run a libFuzzer target over files without libFuzzer, so that
 * "make check" replays every seed corpus under the normal and the
 * sanitizer builds.  Usage: replay_x FILE...
 *
 * SPDX-License-Identifier: ISC
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bounds.h"
#include "err.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	struct util_file f;
	struct mx_err err;
	int i;

	for (i = 1; i < argc; i++) {
		mx_err_init(&err);
		if (util_read_file(argv[i], INPUT_FILE_MAX, &f, &err) == -1) {
			mx_err_print(&err, stderr);
			return 1;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)f.data, f.len);
		util_file_free(&f);
	}
	printf("replayed %d input(s)\n", argc - 1);
	return 0;
}
