#!/usr/bin/env bash
# End-to-end latency of POST /{index}/_recommend on a real OpenSearch node (the build's default release) with the plugin installed, next to
# a plain approximate kNN search in the same run. Starts its own node (data kept in benchmarks/.work between runs,
# so a second run skips indexing), indexes synthetic items and users (1 shard), uploads a NeuMF model, drives each
# workload at a fixed concurrency, prints a markdown table, then one more of the NeuMF + MMR workload's stages
# (`"profile": true`: mean per stage over all requests and over the slowest 1 %), stops the node.
#
#   benchmarks/recommend-bench.sh [--items N] [--users N] [--dims D] [--concurrency C] [--seconds S]
#                                 [--candidates N] [--port P] [--heap SIZE]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bin/lib/jdk.sh"
source "$ROOT/bin/lib/node.sh"

ITEMS=1000000
USERS=100000
DIMS=64
CONCURRENCY=4
SECONDS_PER=60
CANDIDATES=500
PORT=9250
HEAP=4g
while [ $# -gt 0 ]; do
  case "$1" in
    --items) ITEMS="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --dims) DIMS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --seconds) SECONDS_PER="$2"; shift 2 ;;
    --candidates) CANDIDATES="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

find_jdk
WORK="$ROOT/benchmarks/.work"
URL="http://127.0.0.1:$PORT"
if curl -fsS "$URL" >/dev/null 2>&1; then
  echo "error: something already answers on $URL; pick another port with --port" >&2
  exit 1
fi

echo "==> building the plugin zip and the benchmarks"
(cd "$ROOT" && mvn -B -q -ntp install -DskipTests -pl plugin,benchmarks -am)
(cd "$ROOT" && mvn -B -q -ntp dependency:build-classpath -pl benchmarks -Dmdep.outputFile="$ROOT/benchmarks/target/classpath.txt")
ZIP=$(node_zip "$ROOT")

echo "==> node"
node_fetch "$WORK" "$ROOT"
node_install "$WORK" "$ZIP"
trap 'node_stop "$WORK"' EXIT
node_start "$WORK" "$PORT" "$HEAP" recommender-bench

echo "==> $ITEMS items, $USERS users, d = $DIMS, concurrency $CONCURRENCY, ${SECONDS_PER}s per workload ($(nproc) cores)"
"$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")" \
  org.recommender.benchmarks.RecommendEndpointBenchmark "$URL" "$ITEMS" "$USERS" "$DIMS" "$CONCURRENCY" "$SECONDS_PER" "$CANDIDATES"
