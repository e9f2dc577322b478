#!/usr/bin/env python3
"""Real passive DNS clients against a running yapdns-server, unchanged.

dnsdbq (Debian's package, DNSDB API v2 and v1, and its CIRCL mode) and PyPDNS (PyPI) query the
server; every answer is compared with what `yapdns-server query` reads from the same store
directly, so the HTTP layer is checked against the store, not against itself.

Run by scripts/server-tests.sh, which starts the server and passes:
    check_clients.py URL DSN BINARY QUERY_CLIENT QUERY_KEY INGEST_KEY
Ends with the line "N passed, N failed" and exits 1 on any failure.
"""

import json
import os
import subprocess
import sys
import traceback

import requests
from pypdns import PyPDNS
from pypdns.errors import UnauthorizedError

URL, DSN, BIN, QCLIENT, QKEY, IKEY = sys.argv[1:7]
NAME_TYPES = {"CNAME", "NS", "PTR", "DNAME", "MX", "SRV", "SOA", "KX", "AFSDB"}
PASSED, FAILED = [], []


def check(name):
    def wrap(fn):
        try:
            fn()
            PASSED.append(name)
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 - report every failure and go on
            FAILED.append(name)
            print(f"FAIL {name}")
            traceback.print_exc()
        return fn

    return wrap


def cli_query(*args):
    out = subprocess.run([BIN, "query", "--store", DSN, *args], check=True, capture_output=True, text=True)
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]


def norm_rdata(rrtype, rdata):
    if rrtype in NAME_TYPES:
        return " ".join(t[:-1] if t.endswith(".") and t != "." else t for t in rdata.split(" "))
    return rdata


def key(rec):
    rdata = rec["rdata"]
    if isinstance(rdata, list):
        assert len(rdata) == 1, rec
        rdata = rdata[0]
    rrname = rec["rrname"]
    if rrname.endswith("."):
        rrname = rrname[:-1]
    return (rrname, rec["rrtype"], norm_rdata(rec["rrtype"], rdata), rec["count"], rec["time_first"], rec["time_last"])


def dnsdbq(*args, system=None, env_extra=None, expect_ok=True):
    env = dict(os.environ, DNSDB_SERVER=URL, DNSDB_API_KEY=QKEY)
    env.pop("DNSDBQ_SYSTEM", None)
    if env_extra:
        env.update(env_extra)
    cmd = ["dnsdbq", *(["-u", system] if system else []), *args]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    if expect_ok:
        assert p.returncode == 0, (cmd, p.returncode, p.stderr)
    return p


def dnsdbq_json(*args, **kw):
    p = dnsdbq("-j", *args, **kw)
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()], p.stderr


def same(got, want):
    g, w = sorted(map(key, got)), sorted(map(key, want))
    assert g == w, f"\n got: {g}\nwant: {w}"
    assert w, "the comparison must not be vacuous"


# --- data the checks need: the sample logs are imported; add enough to paginate (over HTTP)
bulk = "".join(
    json.dumps({"rrname": f"h{i}.bulk.test", "rrtype": "A", "rdata": f"198.51.100.{i}",
                "time_first": 1700000000 + i, "time_last": 1700000000 + i, "count": 1}) + "\n"
    for i in range(1, 121)
)
r = requests.post(f"{URL}/api/v1/associations", data=bulk, timeout=30,
                  headers={"Authorization": f"Bearer {IKEY}", "Content-Type": "application/x-ndjson",
                           "Idempotency-Key": "client-checks-bulk"})
assert r.status_code == 200 and r.json()["associations"] == 120, r.text

