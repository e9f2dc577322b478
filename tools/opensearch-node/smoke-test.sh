#!/usr/bin/env bash
# smoke-test.sh [URL]
#
# Proves, with curl, that a running node does what YAPDNS's Elasticsearch/OpenSearch
# store needs: mappings with keyword/long/ip fields and a lowercase normalizer, _bulk
# indexing, scripted upserts (single _update and _bulk update) that merge associations
# (min first_seen, max last_seen, sum count, union sources), _refresh, term queries on an
# ip field with CIDR (IPv4 and IPv6), range on an ip field, prefix on reversed names,
# sorting, _delete_by_query for retention.
#
# URL: http://HOST:PORT or elasticsearch+http://HOST:PORT; defaults to
# $YAPDNS_TEST_ELASTICSEARCH (as exported by scripts/with-opensearch.sh). Example:
#   scripts/with-opensearch.sh tools/opensearch-node/smoke-test.sh
# Needs curl and python3 (for reading JSON). Exits non-zero on the first failed check.
set -u -o pipefail

URL=${1:-${YAPDNS_TEST_ELASTICSEARCH:-}}
if [ -z "$URL" ]; then
    echo "usage: $0 URL  (or set YAPDNS_TEST_ELASTICSEARCH)" >&2
    exit 2
fi
URL=${URL#elasticsearch+}
URL=${URL%/}
INDEX="yapdns-smoke-$$-$(date +%s)"
PASSED=0
FAILED=0
OUT=""

# call METHOD PATH [BODY] [CONTENT-TYPE]: response body in $OUT, aborts on HTTP >= 300
call() {
    local method=$1 path=$2 body=${3:-} ctype=${4:-application/json} code
    local tmp
    tmp=$(mktemp)
    if [ -n "$body" ]; then
        code=$(curl -s --max-time 60 -o "$tmp" -w '%{http_code}' -H 'Accept: application/json' -X "$method" \
            -H "Content-Type: $ctype" --data-binary "$body" "$URL$path")
    else
        code=$(curl -s --max-time 60 -o "$tmp" -w '%{http_code}' -H 'Accept: application/json' -X "$method" "$URL$path")
    fi
    OUT=$(cat "$tmp")
    rm -f "$tmp"
    if [ "${code:-000}" -lt 200 ] || [ "${code:-000}" -ge 300 ]; then
        echo "FAIL: $method $path -> HTTP $code: $OUT" >&2
        FAILED=$((FAILED + 1))
        finish
    fi
}

# check DESCRIPTION PYTHON-EXPR: evaluates EXPR with r = the last response as JSON
check() {
    local desc=$1 expr=$2
    if OUT="$OUT" python3 -c '
import json, os, sys
r = json.loads(os.environ["OUT"])
sys.exit(0 if eval(sys.argv[1]) else 1)
' "$expr"; then
        echo "ok: $desc"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL: $desc" >&2
        echo "  expected: $expr" >&2
        echo "  response: $OUT" >&2
        FAILED=$((FAILED + 1))
        finish
    fi
}

finish() {
    curl -s --max-time 30 -o /dev/null -X DELETE "$URL/$INDEX" || true
    echo "smoke-test: $PASSED passed, $FAILED failed"
    if [ "$FAILED" -eq 0 ]; then exit 0; fi
    exit 1
}

# --- the node ------------------------------------------------------------------------
call GET /
check "distribution is OpenSearch 2.x" \
    'r["version"].get("distribution") == "opensearch" and r["version"]["number"].startswith("2.")'
call GET "/_cluster/health?wait_for_status=yellow&timeout=30s"
check "cluster health yellow or green" 'r["status"] in ("yellow", "green")'
call GET "/_cat/plugins?format=json"
check "modules painless, netty4, reindex, analysis-common loaded" \
    '{"org.opensearch.painless.PainlessPlugin", "org.opensearch.transport.Netty4Plugin", "org.opensearch.index.reindex.ReindexPlugin", "org.opensearch.analysis.common.CommonAnalysisPlugin"} <= {p["component"] for p in r}'

# --- mapping -------------------------------------------------------------------------
call PUT "/$INDEX" '{
  "settings": {
    "number_of_shards": 1, "number_of_replicas": 0,
    "analysis": {"normalizer": {"lower": {"type": "custom", "filter": ["lowercase"]}}}
  },
  "mappings": {
    "dynamic": "strict",
    "properties": {
      "rrname":     {"type": "keyword", "normalizer": "lower"},
      "rrname_rev": {"type": "keyword"},
      "rrtype":     {"type": "keyword"},
      "rdata":      {"type": "keyword"},
      "rdata_ip":   {"type": "ip"},
      "first_seen": {"type": "long"},
      "last_seen":  {"type": "long"},
      "count":      {"type": "long"},
      "sources":    {"type": "keyword"}
    }
  }
}'
check "index created with keyword/long/ip mapping" 'r["acknowledged"] is True'
call GET "/$INDEX/_mapping"
check "rdata_ip is an ip field, count a long" \
    'list(r.values())[0]["mappings"]["properties"]["rdata_ip"]["type"] == "ip" and list(r.values())[0]["mappings"]["properties"]["count"]["type"] == "long"'

