# mta-env.sh - private Exim and OpenSMTPD listeners on 127.0.0.1, each
# configured as one relay "trap" whose behaviour is known, for the SMTP
# probe's verdict test (tests/integration/mta.sh) and the tarpit benchmark
# (bench/probe-tarpit.sh).  Sourced, never run; needs root.
#
# Exim 4.96 and OpenSMTPD 6.8 conflict with Postfix as installed packages,
# so tools/debian-deps.sh unpacks them (dpkg -x) under MTA_ROOT.  Their
# users (Debian-exim; opensmtpd, opensmtpq) do not exist on the host:
# every server runs in a private mount namespace (unshare -m) where copies
# of /etc/passwd and /etc/group that have them are bind-mounted, and, for
# OpenSMTPD, its spool, chroot and control socket directories too.  Each
# server has its own configuration, spool and log under the caller's
# scratch directory, one free random port on 127.0.0.1, and never
# delivers: Exim queues only (queue_only, no queue runner) and routes to
# :blackhole:, OpenSMTPD relays to a port where nothing listens.
#
# The caller sets mta_dir (an empty scratch directory), then calls:
#
#   mta_env_missing          prints the first missing tool, or nothing
#   mta_env_exim TRAP [N]    starts Exim as TRAP (below), listening on N
#                            free ports (default 1); sets mta_port (the
#                            first)
#   mta_env_smtpd TRAP       starts OpenSMTPD as TRAP: open, closed
#   mta_env_port NAME        prints the port of a started server
#   mta_env_ports NAME       prints all its ports
#   mta_env_log NAME         prints the path of its main log
#   mta_env_stop             stops every server it started (by PID; safe
#                            twice, from a trap)
#
# Exim traps (the server's name is mx.exim.test, its local domains that
# name and its own address literal; only postmaster and alice exist):
#
#   closed    relays nothing: RCPT to another domain, or to an unknown
#             local part, gets 550; a stock Exim otherwise: domain
#             literals refused (501), sessions cut after 3 syntax errors
#   tarpit    closed (domain literals allowed, so that most variants
#             reach the RCPT ACL), and every refusal of the RCPT ACL waits
#             5 s, as Exchange tarpits
#   open      accepts every recipient
#   percent   closed, but percent_hack_domains makes user%other@mx.exim.test
#             a relay to user@other (the tricks variants look for)
#   quoted    closed, domain literals allowed, and a local part that is
#             itself an address ("user@other"@[127.0.0.1]) is forwarded
#             to it: a relay through a quoted local part
#   catchall  closed to other domains, but any local part at its own
#             domains is accepted (a catch-all, not a relay)
#   discard   accepts every recipient and the message, then discards it
#             (the ACL's discard verb): acceptance is not delivery
#   starttls  closed; MAIL only after STARTTLS (530 before)
#   auth      MAIL refused with 530 (authentication required) to every
#             client, as on a submission port
#   heloonly  closed; EHLO refused (502), HELO accepted
#
# OpenSMTPD traps (server name mx.smtpd.test): open (match from any for
# any), closed (match from any for domain mx.smtpd.test: any local part
# of its own domain is taken, which makes it a catch-all as well).
#
# SPDX-License-Identifier: ISC

: "${MTA_ROOT:=/opt/mxbpa-test-mta}"
mta_exim=$MTA_ROOT/usr/sbin/exim4
mta_smtpd=$MTA_ROOT/usr/sbin/smtpd
mta_names=
mta_port=

mta_env_missing() {
	for t in "$mta_exim" "$mta_smtpd"; do
		if [ ! -x "$t" ]; then
			echo "$t (tools/debian-deps.sh unpacks it)"
			return 0
		fi
	done
	for t in unshare mount ss openssl; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "$t"
			return 0
		fi
	done
}

# mta_env_users: passwd and group copies with the servers' users.
mta_env_users() {
	[ -f "$mta_dir/passwd" ] && return 0
	cp /etc/passwd "$mta_dir/passwd"
	cp /etc/group "$mta_dir/group"
	grep -q '^Debian-exim:' "$mta_dir/group" ||
	    echo 'Debian-exim:x:64900:' >>"$mta_dir/group"
	grep -q '^opensmtpd:' "$mta_dir/group" ||
	    echo 'opensmtpd:x:64901:' >>"$mta_dir/group"
	grep -q '^opensmtpq:' "$mta_dir/group" ||
	    echo 'opensmtpq:x:64902:' >>"$mta_dir/group"
	grep -q '^Debian-exim:' "$mta_dir/passwd" ||
	    echo 'Debian-exim:x:64900:64900::/nonexistent:/usr/sbin/nologin' \
	    >>"$mta_dir/passwd"
	grep -q '^opensmtpd:' "$mta_dir/passwd" ||
	    echo 'opensmtpd:x:64901:64901::/nonexistent:/usr/sbin/nologin' \
	    >>"$mta_dir/passwd"
	grep -q '^opensmtpq:' "$mta_dir/passwd" ||
	    echo 'opensmtpq:x:64902:64902::/nonexistent:/usr/sbin/nologin' \
	    >>"$mta_dir/passwd"
}

