#!/usr/bin/env bash
# Runs inside `unshare -n`: loopback only.
set -u
cd /tmp/dnstap-lab
ip link set lo up
rm -f dnstap.sock unbound.fstrm auth.log resolver.log
fstrm_capture -t protobuf:dnstap.Dnstap -u /tmp/dnstap-lab/dnstap.sock -w /tmp/dnstap-lab/unbound.fstrm > capture.log 2>&1 &
CAP=$!
sleep 1
unbound -c auth.conf
unbound -c resolver.conf
sleep 2
q() { dig -p 5302 @127.0.0.1 +tries=1 +time=3 "$@" > /dev/null; }
for n in www.lab.test alias.lab.test toforward.lab.test mixed.case.lab.test www.fwd.test; do q $n A; done
q www.lab.test AAAA
q lab.test MX; q lab.test SOA; q lab.test NS; q lab.test DNSKEY; q lab.test NSEC3PARAM
q _sip._udp.lab.test SRV
for t in TXT; do q txt.lab.test $t; q longtxt.lab.test $t; done
q spf.lab.test SPF; q hinfo.lab.test HINFO; q caa.lab.test CAA; q naptr.lab.test NAPTR
q sshfp.lab.test SSHFP; q sub.lab.test DS; q sub.lab.test CDS; q sub.lab.test CDNSKEY
q _443._tcp.www.lab.test TLSA; q rp.lab.test RP; q afsdb.lab.test AFSDB; q kx.lab.test KX
q dname.lab.test DNAME; q loc.lab.test LOC; q uri.lab.test URI; q svcb.lab.test SVCB
q https.lab.test HTTPS; q eui48.lab.test EUI48; q eui64.lab.test EUI64
q unknown.lab.test TYPE65000; q empty.lab.test TYPE65001
q 'weird\032name.lab.test' A; q 'dot\.label.lab.test' A; q 'caf\195\169.lab.test' A; q xn--bcher-kva.lab.test A
q nsec.lab.test NSEC; q nsec.lab.test RRSIG; q n3.lab.test NSEC3; q cert.lab.test CERT
q ipseckey.lab.test IPSECKEY; q dhcid.lab.test DHCID; q apl.lab.test APL; q openpgpkey.lab.test OPENPGPKEY
q smimea.lab.test SMIMEA; q csync.lab.test CSYNC; q zonemd.lab.test ZONEMD
q -x 192.0.2.10; q -x 192.0.2.53
q nonexistent.lab.test A; q www.lab.test MX; q nonexistent.fwd.test A
q +tcp www.lab.test A
dig -p 5302 @::1 +tries=1 +time=3 www.fwd.test AAAA > /dev/null
q www.lab.test A
sleep 2
kill $(cat resolver.pid) $(cat auth.pid)
sleep 2
kill -INT $CAP
wait $CAP
ls -la unbound.fstrm
