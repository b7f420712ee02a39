#!/usr/bin/env bash
# Exact scoring of every document, ours next to the k-NN plugin's, on one OpenSearch 3.5.0 node with both plugins
# (Maven Central serves the k-NN plugin for 3.5.0 only). Two layouts, each an index of 1 shard force-merged to one
# segment holding N vectors of D dimensions twice: doc values (an `embedding` with index: false and a k-NN
# `knn_vector` in an index.knn: false index, k-NN's own exact-search layout) and Lucene vectors (an `embedding` with
# index: true and a Lucene-engine HNSW `knn_vector`). Each query is a match_all script_score over every document,
# top 10: ours (lang recommender, source dot) and k-NN's (knn_score, space_type innerproduct), alternating, one at a
# time, and ours as an `embedding_knn` exact query (the block scan, cut into tasks run on both cores under
# concurrent segment search); prints a markdown table with each side's ratio to k-NN, by the client's mean time (with
# HTTP and JSON) and by the median of the node's `took` (the search alone, what issue 19's first table measured).
#
#   benchmarks/knn-bench.sh [--docs N] [--dims D] [--queries Q] [--layouts docvalues,lucene] [--port P] [--heap SIZE]
#
# --layouts keeps only the layouts named (default both): `docvalues` alone builds no graph, which at 1,000,000 × 256
# takes hours on 2 cores for the Lucene-vector layout's k-NN field.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OS_VERSION=3.5.0
KNN_VERSION=3.5.0.0
source "$ROOT/bin/lib/jdk.sh"
source "$ROOT/bin/lib/node.sh"

DOCS=200000
DIMS=64
QUERIES=100
LAYOUTS=docvalues,lucene
PORT=9251
HEAP=2g
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) DOCS="$2"; shift 2 ;;
    --dims) DIMS="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --layouts) LAYOUTS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

find_jdk
WORK="$ROOT/benchmarks/.work-knn"
URL="http://127.0.0.1:$PORT"
if curl -fsS "$URL" >/dev/null 2>&1; then
  echo "error: something already answers on $URL; pick another port with --port" >&2
  exit 1
fi

echo "==> building the plugin zip for OpenSearch $OS_VERSION; fetching the k-NN plugin $KNN_VERSION"
(cd "$ROOT" && mvn -B -q -ntp package -DskipTests -pl plugin -am -Dopensearch.version="$OS_VERSION")
(cd "$ROOT" && mvn -B -q -ntp dependency:copy -Dartifact=org.opensearch.plugin:opensearch-knn:$KNN_VERSION:zip -DoutputDirectory="$WORK")

echo "==> node"
node_fetch "$WORK" "$ROOT"
HOME_DIR="$WORK/opensearch-$OS_VERSION"
if [ ! -d "$HOME_DIR/plugins/opensearch-knn" ]; then
  OPENSEARCH_JAVA_HOME="$JAVA_HOME" "$HOME_DIR/bin/opensearch-plugin" install --batch "file://$WORK/opensearch-knn-$KNN_VERSION.zip" 2>&1 | grep -v "no-jdk" || true
fi
node_install "$WORK" "$(node_zip "$ROOT")"
trap 'node_stop "$WORK"' EXIT
node_start "$WORK" "$PORT" "$HEAP" recommender-knn-bench

echo "==> $DOCS documents, d = $DIMS, $QUERIES queries per side ($(nproc) cores)"
python3 - "$URL" "$DOCS" "$DIMS" "$QUERIES" "$LAYOUTS" <<'PY'
import json, sys, time, urllib.request
import numpy as np

url, docs, dims, queries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
wanted = sys.argv[5].split(",")
if not wanted or set(wanted) - {"docvalues", "lucene"}:
    raise SystemExit("--layouts takes docvalues, lucene or both, comma-separated")

def call(method, path, body=None, ndjson=False):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Content-Type", "application/x-ndjson" if ndjson else "application/json")
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())

