# fake-ad.pl - a scripted LDAP server on 127.0.0.1 for what slapd cannot
# do: answer like Active Directory with range retrieval ([MS-ADTS]
# 3.1.1.3.1.3.3, "attr;range=0-2"), or like a hostile server.  It speaks
# just enough BER (RFC 4511) for the collector's requests: bind, search,
# abandon, unbind.  Prints "ready" once it listens.
#
# Usage: perl fake-ad.pl PORT MODE [REFERRAL-PORT]
#   ranges     one connector whose remote ranges come in three ranges
#              (0-2, 3-5, 6-*): seven values in all
#   bad-range  the same, but the second range starts at 4, not at 3
#   huge       the first answer announces a 2 GiB message
#   referral   as ranges, plus a continuation reference to
#              ldap://127.0.0.1:REFERRAL-PORT/ (default 1) in the answer
#              of the Exchange search
#   referred   the Exchange search ends in a referral (result code 10) to
#              ldap://127.0.0.1:REFERRAL-PORT/
#   endless    the Exchange search answers every page with the connector
#              and a paged-results cookie: it never ends
#   endless-empty  the same with no entry in the pages
#   drip       the answer of the Exchange search comes a byte every 0.1 s
#   trap       no LDAP: print "connection" for each connection accepted
#              (the place a referral points to)
#
# SPDX-License-Identifier: ISC

use strict;
use warnings;
use IO::Socket::INET;

my ($port, $mode, $refport) = @ARGV;
my $modes = 'ranges|bad-range|huge|referral|referred|endless|endless-empty|' .
    'drip|trap';
die "usage: perl fake-ad.pl PORT $modes [REFERRAL-PORT]\n"
    unless defined $mode && $mode =~ /^($modes)$/;
$refport = 1 unless defined $refport;
$SIG{PIPE} = 'IGNORE';
my $elsewhere = "ldap://127.0.0.1:$refport/CN=Elsewhere,DC=t,DC=com";

# --- BER -------------------------------------------------------------------

sub ber_len {
	my ($n) = @_;
	return chr($n) if $n < 128;
	my $s = '';
	while ($n) {
		$s = chr($n & 255) . $s;
		$n >>= 8;
	}
	return chr(0x80 | length $s) . $s;
}

sub tlv { my ($tag, $content) = @_; chr($tag) . ber_len(length $content) . $content }

sub ber_int {
	my ($n) = @_;
	my $s = '';
	do { $s = chr($n & 255) . $s; $n >>= 8 } while ($n);
	$s = "\0$s" if ord($s) & 0x80;
	return $s;
}

sub octets { tlv(0x04, $_[0]) }

# The TLVs of a buffer: [tag, content] each; stops at a truncated one.
sub tlvs {
	my ($d) = @_;
	my ($i, @out) = (0);
	while ($i + 2 <= length $d) {
		my $tag = ord(substr($d, $i++, 1));
		my $len = ord(substr($d, $i++, 1));
		if ($len & 0x80) {
			my $k = $len & 0x7f;
			$len = 0;
			$len = ($len << 8) | ord(substr($d, $i++, 1)) for 1 .. $k;
		}
		last if $i + $len > length $d;
		push @out, [$tag, substr($d, $i, $len), $i + $len];
		$i += $len;
	}
	return @out;
}

sub message { my ($id, $op) = @_; tlv(0x30, tlv(0x02, ber_int($id)) . $op) }

sub result {
	my ($tag, $code, $referral) = @_;
	tlv($tag, tlv(0x0a, ber_int($code)) . octets('') . octets('') .
	    (defined $referral ? tlv(0xa3, octets($referral)) : ''));
}

# A message with controls ([0] SEQUENCE OF Control).
sub message_controls {
	my ($id, $op, @controls) = @_;
	tlv(0x30, tlv(0x02, ber_int($id)) . $op . tlv(0xa0, join('', @controls)));
}

# The paged-results response control (RFC 2696) with a cookie.
sub paged {
	my ($cookie) = @_;
	tlv(0x30, octets('1.2.840.113556.1.4.319') .
	    octets(tlv(0x30, tlv(0x02, ber_int(0)) . octets($cookie))));
}

sub entry {
	my ($dn, @attrs) = @_;
	my $a = '';
	while (my ($name, $values) = splice(@attrs, 0, 2)) {
		$a .= tlv(0x30, octets($name) .
		    tlv(0x31, join('', map { octets($_) } @$values)));
	}
	return tlv(0x64, octets($dn) . tlv(0x30, $a));
}

