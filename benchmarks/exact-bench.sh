#!/usr/bin/env bash
# Exact top-10 over every document on a real node (the build's default release, 3.8.0), next to numpy's floor in the
# same run. One index of one shard, force-merged to S segments (default 1), N seeded Gaussian vectors of D dimensions stored
# twice: `flat` (an `embedding` with index: false, binary doc values) and `hnsw` (index: true, Lucene float vectors);
# with --layouts, also `nograph` (index: true, "graph": false: Lucene float vectors without the graph, under the
# index codec `recommender`).
# For each layout, three surfaces: `embedding_knn` with "exact": true (the block scan), a match_all `script_score`
# with lang recommender, source dot (its bulk scorer, a block of matches per kernel call, on 3.8 on), and the same with
# min_score 0 (OpenSearch then calls the script once per document, as 3.5-3.7 always do); and a search for one id,
# which scans nothing (the request's own cost, paid by every row). Q timed queries after W warm-ups, one at a time;
# `took` medians; every top-10 is compared with numpy's. numpy runs single-threaded (X @ u, then argpartition top
# 10) in the same process. Prints a markdown table; data is kept in benchmarks/.work-exact between runs.
#
#   benchmarks/exact-bench.sh [--docs N] [--dims D] [--queries Q] [--warmup W] [--segments S] [--modes M,...]
#                             [--layouts flat,hnsw,nograph] [--port P] [--heap SIZE] [--zip ZIP]
#
# --modes runs every row once per concurrent segment search mode (none, auto, all; default auto, OpenSearch's own
# default), set on the index: with S > 1, "none" scans one segment after another on one core and "auto" lets
# embedding_knn scan the segments in parallel.
# --layouts keeps only the layouts named (default flat,hnsw): `flat` and `nograph` skip the HNSW graph, whose build
# takes hours at 1,000,000 × 256 on 2 cores, and read the same vectors as `hnsw`'s exact scans (`nograph`: the same
# Lucene vector file).
# --zip installs that plugin zip instead of building one with mvn (e.g. a zip built elsewhere for this release).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bin/lib/jdk.sh"
source "$ROOT/bin/lib/node.sh"

DOCS=200000
DIMS=64
QUERIES=40
WARMUP=15
SEGMENTS=1
MODES=auto
LAYOUTS=flat,hnsw
PORT=9252
HEAP=2g
ZIP=
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) DOCS="$2"; shift 2 ;;
    --dims) DIMS="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --segments) SEGMENTS="$2"; shift 2 ;;
    --modes) MODES="$2"; shift 2 ;;
    --layouts) LAYOUTS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --zip) ZIP="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

find_jdk
python3 -c "import numpy" 2>/dev/null || { echo "error: python3 with numpy is needed (the floor it is compared with)" >&2; exit 1; }
[ -z "$ZIP" ] || ZIP=$(realpath "$ZIP")  # the installer takes file:// URLs, which must be absolute
WORK="$ROOT/benchmarks/.work-exact"
URL="http://127.0.0.1:$PORT"
if curl -fsS "$URL" >/dev/null 2>&1; then
  echo "error: something already answers on $URL; pick another port with --port" >&2
  exit 1
fi
if [ -z "$ZIP" ]; then
  echo "==> building the plugin zip for OpenSearch $OS_VERSION"
  (cd "$ROOT" && mvn -B -q -ntp package -DskipTests -pl plugin -am)
  ZIP=$(node_zip "$ROOT")
fi

echo "==> node"
node_fetch "$WORK" "$ROOT"
node_install "$WORK" "$ZIP"
trap 'node_stop "$WORK"' EXIT
node_start "$WORK" "$PORT" "$HEAP" recommender-exact-bench

echo "==> $DOCS documents, d = $DIMS, $QUERIES queries after $WARMUP warm-ups per row ($(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python3 - "$URL" "$DOCS" "$DIMS" "$QUERIES" "$WARMUP" "$SEGMENTS" "$MODES" "$LAYOUTS" <<'PY'
import json, sys, time, urllib.request
import numpy as np

url, docs, dims, queries, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
segments_wanted, modes, layouts = int(sys.argv[6]), sys.argv[7].split(","), sys.argv[8].split(",")
if not layouts or set(layouts) - {"flat", "hnsw", "nograph"}:
    raise SystemExit("--layouts takes flat, hnsw, nograph, comma-separated")
index = "exact_%d_%d" % (docs, dims) + ("" if segments_wanted == 1 else "_s%d" % segments_wanted) \
    + ("" if set(layouts) == {"flat", "hnsw"} else "_" + "_".join(layouts))

def call(method, path, body=None, ndjson=False):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Content-Type", "application/x-ndjson" if ndjson else "application/json")
    with urllib.request.urlopen(req, timeout=1200) as r:
        return json.loads(r.read())

# float32 as sent: "%.9g" round-trips every float32 exactly, so numpy scores the vectors the node holds
X = np.random.default_rng(19).standard_normal((docs, dims), dtype=np.float32)
count = 0
try:
    count = call("GET", "/%s/_count" % index)["count"]
except Exception:
    pass