# --- bulk index ----------------------------------------------------------------------
BULK='{"index":{"_id":"a1"}}
{"rrname":"www.example.com","rrname_rev":"com.example.www","rrtype":"A","rdata":"192.0.2.10","rdata_ip":"192.0.2.10","first_seen":1000,"last_seen":2000,"count":3,"sources":["bind"]}
{"index":{"_id":"a2"}}
{"rrname":"mail.example.com","rrname_rev":"com.example.mail","rrtype":"A","rdata":"192.0.2.200","rdata_ip":"192.0.2.200","first_seen":1500,"last_seen":2500,"count":1,"sources":["squid"]}
{"index":{"_id":"a3"}}
{"rrname":"www.example.net","rrname_rev":"net.example.www","rrtype":"A","rdata":"198.51.100.7","rdata_ip":"198.51.100.7","first_seen":500,"last_seen":900,"count":2,"sources":["bind"]}
{"index":{"_id":"a4"}}
{"rrname":"WWW.Example.COM","rrname_rev":"com.example.www","rrtype":"AAAA","rdata":"2001:db8::1","rdata_ip":"2001:db8::1","first_seen":1200,"last_seen":3000,"count":5,"sources":["cuckoo"]}
{"index":{"_id":"c1"}}
{"rrname":"alias.example.com","rrname_rev":"com.example.alias","rrtype":"CNAME","rdata":"www.example.com","first_seen":100,"last_seen":200,"count":1,"sources":["bind"]}
'
call POST "/$INDEX/_bulk" "$BULK" application/x-ndjson
check "bulk indexed 5 documents without errors" 'r["errors"] is False and len(r["items"]) == 5'

# --- scripted upserts ----------------------------------------------------------------
MERGE='if (ctx._source.count == null) { ctx._source.putAll(params.doc); } else { ctx._source.first_seen = Math.min(ctx._source.first_seen, params.doc.first_seen); ctx._source.last_seen = Math.max(ctx._source.last_seen, params.doc.last_seen); ctx._source.count += params.doc.count; for (s in params.doc.sources) { if (!ctx._source.sources.contains(s)) { ctx._source.sources.add(s); } } }'

upsert_body() { # $1 = the association as JSON
    printf '{"scripted_upsert": true, "upsert": {}, "script": {"lang": "painless", "source": "%s", "params": {"doc": %s}}}' "$MERGE" "$1"
}

call POST "/$INDEX/_update/u1?refresh=false" "$(upsert_body '{"rrname":"new.example.org","rrname_rev":"org.example.new","rrtype":"A","rdata":"192.0.2.77","rdata_ip":"192.0.2.77","first_seen":4000,"last_seen":5000,"count":2,"sources":["thug"]}')"
check "scripted upsert creates a missing document" 'r["result"] == "created"'
call POST "/$INDEX/_update/u1" "$(upsert_body '{"rrname":"new.example.org","rrname_rev":"org.example.new","rrtype":"A","rdata":"192.0.2.77","rdata_ip":"192.0.2.77","first_seen":3500,"last_seen":4500,"count":3,"sources":["bind","thug"]}')"
check "scripted upsert merges into it" 'r["result"] == "updated"'
call GET "/$INDEX/_doc/u1"
check "merged: first_seen=min, last_seen=max, count=sum, sources=union" \
    'r["_source"]["first_seen"] == 3500 and r["_source"]["last_seen"] == 5000 and r["_source"]["count"] == 5 and sorted(r["_source"]["sources"]) == ["bind", "thug"]'