# --- the directory -------------------------------------------------------------

my $cfg = 'CN=Configuration,DC=t,DC=com';
my $exchange = "CN=Microsoft Exchange,CN=Services,$cfg";
my $conn = "CN=C1,CN=SMTP Receive Connectors,CN=Protocols,CN=EX1," .
    "CN=Servers,CN=AG,CN=Administrative Groups,CN=T,$exchange";
my $ranges = 'msExchSmtpReceiveRemoteIPRanges';

sub answer {
	my ($id, $base, @want) = @_;
	my $want = join(' ', @want);
	my $out = '';
	if ($base eq '') {
		$out = message($id, entry('', 'configurationNamingContext',
		    [$cfg]));
	} elsif ($base eq $exchange && $mode eq 'referred') {
		return message($id, result(0x65, 10, $elsewhere));
	} elsif ($base eq $exchange && $mode =~ /^endless/) {
		$out = message($id, entry($conn, 'objectClass',
		    ['top', 'msExchSmtpReceiveConnector'], 'cn', ['C1'],
		    'msExchSmtpReceiveBindings', ['0.0.0.0:25']))
		    if $mode eq 'endless';
		return $out . message_controls($id, result(0x65, 0),
		    paged('more'));
	} elsif ($base eq $exchange) {
		$out = message($id, entry($conn,
		    'objectClass', ['top', 'msExchSmtpReceiveConnector'],
		    'cn', ['C1'], 'msExchSmtpReceiveBindings', ['0.0.0.0:25'],
		    'msExchSmtpReceiveRole', ['16384'],
		    "$ranges;range=0-2", ['10.0.0.1', '10.0.0.2', '10.0.0.3']));
		# SearchResultReference: SEQUENCE OF LDAPURL
		$out .= message($id, tlv(0x73, octets($elsewhere)))
		    if $mode eq 'referral';
	} elsif ($base eq $conn && $want =~ /;range=3-\*/) {
		my $r = $mode eq 'bad-range' ? 'range=4-5' : 'range=3-5';
		$out = message($id, entry($conn, "$ranges;$r",
		    ['10.0.0.4', '10.0.0.5', '10.0.0.6']));
	} elsif ($base eq $conn && $want =~ /;range=6-\*/) {
		$out = message($id, entry($conn, "$ranges;range=6-*",
		    ['10.0.0.7']));
	} else {
		return message($id, result(0x65, 32));	# noSuchObject
	}
	return $out . message($id, result(0x65, 0));
}

# --- the server --------------------------------------------------------------------

my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
    LocalPort => $port, Listen => 5, ReuseAddr => 1)
    or die "fake-ad.pl: listen on 127.0.0.1:$port: $!\n";
$| = 1;
print "ready\n";
if ($mode eq 'trap') {
	while (my $client = $server->accept) {
		print "connection\n";
		close $client;
	}
	exit 0;
}
while (my $client = $server->accept) {
	my $buf = '';
	CLIENT: while (sysread($client, my $chunk, 65536)) {
		$buf .= $chunk;
		while (my ($msg) = tlvs($buf)) {
			substr($buf, 0, $msg->[2]) = '';
			my ($idtlv, $op) = tlvs($msg->[1]);
			my $id = 0;
			$id = ($id << 8) | ord($_) for split //, $idtlv->[1];
			if ($mode eq 'huge') {
				syswrite($client, "\x30\x84\x7f\xff\xff\xff" .
				    "\x02\x01\x01" . ('A' x 65536));
				sleep 10;
				last CLIENT;
			}
			if ($op->[0] == 0x60) {		# bind
				syswrite($client, message($id, result(0x61, 0)));
			} elsif ($op->[0] == 0x63) {	# search
				my @f = tlvs($op->[1]);
				my @want = map { $_->[1] } tlvs($f[-1][1]);
				my $a = answer($id, $f[0][1], @want);
				if ($mode eq 'drip' && $f[0][1] eq $exchange) {
					for my $byte (split //, $a) {
						syswrite($client, $byte) or
						    last CLIENT;
						select(undef, undef, undef, 0.1);
					}
				} else {
					syswrite($client, $a);
				}
			} elsif ($op->[0] == 0x42) {	# unbind
				last CLIENT;
			}
		}
	}
	close $client;
}