# mta_env_free_port: a free random port on 127.0.0.1.
mta_env_free_port() {
	tries=0
	while [ $tries -lt 100 ]; do
		tries=$((tries + 1))
		p=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		p=$((20000 + p % 40000))
		if ! ss -Htln 2>/dev/null | awk '{print $4}' |
		    grep -q ":$p\$"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# mta_env_wait PORT: until something accepts connections on it (5 s).
mta_env_wait() {
	i=0
	while [ $i -lt 50 ]; do
		ss -Htln 2>/dev/null | awk '{print $4}' | grep -q ":$1\$" &&
		    return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

mta_env_port() {
	set -- $(cat "$mta_dir/$1/port")
	echo "$1"
}

mta_env_ports() {
	cat "$mta_dir/$1/port"
}

mta_env_log() {
	cat "$mta_dir/$1/logname"
}

# mta_env_cert DIR: a self-signed certificate for mx.exim.test.
mta_env_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
	    -subj /CN=mx.exim.test -keyout "$1/key.pem" -out "$1/cert.pem" \
	    >/dev/null 2>&1
}

# mta_env_exim_trap TRAP: the trap's global options, ACLs and routers.
mta_env_exim_trap() {
	closed_rcpt='  accept  domains = +local_domains
          verify = recipient
  deny    message = relay not permitted'
	local_users='known:
  driver = redirect
  domains = +local_domains
  local_parts = postmaster : alice
  data = :blackhole:'
	# No named list here: Exim 4.96 caches +local_domains across the
	# percent hack's rewrite and would take the new domain for local.
	remote='remote:
  driver = redirect
  domains = ! mx.exim.test : ! @[]
  data = :blackhole:'
	x_global='tls_advertise_hosts =' x_mail= x_helo= x_rcpt=$closed_rcpt
	x_routers=$local_users
	case $1 in
	closed) ;;
	tarpit)
		# Domain literals allowed, so that more variants reach the
		# RCPT ACL and its delay: the worst case for the probe.
		x_global="$x_global
allow_domain_literals = true"
		x_rcpt='  accept  domains = +local_domains
          verify = recipient
  deny    message = relay not permitted
          delay = 5s' ;;
	open)
		x_rcpt='  accept'
		x_routers=$remote ;;
	percent)
		# The hack rewrites the recipient before the ACL sees it:
		# the ACL accepts it by the command as sent.
		x_global="$x_global
percent_hack_domains = mx.exim.test"
		x_rcpt="  accept  condition = \${if match{\$smtp_command}{\\N%[^@>]*@mx\\.exim\\.test>\\N}}
$closed_rcpt"
		x_routers="$local_users
$remote" ;;
	quoted)
		x_global="$x_global
allow_domain_literals = true"
		x_routers="quoted:
  driver = redirect
  domains = +local_domains
  condition = \${if match{\$local_part}{@}}
  data = \$local_part
$local_users
$remote" ;;
	catchall)
		x_routers='any:
  driver = redirect
  domains = +local_domains
  data = :blackhole:' ;;
	discard)
		x_rcpt='  discard log_message = discarded' ;;
	starttls)
		x_global="tls_advertise_hosts = *
tls_certificate = $mta_dir/$1/cert.pem
tls_privatekey = $mta_dir/$1/key.pem"
		x_mail='  deny    message = 530 5.7.0 Must issue a STARTTLS command first
          condition = ${if def:tls_in_cipher{no}{yes}}' ;;
	auth)
		x_mail='  deny    message = 530 5.7.0 Authentication required
          !authenticated = *' ;;
	heloonly)
		x_helo='  deny    message = 502 5.5.2 EHLO not supported, use HELO
          condition = ${if match{$smtp_command}{\N^(?i)ehlo\N}}' ;;
	*)
		echo "mta-env.sh: unknown Exim trap $1" >&2
		return 1 ;;
	esac
}

