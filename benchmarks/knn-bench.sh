#!/usr/bin/env bash
# Exact scoring of every document, ours next to the k-NN plugin's, on one OpenSearch 3.5.0 node with both plugins
# (Maven Central serves the k-NN plugin for 3.5.0 only). One index, 1 shard, force-merged: N vectors of D dimensions
# stored twice, as an `embedding` field (index: false, binary doc values) and as a k-NN `knn_vector` field in an
# index with index.knn: false (doc values, k-NN's own exact-search layout), so neither side builds a graph. Each query
# is a match_all script_score over every document, top 10: ours (lang recommender, source dot) and k-NN's
# (knn_score, space_type innerproduct), alternating, one at a time; prints a markdown table and the ratio.
#
#   benchmarks/knn-bench.sh [--docs N] [--dims D] [--queries Q] [--port P] [--heap SIZE]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OS_VERSION=3.5.0
KNN_VERSION=3.5.0.0
source "$ROOT/bin/lib/jdk.sh"
source "$ROOT/bin/lib/node.sh"

DOCS=200000
DIMS=64
QUERIES=100
PORT=9251
HEAP=2g
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) DOCS="$2"; shift 2 ;;
    --dims) DIMS="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
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
python3 - "$URL" "$DOCS" "$DIMS" "$QUERIES" <<'PY'
import json, sys, time, urllib.request
import numpy as np

url, docs, dims, queries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def call(method, path, body=None, ndjson=False):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Content-Type", "application/x-ndjson" if ndjson else "application/json")
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())

count = 0
try:
    count = call("GET", "/bench/_count")["count"]
except Exception:
    pass
rng = np.random.default_rng(7)
if count != docs:
    try:
        call("DELETE", "/bench")
    except Exception:
        pass
    call("PUT", "/bench", {"settings": {"index.knn": False, "number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"},
        "mappings": {"properties": {"emb": {"type": "embedding", "dims": dims, "index": False},
                                    "kv": {"type": "knn_vector", "dimension": dims}}}})
    start = time.time()
    for lo in range(0, docs, 5000):
        block = rng.uniform(-1, 1, size=(min(5000, docs - lo), dims)).astype(np.float32)
        lines = []
        for i, v in enumerate(block):
            vec = "[" + ",".join("%.6g" % x for x in v) + "]"
            lines.append('{"index":{"_id":"d%d"}}' % (lo + i))
            lines.append('{"emb":%s,"kv":%s}' % (vec, vec))
        r = call("POST", "/bench/_bulk", ("\n".join(lines) + "\n").encode(), ndjson=True)
        if r.get("errors"):
            raise SystemExit("bulk errors: " + json.dumps(r)[:500])
        print("   indexed %d / %d" % (lo + len(block), docs), flush=True)
    call("POST", "/bench/_refresh")
    call("POST", "/bench/_forcemerge?max_num_segments=1")
    call("POST", "/bench/_refresh")
    print("   indexed and merged in %.0f s" % (time.time() - start))

qs = np.random.default_rng(11).uniform(-1, 1, size=(queries + 10, dims)).astype(np.float32)
def ours(q):
    return {"size": 10, "_source": False, "query": {"script_score": {"query": {"match_all": {}},
        "script": {"lang": "recommender", "source": "dot", "params": {"field": "emb", "vector": [float(x) for x in q]}}}}}
def knn(q):
    return {"size": 10, "_source": False, "query": {"script_score": {"query": {"match_all": {}},
        "script": {"lang": "knn", "source": "knn_score", "params": {"field": "kv", "query_value": [float(x) for x in q], "space_type": "innerproduct"}}}}}
times = {"ours": [], "knn": []}
same = 0
for n, q in enumerate(qs):
    pair = {}
    for name, body in (("ours", ours(q)), ("knn", knn(q))) if n % 2 == 0 else (("knn", knn(q)), ("ours", ours(q))):
        t = time.perf_counter()
        r = call("POST", "/bench/_search", body)
        elapsed = (time.perf_counter() - t) * 1000
        pair[name] = [h["_id"] for h in r["hits"]["hits"]]
        if n >= 10:  # the first 10 pairs warm both up
            times[name].append(elapsed)
    if n >= 10 and pair["ours"] == pair["knn"]:
        same += 1
print()
print("| exact script_score, %d docs x %d dims, 1 shard | mean ms | p50 ms | p95 ms |" % (docs, dims))
print("|---|---:|---:|---:|")
for name, label in (("ours", "recommender `dot` (embedding, index: false)"), ("knn", "k-NN `knn_score` innerproduct (knn_vector, index.knn: false)")):
    a = np.array(times[name])
    print("| %s | %.1f | %.1f | %.1f |" % (label, a.mean(), np.percentile(a, 50), np.percentile(a, 95)))
print()
print("ratio k-NN / ours (mean latency): %.2f; identical top-10 ids in %d of %d queries" % (
    np.mean(times["knn"]) / np.mean(times["ours"]), same, queries))
PY
