/*
 * secret.c - passwords from a file, an environment variable or a prompt
 * on the terminal with echo turned off (see secret.h).  A password never
 * comes from argv and never reaches a message: errors name the source,
 * not the content.  Every buffer that held a copy is wiped with
 * explicit_bzero, on success and on error.
 *
 * The prompt follows the termios interface of POSIX.1-2017 (general
 * terminal interface, local modes): echo is turned off on /dev/tty, and
 * restored on every path, including when a signal arrives while the user
 * types (the signal is then delivered again once the terminal is back).
 *
 * SPDX-License-Identifier: ISC
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "secret.h"

/* Signals that would otherwise leave the terminal without echo. */
static const int secret_signals[] = {
	SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTERM,
	SIGTSTP, SIGTTIN, SIGTTOU
};
#define SECRET_NSIGNALS	(sizeof(secret_signals) / sizeof(secret_signals[0]))

static volatile sig_atomic_t secret_caught;

static void
secret_on_signal(int signo)
{
	secret_caught = signo;
}

/*
 * Wipe a secret buffer.  explicit_bzero is not removed by the compiler
 * even when the buffer is dead afterwards.
 */
void
secret_wipe(char *buf, size_t size)
{
	if (buf != NULL && size > 0)
		explicit_bzero(buf, size);
}

/* Usable capacity of a caller's buffer: at most SECRET_MAX - 1 bytes. */
static size_t
secret_room(size_t size)
{
	if (size > SECRET_MAX)
		size = SECRET_MAX;
	return size - 1;
}

/*
 * The first line of a file (a regular file or a pipe, such as a shell's
 * <(command)): at most SECRET_MAX bytes are read.  A trailing CR is
 * dropped so that a file written on Windows works.
 */
