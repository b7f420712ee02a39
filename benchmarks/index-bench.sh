#!/usr/bin/env bash
# Bulk indexing rate of `model-tools index` into a real OpenSearch node (the build's default release) with the plugin installed: writes N
# seeded Gaussian item vectors (NumPy), turns them into a training-output directory with `model-tools import`, then
# indexes them into a fresh 1-shard index once per concurrency given, and prints one markdown row per run
# (documents/s measured by the command itself, from the first _bulk to the final refresh and _count).
#
# With a graph, it then measures recall@10 of embedding_knn (num_candidates 100 and 1,000) against exact search for
# 100 seeded query vectors, so a cheaper graph's speed can be weighed against what it finds.
#
#   benchmarks/index-bench.sh [--items N] [--dims D] [--concurrency "1 2 4"] [--batch-size N] [--shards N]
#                             [--port P] [--heap SIZE] [--no-hnsw | --no-graph] [--no-refresh] [--m M --ef-construction EF]
#
#   --no-hnsw   map the field with "index": false (exact scoring only, no HNSW graph): isolates the graph's cost
#   --no-graph  map the field with "index": true, "graph": false (Lucene vectors without the graph; index.codec:
#               recommender)
#   --no-refresh   create the index with "refresh_interval": "-1" (no periodic refresh during the load)
#   --m, --ef-construction   build the graph with these (index.codec: recommender); Lucene's defaults are 16 and 100
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bin/lib/jdk.sh"
source "$ROOT/bin/lib/node.sh"

ITEMS=1000000
DIMS=64
CONCURRENCY="2"
BATCH=1000
SHARDS=1
PORT=9260
HEAP=4g
HNSW=true
NO_GRAPH=false
M=""
EF=""
REFRESH=""
while [ $# -gt 0 ]; do
  case "$1" in
    --items) ITEMS="$2"; shift 2 ;;
    --dims) DIMS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --batch-size) BATCH="$2"; shift 2 ;;
    --shards) SHARDS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --no-hnsw) HNSW=false; shift ;;
    --no-graph) NO_GRAPH=true; shift ;;
    --no-refresh) REFRESH=', "refresh_interval": "-1"'; shift ;;
    --m) M="$2"; shift 2 ;;
    --ef-construction) EF="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

find_jdk
python3 -c 'import numpy' 2>/dev/null || { echo "error: python3 with NumPy is needed to write the vectors" >&2; exit 1; }
WORK="$ROOT/benchmarks/.work/index"
URL="http://127.0.0.1:$PORT"
if curl -fsS "$URL" >/dev/null 2>&1; then
  echo "error: something already answers on $URL; pick another port with --port" >&2
  exit 1
fi
mkdir -p "$WORK"

echo "==> building the plugin zip and model-tools"
(cd "$ROOT" && mvn -B -q -ntp package -DskipTests -pl plugin,model-tools -am)
ZIP=$(node_zip "$ROOT")

MODEL="$WORK/model-$ITEMS-$DIMS"
if [ ! -f "$MODEL/manifest.json" ]; then
  echo "==> writing $ITEMS x $DIMS vectors"
  python3 - "$WORK" "$ITEMS" "$DIMS" <<'PY'
import sys, numpy as np
work, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(64)
np.save(f"{work}/items.npy", (rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32))
np.save(f"{work}/users.npy", (rng.standard_normal((100, d)) / np.sqrt(d)).astype(np.float32))
with open(f"{work}/items.ids", "w") as f:
    f.writelines(f"i{i}\n" for i in range(n))
with open(f"{work}/users.ids", "w") as f:
    f.writelines(f"u{i}\n" for i in range(100))
PY
  "$ROOT/bin/model-tools" import --format npy --users "$WORK/users.npy" --user-ids "$WORK/users.ids" \
    --items "$WORK/items.npy" --item-ids "$WORK/items.ids" --out "$MODEL"
fi

