#!/usr/bin/env bash
# Bulk indexing rate of `model-tools index` into a real OpenSearch 3.6.0 node with the plugin installed: writes N
# seeded Gaussian item vectors (NumPy), turns them into a training-output directory with `model-tools import`, then
# indexes them into a fresh 1-shard index once per concurrency given, and prints one markdown row per run
# (documents/s measured by the command itself, from the first _bulk to the final refresh and _count).
#
#   benchmarks/index-bench.sh [--items N] [--dims D] [--concurrency "1 2 4"] [--batch-size N] [--shards N]
#                             [--port P] [--heap SIZE] [--no-hnsw]
#
#   --no-hnsw   map the field with "index": false (exact scoring only, no HNSW graph): isolates the graph's cost
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
ZIP=$(ls "$ROOT"/plugin/target/opensearch-recommender-*.zip | head -n 1)

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
cat >"$MAPPING" <<JSON
{ "settings": { "index": { "number_of_shards": $SHARDS, "number_of_replicas": 0 } },
  "mappings": { "properties": { "item_id": { "type": "keyword" },
    "embedding": { "type": "embedding", "dims": $DIMS, "similarity": "dot_product", "index": $HNSW } } } }
JSON

echo "==> node"
node_fetch "$WORK" "$ROOT"
node_install "$WORK" "$ZIP"
trap 'node_stop "$WORK"' EXIT
node_start "$WORK" "$PORT" "$HEAP" recommender-index-bench

echo
echo "$ITEMS items, d = $DIMS, $SHARDS shard(s), HNSW $HNSW, batch $BATCH, heap $HEAP, $(nproc) cores"
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
