/*
 * probe_dialog.h - one SMTP probe dialog with one (address, port): the
 * state machine, its I/O, STARTTLS and its deadlines.  probe_smtp.c runs
 * many of them in one poll(2) loop through these calls; the dialog itself
 * stays opaque.
 *
 * SPDX-License-Identifier: ISC
 */
#ifndef MXBPA_PROBE_DIALOG_H
#define MXBPA_PROBE_DIALOG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "bounds.h"
#include "probe_smtp.h"
#include "tls_inspect.h"

struct probe;
struct probe_target_list;

/*
 * CLOCK_MONOTONIC milliseconds, in a type of its own so that it never
 * mixes with wall-clock time_t.
 */
struct probe_mono {
	int64_t	ms;
};

/* A TLS version check waiting for a free slot (--tls-legacy). */
struct probe_pending {
	size_t				 index;
	enum tls_inspect_profile	 profile;
};

/*
 * Where one target stands: its dialogs (one per relay variant) share it.
 * The run owns queue.
 */
struct probe_target_state {
	size_t		*queue;		/* variants waiting for a connection */
	size_t		 nqueue;
	size_t		 active;	/* its dialogs open now */
	int		 started;	/* the first dialog started */
	int		 released;	/* it reached MAIL: the others may start */
	int		 queued;	/* the others were queued */
	int		 main_done;	/* the first dialog ended */
	int		 confirm_sent;	/* DATA was sent (once per target) */
	int		 finished;
};

/*
 * What all dialogs of one run share, set up by probe_smtp.c.  Every
 * pointer is borrowed from the caller of probe_smtp_run, except results,
 * t0, ts, ctx and pending, which the run owns.
 */
struct probe_run {
	const struct probe_smtp_options	*o;
	const struct probe_target_list	*targets;
	struct probe_result		*results;
	struct probe_mono		*t0; /* per result: first connection */
	struct probe_target_state	*ts; /* per result */
	size_t				 per_host;
	size_t				*inprog;   /* targets in progress */
	size_t				 ninprog;
	char				 absent[40]; /* control local part */
	SSL_CTX				*ctx[TLS_INSPECT_PROFILE_COUNT];
	int64_t				 step_ms;
	int64_t				 target_ms;
	struct probe_mono		 end;	/* --deadline, or ms 0 */
	size_t				 nvariants;
	const char			*helo;
	const char			*from;
	const char			*to;
	char				 from_local[PROBE_MAILBOX_MAX + 1];
	char				 to_local[PROBE_MAILBOX_MAX + 1];
	char				 to_domain[PROBE_MAILBOX_MAX + 1];
	struct probe_pending		*pending;
	size_t				 npending;
	size_t				 done;
	size_t				 contacted;
};

/* Report an impossible state and abort. */
void	probe_dialog_fatalx(const char *what, int value)
	    __attribute__((noreturn));

struct probe_mono probe_dialog_now(void);

/* Letters, digits, '-', '.', '_', 1..max of them: safe in a command. */
int	probe_dialog_valid_name(const char *, size_t max);

/*
 * A new dialog with target index of the run.  profile TLS_INSPECT_DEFAULT
 * tries relay variant `variant' (its test in run->results[index]); the
 * first dialog of a target (first) also records the target's greeting,
 * EHLO and TLS facts and starts its clock.  Another profile is a TLS
 * version check, which adds a legacy-protocol fact to that result when it
 * ends.  Borrows run; run must outlive the dialog.  Free with
 * probe_dialog_free.
 */
struct probe *probe_dialog_new(struct probe_run *, size_t index,
	    enum tls_inspect_profile, size_t variant, int first);

/* Start the dialog: the connection attempt. */
void	probe_dialog_start(struct probe *);

/* Has the dialog ended (connection closed)? */
int	probe_dialog_done(const struct probe *);

/* What to poll: the descriptor and the events it waits for. */
int	probe_dialog_fd(const struct probe *);
short	probe_dialog_events(const struct probe *);

/* Milliseconds until the step's deadline (0 when passed). */
int64_t	probe_dialog_wait_ms(const struct probe *, struct probe_mono now);

/* The descriptor is ready: advance the step in progress. */
void	probe_dialog_io(struct probe *);

/* End the dialog with "timeout in STATE" when its deadline has passed. */
void	probe_dialog_check_deadline(struct probe *, struct probe_mono now);

/*
 * Record the end of a finished dialog in its result.  Returns 0 for a TLS
 * version check, 2 when its variant deserves another connection (the
 * server dropped this one before the variant was decided, and attempts
 * remain), else 1.
 */
int	probe_dialog_end(struct probe *);

/* The target index and variant of the dialog; was it the first? */
size_t	probe_dialog_index(const struct probe *);
size_t	probe_dialog_variant(const struct probe *);
int	probe_dialog_first(const struct probe *);


void	probe_dialog_free(struct probe *);

#endif /* MXBPA_PROBE_DIALOG_H */