MAPPING="$WORK/items-mapping.json"
CODEC=""
GRAPH=""
if [ -n "$M$EF" ]; then
  CODEC=', "codec": "recommender"'
  GRAPH=", \"m\": ${M:-16}, \"ef_construction\": ${EF:-100}"
fi
if [ "$NO_GRAPH" = true ]; then
  [ -z "$M$EF" ] && [ "$HNSW" = true ] || { echo "error: --no-graph takes neither --no-hnsw nor --m / --ef-construction" >&2; exit 2; }
  CODEC=', "codec": "recommender"'
  GRAPH=', "graph": false'
fi
cat >"$MAPPING" <<JSON
{ "settings": { "index": { "number_of_shards": $SHARDS, "number_of_replicas": 0 $CODEC $REFRESH } },
  "mappings": { "properties": { "item_id": { "type": "keyword" },
    "embedding": { "type": "embedding", "dims": $DIMS, "similarity": "dot_product", "index": $HNSW $GRAPH } } } }
JSON

echo "==> node"
node_fetch "$WORK" "$ROOT"
node_install "$WORK" "$ZIP"
trap 'node_stop "$WORK"' EXIT
node_start "$WORK" "$PORT" "$HEAP" recommender-index-bench

echo
echo "$ITEMS items, d = $DIMS, $SHARDS shard(s), index $HNSW$([ "$NO_GRAPH" = true ] && echo ", graph false")${M:+ m $M}${EF:+ ef_construction $EF}, batch $BATCH, heap $HEAP, $(nproc) cores"
echo
echo "| concurrency | seconds | docs/s |"
echo "|---:|---:|---:|"
for c in $CONCURRENCY; do
  out=$("$ROOT/bin/model-tools" index --url "$URL" --model "$MODEL" --only items --items-index bench_items \
    --mapping "items=$MAPPING" --recreate --restart --batch-size "$BATCH" --concurrency "$c" --quiet)
  # "items: 1,000,000 written to [bench_items], 0 failed, _count 1,000,000, 40.1 s (24,938 docs/s)"
  secs=$(sed -n 's/.*, \([0-9.]*\) s (.*/\1/p' <<<"$out")
  rate=$(sed -n 's/.*s (\([0-9,]*\) docs\/s).*/\1/p' <<<"$out")
  count=$(sed -n 's/.*_count \([0-9,]*\),.*/\1/p' <<<"$out" | tr -d ,)
  [ "$count" = "$ITEMS" ] || { echo "error: _count is $count, not $ITEMS: $out" >&2; exit 1; }
  echo "| $c | $secs | $rate |"
done

if [ "$HNSW" = true ]; then
  python3 - "$URL" "$DIMS" <<'PY'
import sys, json, urllib.request, numpy as np
url, d = sys.argv[1], int(sys.argv[2])
def search(body):
    req = urllib.request.Request(f"{url}/bench_items/_search", json.dumps(body).encode(), {"Content-Type": "application/json"})
    return [h["_id"] for h in json.load(urllib.request.urlopen(req))["hits"]["hits"]]
rng = np.random.default_rng(7)
queries = [(rng.standard_normal(d) / np.sqrt(d)).astype(np.float32).tolist() for _ in range(100)]
exact = [set(search({"size": 10, "_source": False, "query": {"embedding_knn": {"field": "embedding", "user": {"vector": v}, "k": 10,
    "num_candidates": 100, "exact": True}}})) for v in queries]
for candidates in (100, 1000):
    found = 0
    for v, truth in zip(queries, exact):
        knn = {"field": "embedding", "user": {"vector": v}, "k": 10, "num_candidates": candidates}
        found += len(set(search({"size": 10, "_source": False, "query": {"embedding_knn": knn}})) & truth)
    print(f"recall@10 of embedding_knn (num_candidates {candidates}) vs exact, {len(queries)} queries: {found / (10 * len(queries)):.3f}")
PY
fi
