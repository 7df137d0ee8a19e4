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