# the same merge in a _bulk request (the store's batch path): one existing, one new key
BULK_UPD=$(printf '{"update":{"_id":"a1"}}\n%s\n{"update":{"_id":"u2"}}\n%s\n' \
    "$(upsert_body '{"rrname":"www.example.com","rrname_rev":"com.example.www","rrtype":"A","rdata":"192.0.2.10","rdata_ip":"192.0.2.10","first_seen":800,"last_seen":1800,"count":4,"sources":["squid"]}')" \
    "$(upsert_body '{"rrname":"v6.example.org","rrname_rev":"org.example.v6","rrtype":"AAAA","rdata":"2001:db8:1::53","rdata_ip":"2001:db8:1::53","first_seen":10,"last_seen":20,"count":1,"sources":["zeek"]}')")
# sent as application/json, which is what the Rust `elasticsearch` crate sends for _bulk
call POST "/$INDEX/_bulk?refresh=wait_for" "$BULK_UPD"$'\n' application/json
check "bulk scripted upserts: one updated, one created" \
    'r["errors"] is False and [i["update"]["result"] for i in r["items"]] == ["updated", "created"]'
call GET "/$INDEX/_doc/a1"
check "bulk merge of a1: 800..2000, count 7, sources bind+squid" \
    'r["_source"]["first_seen"] == 800 and r["_source"]["last_seen"] == 2000 and r["_source"]["count"] == 7 and sorted(r["_source"]["sources"]) == ["bind", "squid"]'

call POST "/$INDEX/_refresh"
check "_refresh succeeded on every shard" 'r["_shards"]["failed"] == 0'
call GET "/$INDEX/_count"
check "7 documents visible after refresh" 'r["count"] == 7'

# --- queries -------------------------------------------------------------------------
call POST "/$INDEX/_search" '{"query": {"term": {"rdata_ip": "192.0.2.0/24"}}, "sort": [{"last_seen": "desc"}, {"rrname": "asc"}]}'
check "term on ip field with CIDR 192.0.2.0/24: u1, a2, a1 by last_seen desc" \
    '[h["_id"] for h in r["hits"]["hits"]] == ["u1", "a2", "a1"]'
call POST "/$INDEX/_search" '{"query": {"term": {"rdata_ip": "2001:db8::/32"}}}'
check "term on ip field with IPv6 CIDR 2001:db8::/32" \
    'sorted(h["_id"] for h in r["hits"]["hits"]) == ["a4", "u2"]'
call POST "/$INDEX/_search" '{"query": {"range": {"rdata_ip": {"gte": "192.0.2.10", "lte": "192.0.2.100"}}}}'
check "range on ip field 192.0.2.10-192.0.2.100" \
    'sorted(h["_id"] for h in r["hits"]["hits"]) == ["a1", "u1"]'
call POST "/$INDEX/_search" '{"query": {"prefix": {"rrname_rev": "com.example."}}}'
check "prefix on reversed name (left-hand wildcard *.example.com)" \
    'sorted(h["_id"] for h in r["hits"]["hits"]) == ["a1", "a2", "a4", "c1"]'
call POST "/$INDEX/_search" '{"query": {"bool": {"filter": [{"term": {"rrname": "www.example.com"}}, {"term": {"rrtype": "AAAA"}}]}}}'
check "lowercase normalizer: WWW.Example.COM found as www.example.com" \
    '[h["_id"] for h in r["hits"]["hits"]] == ["a4"]'
call POST "/$INDEX/_search" '{"size": 0, "query": {"term": {"rdata": "www.example.com"}}, "aggs": {"n": {"sum": {"field": "count"}}, "first": {"min": {"field": "first_seen"}}}}'
check "rdata-by-name term query with sum/min aggregations" \
    'r["hits"]["total"]["value"] == 1 and r["aggregations"]["n"]["value"] == 1 and r["aggregations"]["first"]["value"] == 100'

# --- retention -----------------------------------------------------------------------
call POST "/$INDEX/_delete_by_query?refresh=true" '{"query": {"range": {"last_seen": {"lt": 1000}}}}'
check "_delete_by_query removed the 3 associations last seen before 1000" 'r["deleted"] == 3'
call GET "/$INDEX/_count"
check "4 documents left" 'r["count"] == 4'

finish