# mta_env_exim TRAP [N]: start a private Exim playing TRAP on N ports;
# sets mta_port.
mta_env_exim() {
	d=$mta_dir/$1
	mkdir -p "$d/spool" "$d/log"
	mta_env_users
	if [ "$1" = starttls ]; then
		# Exim reads them as its own user, not as root.
		mta_env_cert "$d" && chown 64900:64900 "$d/key.pem" \
		    "$d/cert.pem" || return 1
	fi
	mta_env_exim_trap "$1" || return 1
	ports=
	i=0
	while [ $i -lt "${2:-1}" ]; do
		p=$(mta_env_free_port) || return 1
		case " $ports " in
		*" $p "*) continue ;;
		esac
		ports="${ports:+$ports }$p"
		i=$((i + 1))
	done
	mta_port=${ports%% *}
	echo "$ports" >"$d/port"
	ports=$(echo "$ports" | sed 's/ / : /g')
	echo "$d/log/mainlog" >"$d/logname"
	cat >"$d/exim.conf" <<EOF
primary_hostname = mx.exim.test
qualify_domain = mx.exim.test
domainlist local_domains = @ : @[]
local_interfaces = 127.0.0.1
daemon_smtp_ports = $ports
spool_directory = $d/spool
log_file_path = $d/log/%slog
pid_file_path = $d/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
host_lookup =
rfc1413_hosts =
smtp_accept_max = 0
log_selector = +smtp_connection +smtp_protocol_error +smtp_syntax_error +smtp_no_mail
queue_only = true
$x_global
acl_smtp_helo = acl_helo
acl_smtp_mail = acl_mail
acl_smtp_rcpt = acl_rcpt

begin acl

acl_helo:
$x_helo
  accept

acl_mail:
$x_mail
  accept

acl_rcpt:
$x_rcpt

begin routers

$x_routers

begin transports
EOF
	chown -R 64900:64900 "$d/spool" "$d/log"
	unshare -m --propagation private sh -c '
		mount --bind "$1/passwd" /etc/passwd &&
		mount --bind "$1/group" /etc/group &&
		exec "$2" -C "$3/exim.conf" -bd
	' mta-exim "$mta_dir" "$mta_exim" "$d" >"$d/start.log" 2>&1 ||
	    return 1
	mta_names="$mta_names $1"
	echo exim >"$d/kind"
	for p in $(cat "$d/port"); do
		mta_env_wait "$p" || return 1
	done
}

# mta_env_smtpd TRAP: start a private OpenSMTPD playing TRAP (open,
# closed); sets mta_port.
mta_env_smtpd() {
	d=$mta_dir/$1
	mkdir -p "$d/spool" "$d/empty" "$d/run"
	mta_env_users
	mta_port=$(mta_env_free_port) || return 1
	echo "$mta_port" >"$d/port"
	echo "$d/smtpd.log" >"$d/logname"
	case $1 in
	smtpd-open) match='match from any for any action "nowhere"' ;;
	smtpd-closed) match='match from any for domain "mx.smtpd.test" action "nowhere"' ;;
	*)
		echo "mta-env.sh: unknown OpenSMTPD trap $1" >&2
		return 1 ;;
	esac
	cat >"$d/smtpd.conf" <<EOF
listen on 127.0.0.1 port $mta_port hostname mx.smtpd.test
action "nowhere" relay host smtp://127.0.0.1:9
$match
EOF
	chmod 0711 "$d/spool"
	# -d keeps it in the foreground: it runs in the background here,
	# logging to a file; its PID is the namespace's shell's, exec'd.
	unshare -m --propagation private sh -c '
		mount --bind "$1/passwd" /etc/passwd &&
		mount --bind "$1/group" /etc/group &&
		mount -t tmpfs mta-var /var/spool &&
		mount -t tmpfs mta-lib /var/lib &&
		mkdir -p /var/spool/smtpd /var/lib/opensmtpd/empty &&
		mount --bind "$3/spool" /var/spool/smtpd &&
		mount --bind "$3/empty" /var/lib/opensmtpd/empty &&
		mount --bind "$3/run" /run &&
		exec "$2" -d -f "$3/smtpd.conf"
	' mta-smtpd "$mta_dir" "$mta_smtpd" "$d" >"$d/smtpd.log" 2>&1 &
	echo $! >"$d/smtpd.pid"
	mta_names="$mta_names $1"
	echo smtpd >"$d/kind"
	mta_env_wait "$mta_port"
}

mta_env_stop() {
	for n in $mta_names; do
		d=$mta_dir/$n
		pidf=$d/exim.pid
		[ -f "$d/smtpd.pid" ] && pidf=$d/smtpd.pid
		if [ -s "$pidf" ]; then
			kill "$(cat "$pidf")" 2>/dev/null || true
		fi
	done
	mta_names=
}
