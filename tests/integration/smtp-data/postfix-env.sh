# postfix-env.sh - a private Postfix instance on 127.0.0.1 for the SMTP
# probe's integration test and benchmark.  Sourced, never run; needs root
# (Postfix's master starts as root and its daemons run as user postfix).
#
# The caller sets smtp_data (this directory) and postfix_dir (an empty
# scratch directory whose parents user postfix may traverse), then calls:
#
#   postfix_env_missing     prints the first missing tool, or nothing
#   postfix_env_sasl        succeeds when Cyrus SASL has its PLAIN module,
#                           so that a listener can offer AUTH
#   postfix_env_certs       the certificates of the TLS listeners (below)
#   postfix_env_listen KIND...
#                           adds one smtpd listener per KIND (below)
#   postfix_env_start       picks a block of free ports from a random base
#                           (one per listener, plus postfix_free_port on
#                           which nothing listens), writes etc/main.cf,
#                           etc/master.cf and etc/sasl/smtpd.conf, starts
#                           the instance and waits until every listener
#                           accepts connections
#   postfix_env_port KIND   prints the port of the first listener of KIND
#   postfix_env_ports KIND  prints the ports of all listeners of KIND
#   postfix_env_delivered   succeeds when the maillog shows a message
#                           that was queued or delivered
#   postfix_env_queue_empty succeeds when postqueue sees an empty queue
#   postfix_env_stop        stops it (safe to call twice, from a trap)
#
# postfix_port_list holds the listeners' ports, in the order of their
# kinds in postfix_listeners.  Internal variables are named pf_*.
#
# Listener kinds.  All but "open" trust only 10.255.255.254/32, so the
# prober on 127.0.0.1 is a stranger there.
#
#   closed    relays nothing: RCPT to a foreign domain gets 554 Relay
#             access denied; no STARTTLS, a banner naming no product
#   open      mynetworks=0.0.0.0/0 with permit_mynetworks: an open relay;
#             its banner names a product and a version
#   defer     RCPT to a foreign domain gets 454 (defer_unauth_destination)
#   starttls  closed, STARTTLS with a self-signed RSA 2048 certificate for
#             CN=mx.contoso.test, TLS 1.2 or later only
#   trusted   closed, STARTTLS with a certificate from the test CA
#             (ca.pem) for mx.contoso.test and IP 127.0.0.1; AUTH PLAIN
#             LOGIN offered only inside TLS (smtpd_tls_auth_only)
#   auth      closed, offers AUTH PLAIN LOGIN before STARTTLS (Cyrus SASL,
#             sasldb, no saslauthd, no account: nobody can log in)
#   expired   closed, STARTTLS with a test-CA certificate that expired on
#             2020-02-01
#   weak      closed, STARTTLS with a self-signed RSA 1024 SHA-1
#             certificate, TLS 1.0 and 1.1 accepted
#   smtps     closed, TLS from the start (smtpd_tls_wrappermode, as on
#             port 465) with the self-signed certificate of starttls
#
# Nothing is ever delivered: every transport is "discard".  Postfix logs
# to $postfix_dir/maillog (there is no syslog); "postfix start" prints
# nothing when it fails, so read that file.
#
# SPDX-License-Identifier: ISC

: "${POSTFIX:=/usr/sbin/postfix}"
postfix_listeners=
postfix_port_list=
postfix_free_port=
postfix_started=

postfix_env_missing() {
	for t in "$POSTFIX" /usr/sbin/postqueue /usr/lib/postfix/sbin/smtpd; do
		if [ ! -x "$t" ]; then
			echo "$t"
			return 0
		fi
	done
	for t in openssl ss awk runuser; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "$t"
			return 0
		fi
	done
	if ! id postfix >/dev/null 2>&1; then
		echo "the postfix user"
	fi
}