if count != docs:
    try:
        call("DELETE", "/" + index)
    except Exception:
        pass
    settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"}
    if "nograph" in layouts:
        settings["codec"] = "recommender"  # what "graph": false needs
    mapping = {"flat": {"index": False}, "hnsw": {"index": True}, "nograph": {"index": True, "graph": False}}
    call("PUT", "/" + index, {"settings": settings,
        "mappings": {"properties": {layout: dict(type="embedding", dims=dims, **mapping[layout]) for layout in layouts}}})
    start = time.time()
    for lo in range(0, docs, 5000):
        lines = []
        for i in range(lo, min(lo + 5000, docs)):
            vec = "[" + ",".join("%.9g" % x for x in X[i]) + "]"
            lines.append('{"index":{"_id":"%d"}}' % i)
            lines.append("{" + ",".join('"%s":%s' % (layout, vec) for layout in layouts) + "}")
        r = call("POST", "/%s/_bulk" % index, ("\n".join(lines) + "\n").encode(), ndjson=True)
        if r.get("errors"):
            raise SystemExit("bulk errors: " + json.dumps(r)[:500])
        if (lo // 5000) % 10 == 9:
            print("   indexed %d / %d" % (min(lo + 5000, docs), docs), flush=True)
    call("POST", "/%s/_refresh" % index)
    call("POST", "/%s/_forcemerge?max_num_segments=%d" % (index, segments_wanted))
    call("POST", "/%s/_refresh" % index)
    print("   indexed and merged in %.0f s" % (time.time() - start), flush=True)
segments = call("GET", "/%s/_segments" % index)["indices"][index]["shards"]["0"][0]["segments"]
print("   segments: %d" % len(segments))

Q = np.random.default_rng(23).standard_normal((warmup + queries, dims), dtype=np.float32)
truth = []
numpy_ms = []
for n, u in enumerate(Q):
    t = time.perf_counter()
    s = X @ u
    top = np.argpartition(-s, 10)[:10]
    top = top[np.argsort(-s[top], kind="stable")]
    if n >= warmup:
        numpy_ms.append((time.perf_counter() - t) * 1000)
    truth.append([str(i) for i in top])

def knn(field, u):
    return {"size": 10, "_source": False, "query": {"embedding_knn": {"field": field, "user": {"vector": [float(x) for x in u]}, "k": 10, "exact": True}}}
def script(field, u):
    return {"size": 10, "_source": False, "query": {"script_score": {"query": {"match_all": {}},
        "script": {"lang": "recommender", "source": "dot", "params": {"field": field, "vector": [float(x) for x in u]}}}}}
def script_per_doc(field, u):
    # min_score (0: every score passes) makes OpenSearch call the script once per document, as 3.5-3.7 always do
    body = script(field, u)
    body["query"]["script_score"]["min_score"] = 0
    return body
def one_id(field, u):
    return {"size": 10, "_source": False, "query": {"ids": {"values": ["0"]}}}
# the last row scores nothing: a search for one id is the request's own cost (parse, one shard, reduce, response),
# which every row pays on top of its scan
base_rows = [("`embedding_knn` exact, `index: false`", knn, "flat"), ("`script_score` dot, `index: false`", script, "flat"),
             ("`script_score` dot, `index: false`, per document (`min_score: 0`)", script_per_doc, "flat"),
             ("`embedding_knn` exact, `index: true`", knn, "hnsw"), ("`script_score` dot, `index: true`", script, "hnsw"),
             ("`script_score` dot, `index: true`, per document (`min_score: 0`)", script_per_doc, "hnsw"),
             ("`embedding_knn` exact, `graph: false`", knn, "nograph"), ("`script_score` dot, `graph: false`", script, "nograph"),
             ("`script_score` dot, `graph: false`, per document (`min_score: 0`)", script_per_doc, "nograph"),
             ("`ids` query for one document (no scan: the request's own cost)", one_id, None)]
base_rows = [row for row in base_rows if row[2] is None or row[2] in layouts]
rows = []
took = {}
same = {}
scored = set()
# each concurrent segment search mode in turn (index setting index.search.concurrent_segment_search.mode; "auto",
# OpenSearch's default, searches embedding_knn requests concurrently and script_score ones not)
for mode in modes:
    call("PUT", "/%s/_settings" % index, {"index.search.concurrent_segment_search.mode": mode})
    mode_rows = [(label if len(modes) == 1 else "%s, mode `%s`" % (label, mode), body, field) for label, body, field in base_rows]
    for label, _, _ in mode_rows:
        took[label] = []
        same[label] = 0
    rows += mode_rows
    scored.update(label for label, _, field in mode_rows if field)
    for n, u in enumerate(Q):
        for label, body, field in mode_rows if n % 2 == 0 else list(reversed(mode_rows)):
            r = call("POST", "/%s/_search?request_cache=false" % index, body(field, u))
            ids = [h["_id"] for h in r["hits"]["hits"]]
            if n >= warmup:
                took[label].append(r["took"])
                same[label] += ids == truth[n] if field else 0
floor = float(np.median(numpy_ms))
# which BLAS numpy really called: Debian's numpy links the generic libblas.so.3, which is the slow reference BLAS
# unless an optimised one (OpenBLAS) is installed as the alternative; the floor means nothing without saying which
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line})
blas = ", ".join(__import__("os").path.realpath(b) for b in blas) or "none found in the process maps"
print()
print("numpy %s, BLAS loaded: %s" % (np.__version__, blas))
print("| %d × d %d, %d segment%s, top 10 | median ms | × numpy | top-10 = numpy |" % (docs, dims, len(segments), "" if len(segments) == 1 else "s"))
print("|---|---:|---:|---:|")
print("| numpy `X @ u` + top-10, 1 thread | %.2f | 1.0 | — |" % floor)
for label, _, _ in rows:
    m = float(np.median(took[label]))
    checked = "%d / %d" % (same[label], queries) if label in scored else "—"
    print("| %s | %.1f | %.1f | %s |" % (label, m, m / floor, checked))
print()
print("`took` is whole milliseconds (the node rounds down); load average after: %s" % open("/proc/loadavg").read().split()[:3])
PY