ALL_CORP = cli_query("*.corp.test")
assert len(ALL_CORP) >= 10, ALL_CORP
CNAME = next(a for a in ALL_CORP if a["rrtype"] == "CNAME")
lasts = sorted({a["time_last"] for a in ALL_CORP})
MID = lasts[len(lasts) // 2]
firsts = sorted({a["time_first"] for a in ALL_CORP})


@check("dnsdbq rrset name")
def _():
    got, _ = dnsdbq_json("-r", "www.corp.test")
    same(got, cli_query("www.corp.test"))


@check("dnsdbq rrset name with rrtype")
def _():
    got, _ = dnsdbq_json("-r", "www.corp.test/A")
    same(got, cli_query("--rrtype", "A", "www.corp.test"))


@check("dnsdbq rrset left-hand wildcard")
def _():
    got, _ = dnsdbq_json("-r", "*.corp.test")
    same(got, ALL_CORP)


@check("dnsdbq rrset right-hand wildcard")
def _():
    got, _ = dnsdbq_json("-r", "www.corp.*")
    same(got, cli_query("www.corp.*"))


@check("dnsdbq rdata name")
def _():
    got, _ = dnsdbq_json("-n", CNAME["rdata"])
    same(got, cli_query("--rdata", CNAME["rdata"]))


@check("dnsdbq rdata ip")
def _():
    ip = next(a["rdata"] for a in ALL_CORP if a["rrtype"] == "A")
    got, _ = dnsdbq_json("-i", ip)
    same(got, cli_query(ip))


@check("dnsdbq rdata CIDR")
def _():
    got, _ = dnsdbq_json("-i", "127.0.60.0,24")
    same(got, cli_query("127.0.60.0/24"))


@check("dnsdbq rdata range")
def _():
    got, _ = dnsdbq_json("-i", "198.51.100.10-198.51.100.19")
    assert len(got) == 10
    same(got, cli_query("198.51.100.10-198.51.100.19"))


@check("dnsdbq time fence, loose (-A)")
def _():
    got, _ = dnsdbq_json("-A", str(MID), "-r", "*.corp.test")
    same(got, cli_query("--time-last-after", str(MID), "*.corp.test"))
    assert len(got) < len(ALL_CORP)


@check("dnsdbq time fence, strict (-c -A -B)")
def _():
    lo, hi = firsts[0], lasts[-1]
    got, _ = dnsdbq_json("-c", "-A", str(lo + 1), "-B", str(hi), "-r", "*.corp.test")
    same(got, cli_query("--time-first-after", str(lo + 1), "--time-last-before", str(hi), "*.corp.test"))


@check("dnsdbq limit (-l) keeps the server's order")
def _():
    got, err = dnsdbq_json("-l", "3", "-r", "*.corp.test")
    want = cli_query("--limit", "3", "*.corp.test")
    assert [key(g) for g in got] == [key(w) for w in want], (got, want)


@check("dnsdbq summarize")
def _():
    got, _ = dnsdbq_json("-V", "summarize", "-r", "*.corp.test")
    assert len(got) == 1, got
    s = got[0]
    assert s["num_results"] == len(ALL_CORP), (s, len(ALL_CORP))
    assert s["count"] == sum(a["count"] for a in ALL_CORP)
    assert s["time_first"] == min(firsts) and s["time_last"] == max(lasts)


@check("dnsdbq summarize with limit and max_count")
def _():
    got, _ = dnsdbq_json("-V", "summarize", "-l", "5", "-r", "*.bulk.test")
    assert got[0]["num_results"] == 5, got
    got, _ = dnsdbq_json("-V", "summarize", "-M", "7", "-r", "*.bulk.test")
    assert got[0]["count"] == 7, got


@check("dnsdbq offset (-O)")
def _():
    got, _ = dnsdbq_json("-O", "110", "-r", "*.bulk.test")
    assert len(got) == 10, len(got)
    want = cli_query("--offset", "110", "*.bulk.test")
    assert [key(g) for g in got] == [key(w) for w in want]


@check("dnsdbq text output")
def _():
    p = dnsdbq("-r", "www.corp.test/A")
    assert ";; record times:" in p.stdout and "www.corp.test.  A  " in p.stdout, p.stdout


@check("dnsdbq -I (rate_limit)")
def _():
    p = dnsdbq("-I", "-j")
    info = json.loads(p.stdout)
    assert info["rate"]["limit"] == "unlimited" and info["rate"]["results_max"] > 0, info
    p = dnsdbq("-I")
    assert "results_max:" in p.stdout and "burst rate:" in p.stdout, p.stdout


@check("dnsdbq batch mode (-f) over several lookup kinds")
def _():
    batch = "rrset/name/www.corp.test\nrdata/ip/127.0.60.0,24\nrdata/name/" + CNAME["rdata"] + "\n"
    env = dict(os.environ, DNSDB_SERVER=URL, DNSDB_API_KEY=QKEY)
    p = subprocess.run(["dnsdbq", "-j", "-f"], input=batch, capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    answers = [[json.loads(l) for l in chunk.strip().splitlines() if l.strip()]
               for chunk in p.stdout.split("--\n")[:3]]
    same(answers[0], cli_query("www.corp.test"))
    same(answers[1], cli_query("127.0.60.0/24"))
    same(answers[2], cli_query("--rdata", CNAME["rdata"]))


@check("dnsdbq bad key is refused (403)")
def _():
    p = dnsdbq("-r", "www.corp.test", env_extra={"DNSDB_API_KEY": "not-a-key"}, expect_ok=False)
    assert "403" in p.stderr, p.stderr
    assert p.stdout.strip() == ""


@check("dnsdbq API v1 (-u dnsdb1)")
def _():
    got, _ = dnsdbq_json("-r", "www.corp.test", system="dnsdb1")
    same(got, cli_query("www.corp.test"))
    got, _ = dnsdbq_json("-i", "127.0.60.0,24", system="dnsdb1")
    same(got, cli_query("127.0.60.0/24"))


@check("dnsdbq CIRCL mode (-u circl)")
def _():
    # dnsdbq reads the CIRCL settings from its configuration file (a shell fragment).
    import tempfile
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write(f"CIRCL_SERVER='{URL}/pdns/query'\nCIRCL_AUTH='{QCLIENT}:{QKEY}'\n")
    conf.close()
    env = {"DNSDBQ_CONFIG_FILE": conf.name}
    got, _ = dnsdbq_json("-r", "www.corp.test", system="circl", env_extra=env)
    same(got, cli_query("www.corp.test"))
    got, _ = dnsdbq_json("-i", "127.0.60.1", system="circl", env_extra=env)
    same(got, cli_query("127.0.60.1"))


def pdns(**kw):
    return PyPDNS(url=f"{URL}/pdns/query", **kw)


@check("pypdns rfc_query by name (basic auth)")
def _():
    recs = pdns(basic_auth=(QCLIENT, QKEY)).rfc_query("www.corp.test")
    same([r.raw for r in recs], cli_query("www.corp.test"))
    assert all(isinstance(r.time_first, int) and r.rrtype for r in recs)


@check("pypdns rfc_query by IP (raw key in Authorization)")
def _():
    recs = pdns(auth_token=QKEY).rfc_query("127.0.60.1")
    same([r.raw for r in recs], cli_query("127.0.60.1"))


@check("pypdns rfc_query with filter_rrtype")
def _():
    recs = pdns(basic_auth=(QCLIENT, QKEY)).rfc_query("www.corp.test", filter_rrtype="AAAA")
    same([r.raw for r in recs], cli_query("--rrtype", "AAAA", "www.corp.test"))


@check("pypdns iter_query paginates with x-dribble-cursor")
def _():
    recs = list(pdns(basic_auth=(QCLIENT, QKEY)).iter_query("*.bulk.test"))
    assert len(recs) == 120, len(recs)
    same([r.raw for r in recs], cli_query("*.bulk.test"))


@check("pypdns query (legacy) returns datetimes")
def _():
    recs = pdns(basic_auth=(QCLIENT, QKEY)).query("www.corp.test")
    assert recs and all(hasattr(r["time_first"], "year") for r in recs)


@check("pypdns wrong key raises UnauthorizedError")
def _():
    try:
        pdns(basic_auth=(QCLIENT, "wrong")).rfc_query("www.corp.test")
    except UnauthorizedError:
        return
    raise AssertionError("no UnauthorizedError")


print(f"{len(PASSED)} passed, {len(FAILED)} failed")
sys.exit(1 if FAILED else 0)