postfix_env_sasl() {
	ls /usr/lib/*/sasl2/libplain.so* >/dev/null 2>&1 ||
	    ls /usr/lib/sasl2/libplain.so* >/dev/null 2>&1
}

# The certificates, in $postfix_dir/etc: self.* (self-signed), ca.pem and
# trusted.* (signed by ca.pem, valid two days), expired.* (signed by
# ca.pem, January 2020), weak.* (self-signed, RSA 1024, SHA-1).
postfix_env_certs() {
	mkdir -p "$postfix_dir/etc/ca" || return 1
	(
		cd "$postfix_dir/etc" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		    -keyout self.key -out self.pem \
		    -subj /CN=mx.contoso.test &&
		openssl req -x509 -newkey rsa:1024 -sha1 -nodes -days 2 \
		    -keyout weak.key -out weak.pem \
		    -subj /CN=mx.contoso.test &&
		openssl req -x509 -new -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		    -keyout ca.key -out ca.pem -subj "/CN=mxbpa test CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" &&
		printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		    "keyUsage=critical,digitalSignature,keyEncipherment" \
		    "extendedKeyUsage=serverAuth" \
		    "subjectAltName=DNS:mx.contoso.test,IP:127.0.0.1" \
		    > server.ext &&
		openssl req -new -newkey rsa:2048 -nodes \
		    -keyout trusted.key -out trusted.csr \
		    -subj /CN=mx.contoso.test &&
		openssl x509 -req -in trusted.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 2 -extfile server.ext \
		    -out trusted.pem &&
		openssl req -new -newkey rsa:2048 -nodes \
		    -keyout expired.key -out expired.csr \
		    -subj /CN=mx.contoso.test &&
		# "openssl ca" is the OpenSSL 3.0 tool that takes both dates.
		printf '%s\n' "[ca]" "default_ca = test" "[test]" \
		    "database = ca/index.txt" "new_certs_dir = ca" \
		    "serial = ca/serial" "default_md = sha256" \
		    "policy = any" "unique_subject = no" \
		    "x509_extensions = server" "[any]" \
		    "commonName = supplied" "[server]" \
		    "basicConstraints = critical,CA:FALSE" \
		    "subjectAltName = DNS:mx.contoso.test,IP:127.0.0.1" \
		    > ca.cnf &&
		: > ca/index.txt &&
		echo 1000 > ca/serial &&
		openssl ca -batch -notext -config ca.cnf -cert ca.pem \
		    -keyfile ca.key -startdate 20200101000000Z \
		    -enddate 20200201000000Z -in expired.csr \
		    -out expired.pem
	) >"$postfix_dir/openssl.log" 2>&1
}

# postfix_env_listen KIND...: add listeners (ports are given at start).
postfix_env_listen() {
	for pf_kind in "$@"; do
		case $pf_kind in
		closed|open|defer|starttls|trusted|auth|expired|weak|smtps) ;;
		*)
			echo "postfix-env.sh: unknown listener kind $pf_kind" >&2
			return 1
			;;
		esac
		postfix_listeners="$postfix_listeners $pf_kind"
	done
}

# postfix_env_options KIND: the -o overrides of a listener of KIND.
postfix_env_options() {
	pf_etc=$postfix_dir/etc
	pf_stranger="-o mynetworks=10.255.255.254/32"
	pf_tls="$pf_stranger -o smtpd_tls_security_level=may"
	pf_tls12="$pf_tls -o smtpd_tls_protocols=>=TLSv1.2"
	pf_relay="-o smtpd_relay_restrictions=permit_mynetworks"
	case $1 in
	closed)
		echo "$pf_stranger -o { smtpd_banner = \$myhostname ESMTP ready }"
		;;
	open)
		echo "-o mynetworks=0.0.0.0/0 $pf_relay,reject_unauth_destination" \
		    "-o { smtpd_banner = \$myhostname Microsoft ESMTP MAIL" \
		    "Service, Version: 6.0.3790.3959 ready }"
		;;
	defer)
		echo "$pf_stranger $pf_relay,defer_unauth_destination"
		;;
	starttls)
		echo "$pf_tls12 -o smtpd_tls_cert_file=$pf_etc/self.pem" \
		    "-o smtpd_tls_key_file=$pf_etc/self.key"
		;;
	trusted)
		echo "$pf_tls12 -o smtpd_tls_cert_file=$pf_etc/trusted.pem" \
		    "-o smtpd_tls_key_file=$pf_etc/trusted.key" \
		    "-o smtpd_sasl_auth_enable=yes -o smtpd_sasl_type=cyrus" \
		    "-o smtpd_sasl_path=smtpd -o smtpd_tls_auth_only=yes"
		;;
	auth)
		echo "$pf_tls12 -o smtpd_tls_cert_file=$pf_etc/self.pem" \
		    "-o smtpd_tls_key_file=$pf_etc/self.key" \
		    "-o smtpd_sasl_auth_enable=yes -o smtpd_sasl_type=cyrus" \
		    "-o smtpd_sasl_path=smtpd -o smtpd_tls_auth_only=no"
		;;
	smtps)
		echo "$pf_tls12 -o smtpd_tls_wrappermode=yes" \
		    "-o smtpd_tls_cert_file=$pf_etc/self.pem" \
		    "-o smtpd_tls_key_file=$pf_etc/self.key"
		;;
	expired)
		echo "$pf_tls12 -o smtpd_tls_cert_file=$pf_etc/expired.pem" \
		    "-o smtpd_tls_key_file=$pf_etc/expired.key"
		;;
	weak)
		# SECLEVEL=0 lets OpenSSL 3 use the 1024-bit key and TLS 1.0.
		echo "$pf_tls -o smtpd_tls_protocols=>=TLSv1" \
		    "-o tls_medium_cipherlist=DEFAULT:@SECLEVEL=0" \
		    "-o smtpd_tls_cert_file=$pf_etc/weak.pem" \
		    "-o smtpd_tls_key_file=$pf_etc/weak.key"
		;;
	esac
}

# postfix_env_pick_ports N: N + 1 consecutive free ports from a random
# base; sets postfix_port_list (N ports) and postfix_free_port (the last).
postfix_env_pick_ports() {
	need=$(($1 + 1))
	tries=0
	while [ $tries -lt 50 ]; do
		tries=$((tries + 1))
		base=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		base=$((20000 + base % (40000 - need)))
		busy=$(ss -Htln 2>/dev/null | awk -v lo="$base" \
		    -v hi=$((base + need - 1)) '{
			n = split($4, a, ":")
			p = a[n] + 0
			if (p >= lo && p <= hi)
				print p
		}')
		if [ -z "$busy" ]; then
			postfix_port_list=
			i=0
			while [ $i -lt "$1" ]; do
				postfix_port_list="$postfix_port_list $((base + i))"
				i=$((i + 1))
			done
			postfix_free_port=$((base + $1))
			return 0
		fi
	done
	return 1
}

postfix_env_config() {
	pf_etc=$postfix_dir/etc
	mkdir -p "$pf_etc/sasl" "$postfix_dir/queue" "$postfix_dir/data" &&
	chown postfix "$postfix_dir/data" &&
	chmod 755 "$postfix_dir" "$pf_etc" &&
	sed -e "s|@DIR@|$postfix_dir|g" "$smtp_data/main.cf.in" \
	    > "$pf_etc/main.cf" &&
	{
		cat "$smtp_data/smtpd.conf"
		echo "sasldb_path: $pf_etc/sasl/sasldb2"
	} > "$pf_etc/sasl/smtpd.conf" || return 1
	{
		cat "$smtp_data/master.cf.in"
		set -- $postfix_port_list
		for pf_kind in $postfix_listeners; do
			echo "127.0.0.1:$1 inet n - n - - smtpd" \
			    "$(postfix_env_options "$pf_kind")"
			shift
		done
	} > "$pf_etc/master.cf"
}

# postfix_env_port KIND: the port of the first listener of KIND.
postfix_env_port() {
	postfix_env_ports "$1" | awk '{ print $1 }'
}

# postfix_env_ports KIND: the ports of the listeners of KIND, on one line.
postfix_env_ports() {
	set -- "$1" $postfix_port_list
	pf_want=$1
	shift
	pf_out=
	for pf_kind in $postfix_listeners; do
		[ "$pf_kind" = "$pf_want" ] && pf_out="$pf_out $1"
		shift
	done
	echo $pf_out
}

# postfix_env_listening: every listener accepts connections.
postfix_env_listening() {
	pf_up=$(ss -Htln 2>/dev/null | awk '{ print $4 }')
	for pf_port in $postfix_port_list; do
		case " $(echo $pf_up) " in
		*" 127.0.0.1:$pf_port "*) ;;
		*) return 1 ;;
		esac
	done
}

postfix_env_master_pid() {
	tr -d ' \n' < "$postfix_dir/queue/pid/master.pid" 2>/dev/null
}

# Start the instance; a port taken between the check and the start means
# another try on other ports.
postfix_env_start() {
	n=$(echo $postfix_listeners | wc -w)
	attempt=0
	while [ $attempt -lt 3 ]; do
		attempt=$((attempt + 1))
		postfix_env_pick_ports "$n" || return 1
		postfix_env_config || return 1
		if ! runuser -u postfix -- test -r "$postfix_dir/etc/main.cf"
		then
			echo "user postfix cannot reach $postfix_dir:" \
			    "make its parents searchable" >&2
			return 1
		fi
		"$POSTFIX" -c "$postfix_dir/etc" check \
		    >>"$postfix_dir/start.log" 2>&1 || return 1
		postfix_started=1
		"$POSTFIX" -c "$postfix_dir/etc" start \
		    >>"$postfix_dir/start.log" 2>&1
		waited=0
		while [ $waited -lt 50 ]; do
			if postfix_env_listening; then
				return 0
			fi
			sleep 0.1
			waited=$((waited + 1))
		done
		postfix_env_stop
	done
	return 1
}

postfix_env_stop() {
	[ -n "$postfix_started" ] || return 0
	pid=$(postfix_env_master_pid)
	"$POSTFIX" -c "$postfix_dir/etc" stop >/dev/null 2>&1
	waited=0
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
	    [ $waited -lt 50 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		"$POSTFIX" -c "$postfix_dir/etc" abort >/dev/null 2>&1
		sleep 0.5
		kill -KILL "$pid" 2>/dev/null
	fi
	postfix_started=
	return 0
}

# postfix_env_delivered: the maillog shows a message that was received
# (cleanup saw a message-id), queued (qmgr) or delivered (status=).
postfix_env_delivered() {
	grep -E -e 'postfix/cleanup\[[0-9]+\]: [0-9A-F]+: message-id=' \
	    -e 'postfix/qmgr\[[0-9]+\]: [0-9A-F]+: from=' \
	    -e 'status=(sent|deferred|bounced)' \
	    "$postfix_dir/maillog" >/dev/null 2>&1
}

postfix_env_queue_empty() {
	/usr/sbin/postqueue -c "$postfix_dir/etc" -p 2>/dev/null |
	    grep -q "Mail queue is empty"
}
