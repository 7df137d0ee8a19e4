#!/bin/sh
# debian-deps.sh - install what mxbpa needs to build and to run its whole
# test suite on Debian 12 (run as root).  The one list the README and CI
# use.
set -eu
export DEBIAN_FRONTEND=noninteractive
# slapd and postfix are used only by the tests, which run private
# instances: ask the packages not to configure a system one.
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
echo "postfix postfix/main_mailer_type select No configuration" |
	debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends \
	build-essential autoconf automake pkg-config \
	libxml2-dev libxslt1-dev libssl-dev libldap-dev libpsl-dev publicsuffix \
	libxml2-utils man-db groff-base bsdextrautils \
	slapd ldap-utils openssl ca-certificates procps iproute2 time \
	postfix libsasl2-modules swaks libnet-ssleay-perl nmap \
	valgrind clang jq chromium python3 xsltproc

# Samba AD DC for tests/integration/samba-ad.sh, which provisions and runs a
# private DC per run.  The packages must leave no system DC, smbd, nmbd or
# winbindd running or enabled, and no winbind in the name service or PAM:
# a policy-rc.d keeps the maintainer scripts from starting services (unless
# the machine has its own), and what they configure is undone after.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	own_policy=1
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
fi
apt-get install -y -q --no-install-recommends \
	samba samba-ad-dc samba-ad-provision ldb-tools
[ -z "$own_policy" ] || rm -f "$policy"
for service in samba-ad-dc samba smbd nmbd winbind; do
	if command -v systemctl >/dev/null 2>&1 &&
	    [ -d /run/systemd/system ]; then
		systemctl disable --now "$service" >/dev/null 2>&1 || true
	elif [ -x "/etc/init.d/$service" ]; then
		"/etc/init.d/$service" stop >/dev/null 2>&1 || true
		update-rc.d "$service" disable >/dev/null 2>&1 || true
	fi
done
if command -v pam-auth-update >/dev/null 2>&1 &&
    [ -e /usr/share/pam-configs/winbind ]; then
	pam-auth-update --package --remove winbind
fi
sed -i -E '/^(passwd|group|shadow|gshadow):/ s/[[:space:]]+winbind\b//g' \
	/etc/nsswitch.conf

# Exim and OpenSMTPD, the independent MTAs the probe is tested against,
# conflict with postfix as installed packages: unpack them (dpkg -x, no
# maintainer scripts, no system instance) where the tests look for them.
# Exim needs libidn12, which dpkg -x does not bring.
apt-get install -y -q --no-install-recommends libidn12 libevent-2.1-7 \
	libdb5.3 libgnutls-dane0 libgnutls30 libnsl2 libpcre2-8-0
mta=/opt/mxbpa-test-mta
rm -rf "$mta.tmp"
mkdir -p "$mta.tmp/debs"
(
	cd "$mta.tmp/debs"
	apt-get download exim4-base exim4-daemon-light opensmtpd
	for deb in *.deb; do
		dpkg -x "$deb" "$mta.tmp"
	done
)
rm -rf "$mta.tmp/debs" "$mta"
mv "$mta.tmp" "$mta"