static int
secret_read_file(const char *path, char *buf, size_t size,
    struct mx_err *err)
{
	char raw[SECRET_MAX];
	struct stat st;
	size_t len = 0, line;
	ssize_t n;
	char *nl;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return mx_err_sys(err, MX_ERR_USAGE, path,
		    "cannot open the password file");
	if (fstat(fd, &st) == -1) {
		mx_err_sys(err, MX_ERR_IO, path, "fstat");
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		mx_err_set(err, MX_ERR_USAGE, path,
		    "password file is a directory");
		goto out;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		mx_err_set(err, MX_ERR_USAGE, path,
		    "password file is not a regular file or a pipe");
		goto out;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		log_warnx(LOG_MAIN, "%s: password file is readable by other "
		    "users (chmod 600)", path);
	while (len < sizeof(raw)) {
		n = read(fd, raw + len, sizeof(raw) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			mx_err_sys(err, MX_ERR_IO, path,
			    "cannot read the password file");
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (memchr(raw, '\n', len) != NULL)
			break;
	}
	nl = memchr(raw, '\n', len);
	line = nl != NULL ? (size_t)(nl - raw) : len;
	if (nl == NULL && len == sizeof(raw)) {
		mx_err_set(err, MX_ERR_USAGE, path, "password file: first "
		    "line longer than %d bytes (SECRET_MAX)", SECRET_MAX - 1);
		goto out;
	}
	if (line > 0 && raw[line - 1] == '\r')
		line--;
	if (memchr(raw, '\0', line) != NULL) {
		mx_err_set(err, MX_ERR_USAGE, path,
		    "password file: the password contains a NUL byte");
		goto out;
	}
	if (line > secret_room(size)) {
		mx_err_set(err, MX_ERR_USAGE, path, "password file: first "
		    "line longer than %zu bytes", secret_room(size));
		goto out;
	}
	memcpy(buf, raw, line);
	buf[line] = '\0';
	rc = 0;
out:
	explicit_bzero(raw, sizeof(raw));
	close(fd);
	return rc;
}

/*
 * The value of an environment variable.  Once copied, the value is wiped
 * in place and the variable removed, so that neither child processes nor
 * /proc/PID/environ can show it afterwards.
 */
static int
secret_read_env(const char *name, char *value, char *buf, size_t size,
    struct mx_err *err)
{
	size_t len = strlen(value);
	int rc = 0;

	if (len > secret_room(size))
		rc = mx_err_set(err, MX_ERR_USAGE, name,
		    "value longer than %zu bytes", secret_room(size));
	else {
		memcpy(buf, value, len);
		buf[len] = '\0';
	}
	explicit_bzero(value, len);
	unsetenv(name);
	return rc;
}

static void
secret_tty_write(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/*
 * Read one line from the terminal into buf (room bytes at most).  Returns
 * 0, 1 when the line was too long (the rest of it is drained), -1 on end
 * of file, a read error or a signal.
 */
static int
secret_tty_line(int fd, char *buf, size_t room)
{
	size_t len = 0;
	int toolong = 0;
	ssize_t n;
	char c;

	for (;;) {
		n = read(fd, &c, 1);
		if (n == -1 && errno == EINTR && secret_caught == 0)
			continue;
		if (n != 1) {
			buf[len] = '\0';
			explicit_bzero(&c, sizeof(c));
			return -1;
		}
		if (c == '\n' || c == '\r')
			break;
		if (len < room)
			buf[len++] = c;
		else
			toolong = 1;
	}
	buf[len] = '\0';
	explicit_bzero(&c, sizeof(c));
	return toolong;
}

/* Ask on the controlling terminal, echo off; see the file comment. */
static int
secret_read_tty(const char *what, char *buf, size_t size,
    struct mx_err *err)
{
	struct sigaction sa, saved_sa[SECRET_NSIGNALS];
	struct termios saved, quiet;
	char prompt[256];
	size_t i;
	int fd, rc, restored, signo;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return mx_err_sys(err, MX_ERR_USAGE, "/dev/tty",
		    "no terminal to ask for the %s", what);
	if (tcgetattr(fd, &saved) == -1) {
		mx_err_sys(err, MX_ERR_USAGE, "/dev/tty",
		    "cannot ask for the %s", what);
		close(fd);
		return -1;
	}
	secret_caught = 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = secret_on_signal;
	sa.sa_flags = 0;	/* no SA_RESTART: read() must return EINTR */
	for (i = 0; i < SECRET_NSIGNALS; i++)
		sigaction(secret_signals[i], &sa, &saved_sa[i]);

	quiet = saved;
	quiet.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	rc = 0;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1)
		rc = mx_err_sys(err, MX_ERR_IO, "/dev/tty",
		    "cannot turn echo off");
	if (rc == 0) {
		snprintf(prompt, sizeof(prompt), "%s: ", what);
		secret_tty_write(fd, prompt);
		rc = secret_tty_line(fd, buf, secret_room(size));
	}

	/* Restore the terminal first, whatever happened. */
	restored = 0;
	for (i = 0; i < 10 && !restored; i++)
		if (tcsetattr(fd, TCSAFLUSH, &saved) == 0 || errno != EINTR)
			restored = 1;
	secret_tty_write(fd, "\n");
	for (i = 0; i < SECRET_NSIGNALS; i++)
		sigaction(secret_signals[i], &saved_sa[i], NULL);
	close(fd);

	signo = secret_caught;
	secret_caught = 0;
	if (signo != 0 || rc != 0)
		secret_wipe(buf, secret_room(size) + 1);
	if (signo != 0) {
		/* Deliver it now that echo is back on. */
		kill(getpid(), signo);
		return mx_err_set(err, MX_ERR_USAGE, "/dev/tty",
		    "%s prompt interrupted", what);
	}
	if (rc == 1)
		return mx_err_set(err, MX_ERR_USAGE, "/dev/tty",
		    "%s longer than %zu bytes", what, secret_room(size));
	if (rc == -1)
		return mx_err_set(err, MX_ERR_USAGE, "/dev/tty",
		    "no %s read (end of input)", what);
	return 0;
}

/*
 * Fill buf from the first source given (see secret.h): the file, then
 * the environment variable when it is set (its value is then wiped and
 * the variable removed from the environment), then the prompt.  Returns
 * 0, 1 when no source applies, or -1 with MX_ERR_USAGE (missing file,
 * directory, line too long, no terminal) or MX_ERR_IO; buf is then
 * wiped.  The message never contains the secret.
 */
int
secret_read(const struct secret_source *src, char *buf, size_t size,
    struct mx_err *err)
{
	const char *what;
	char *value;
	int rc;

	if (buf == NULL || size == 0)
		return mx_err_set(err, MX_ERR_INTERNAL, NULL,
		    "secret_read: no buffer");
	buf[0] = '\0';
	what = src->what != NULL ? src->what : "password";
	if (src->file != NULL)
		rc = secret_read_file(src->file, buf, size, err);
	else if (src->env != NULL && (value = getenv(src->env)) != NULL)
		rc = secret_read_env(src->env, value, buf, size, err);
	else if (src->prompt)
		rc = secret_read_tty(what, buf, size, err);
	else
		return 1;
	if (rc != 0)
		secret_wipe(buf, size < SECRET_MAX ? size : SECRET_MAX);
	return rc;
}
