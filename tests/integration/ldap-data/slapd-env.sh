# slapd-env.sh - a private OpenLDAP slapd on 127.0.0.1 for the LDAP
# collector's integration test and benchmark.  Sourced, never run.
#
# The caller sets ldap_data (this directory) and slapd_dir (an empty
# scratch directory), then calls, in order:
#
#   slapd_env_missing       prints the first missing tool, or nothing
#   slapd_env_certs         a throwaway CA and a certificate for 127.0.0.1
#                           (ca.pem, server.pem, server.key in slapd_dir)
#   slapd_env_config        slapd.conf from slapd.conf.in
#   slapd_env_load SUFFIX FILE...
#                           loads LDIF files into the database of SUFFIX
#                           (slapadd, offline)
#   slapd_env_start         picks two free ports (slapd_port for ldap://,
#                           slapd_tls_port for ldaps://), starts slapd and
#                           waits until it answers
#   slapd_env_stop          stops it (safe to call twice, from a trap)
#
# Nothing listens anywhere but 127.0.0.1.  ldapsearch is run with
# LDAPNOINIT=1 so that no ldap.conf or ldaprc changes what it does.
#
# SPDX-License-Identifier: ISC

: "${SLAPD:=/usr/sbin/slapd}"
: "${SLAPADD:=/usr/sbin/slapadd}"
slapd_pid=
slapd_port=
slapd_tls_port=

slapd_env_missing() {
	for t in "$SLAPD" "$SLAPADD"; do
		if [ ! -x "$t" ]; then
			echo "$t"
			return 0
		fi
	done
	for t in ldapsearch openssl ss awk; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "$t"
			return 0
		fi
	done
}

# A CA and a server certificate signed by it, for IP 127.0.0.1 and
# localhost, valid two days.
slapd_env_certs() {
	(
		cd "$slapd_dir" || exit 1
		printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		    "keyUsage=critical,digitalSignature,keyEncipherment" \
		    "extendedKeyUsage=serverAuth" \
		    "subjectAltName=IP:127.0.0.1,DNS:localhost" > server.ext
		openssl req -x509 -new -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		    -keyout ca.key -out ca.pem -days 2 \
		    -subj "/CN=mxbpa test CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" &&
		openssl req -new -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		    -keyout server.key -out server.csr \
		    -subj "/CN=127.0.0.1" &&
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -out server.pem -days 2 \
		    -extfile server.ext
	) >"$slapd_dir/openssl.log" 2>&1
}

slapd_env_config() {
	rootpw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	mkdir -p "$slapd_dir/db" "$slapd_dir/db2" "$slapd_dir/db3" &&
	sed -e "s|@DIR@|$slapd_dir|g" -e "s|@DATA@|$ldap_data|g" \
	    -e "s|@ROOTPW@|$rootpw|g" \
	    "$ldap_data/slapd.conf.in" > "$slapd_dir/slapd.conf"
}

# slapd_env_load SUFFIX FILE...: load LDIF files into the database of
# SUFFIX.
slapd_env_load() {
	suffix=$1
	shift
	for f in "$@"; do
		"$SLAPADD" -q -f "$slapd_dir/slapd.conf" -b "$suffix" -l "$f" \
		    >>"$slapd_dir/slapadd.log" 2>&1 || return 1
	done
}

slapd_env_port_free() {
	[ -z "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
}

# Two free ports from a random base, so that parallel runs do not meet.
slapd_env_ports() {
	tries=0
	while [ $tries -lt 50 ]; do
		tries=$((tries + 1))
		base=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		base=$((20000 + base % 30000))
		if slapd_env_port_free "$base" &&
		    slapd_env_port_free $((base + 1)); then
			slapd_port=$base
			slapd_tls_port=$((base + 1))
			return 0
		fi
	done
	return 1
}

slapd_env_answers() {
	LDAPNOINIT=1 ldapsearch -x -H "ldap://127.0.0.1:$slapd_port" \
	    -o nettimeout=2 -l 2 -s base -b "" "(objectClass=*)" 1.1 \
	    >/dev/null 2>&1
}

# Start slapd in the foreground (-d 0), in the background of this shell;
# a port taken between the check and the start means another try.
slapd_env_start() {
	attempt=0
	while [ $attempt -lt 3 ]; do
		attempt=$((attempt + 1))
		slapd_env_ports || return 1
		urls="ldap://127.0.0.1:$slapd_port/"
		urls="$urls ldaps://127.0.0.1:$slapd_tls_port/"
		"$SLAPD" -d 0 -f "$slapd_dir/slapd.conf" -h "$urls" \
		    >>"$slapd_dir/slapd.log" 2>&1 &
		slapd_pid=$!
		waited=0
		while [ $waited -lt 50 ]; do
			if ! kill -0 "$slapd_pid" 2>/dev/null; then
				slapd_pid=
				break
			fi
			if slapd_env_answers; then
				return 0
			fi
			sleep 0.2
			waited=$((waited + 1))
		done
		slapd_env_stop
	done
	return 1
}

slapd_env_stop() {
	if [ -n "$slapd_pid" ]; then
		kill "$slapd_pid" 2>/dev/null
		wait "$slapd_pid" 2>/dev/null
		slapd_pid=
	fi
	return 0
}