# two layouts, each in its own index with both plugins' fields holding the same vectors: doc values (ours index: false,
# k-NN's knn_vector in an index.knn: false index) and Lucene vectors (ours index: true, k-NN's Lucene-engine HNSW
# field, in an index.knn: true index)
layouts = [
    ("doc values", "bench_%d_%d" % (docs, dims), {"index.knn": False}, {"type": "embedding", "dims": dims, "index": False}, {"type": "knn_vector", "dimension": dims}),
    ("Lucene vectors", "bench_hnsw_%d_%d" % (docs, dims), {"index.knn": True}, {"type": "embedding", "dims": dims, "index": True},
     {"type": "knn_vector", "dimension": dims, "method": {"name": "hnsw", "engine": "lucene", "space_type": "innerproduct"}}),
]
layouts = [l for l, name in zip(layouts, ("docvalues", "lucene")) if name in wanted]
for _, index, settings, emb, kv in layouts:
    count = 0
    try:
        count = call("GET", "/%s/_count" % index)["count"]
    except Exception:
        pass
    rng = np.random.default_rng(7)
    if count != docs:
        try:
            call("DELETE", "/" + index)
        except Exception:
            pass
        call("PUT", "/" + index, {"settings": dict(settings, number_of_shards=1, number_of_replicas=0, refresh_interval="-1"),
            "mappings": {"properties": {"emb": emb, "kv": kv}}})
        start = time.time()
        for lo in range(0, docs, 5000):
            block = rng.uniform(-1, 1, size=(min(5000, docs - lo), dims)).astype(np.float32)
            lines = []
            for i, v in enumerate(block):
                vec = "[" + ",".join("%.6g" % x for x in v) + "]"
                lines.append('{"index":{"_id":"d%d"}}' % (lo + i))
                lines.append('{"emb":%s,"kv":%s}' % (vec, vec))
            r = call("POST", "/%s/_bulk" % index, ("\n".join(lines) + "\n").encode(), ndjson=True)
            if r.get("errors"):
                raise SystemExit("bulk errors: " + json.dumps(r)[:500])
            if (lo // 5000) % 10 == 9:
                print("   %s: indexed %d / %d" % (index, lo + len(block), docs), flush=True)
        call("POST", "/%s/_refresh" % index)
        call("POST", "/%s/_forcemerge?max_num_segments=1" % index)
        call("POST", "/%s/_refresh" % index)
        print("   %s: indexed and merged in %.0f s" % (index, time.time() - start), flush=True)

qs = np.random.default_rng(11).uniform(-1, 1, size=(queries + 10, dims)).astype(np.float32)
def ours(q):
    return {"size": 10, "_source": False, "query": {"script_score": {"query": {"match_all": {}},
        "script": {"lang": "recommender", "source": "dot", "params": {"field": "emb", "vector": [float(x) for x in q]}}}}}
def knn(q):
    return {"size": 10, "_source": False, "query": {"script_score": {"query": {"match_all": {}},
        "script": {"lang": "knn", "source": "knn_score", "params": {"field": "kv", "query_value": [float(x) for x in q], "space_type": "innerproduct"}}}}}
def ours_exact(q):
    return {"size": 10, "_source": False, "query": {"embedding_knn": {"field": "emb", "user": {"vector": [float(x) for x in q]}, "k": 10, "exact": True}}}
print()
print("| exact top 10, %d docs x %d dims, 1 shard, 1 segment | client mean ms | client p50 ms | client p95 ms | k-NN client mean ÷ this | `took` p50 ms | k-NN `took` p50 ÷ this | top-10 = k-NN's |" % (docs, dims))
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for layout, index, _, _, _ in layouts:
    times = {"ours": [], "knn": [], "exact": []}
    took = {"ours": [], "knn": [], "exact": []}  # the node's own time for the search, without HTTP and JSON
    same = {"ours": 0, "exact": 0}
    for n, q in enumerate(qs):
        got = {}
        sides = [("ours", ours(q)), ("knn", knn(q)), ("exact", ours_exact(q))]
        for name, body in sides if n % 2 == 0 else list(reversed(sides)):
            t = time.perf_counter()
            r = call("POST", "/%s/_search" % index, body)
            elapsed = (time.perf_counter() - t) * 1000
            got[name] = [h["_id"] for h in r["hits"]["hits"]]
            if n >= 10:  # the first 10 rounds warm every side up
                times[name].append(elapsed)
                took[name].append(r["took"])
        if n >= 10:
            for name in same:
                same[name] += got[name] == got["knn"]
    knn_mean = np.mean(times["knn"])
    knn_took = np.median(took["knn"])
    for name, label in (("ours", "recommender `script_score` `dot`"), ("exact", "recommender `embedding_knn` exact"), ("knn", "k-NN `knn_score` innerproduct")):
        a = np.array(times[name])
        t = np.median(took[name])
        print("| %s, %s | %.1f | %.1f | %.1f | %s | %.1f | %s | %s |" % (label, layout, a.mean(), np.percentile(a, 50), np.percentile(a, 95),
            "—" if name == "knn" else "%.2f" % (knn_mean / a.mean()), t,
            "—" if name == "knn" else "%.2f" % (knn_took / max(t, 0.5)), "—" if name == "knn" else "%d / %d" % (same[name], queries)))
print()
print("load average after: %s" % open("/proc/loadavg").read().split()[:3])
PY
