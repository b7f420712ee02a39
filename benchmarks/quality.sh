#!/usr/bin/env bash
# Quality benchmarks of model-tools on the shared public data sets (never copied into this repository):
# the tables of docs/benchmarks.md "Model quality", each beside the published anchors of ../shared/datasets/ANCHORS.md.
#
#   benchmarks/quality.sh [DATASETS_DIR] [TABLE...]
#
# DATASETS_DIR defaults to ../shared/datasets; TABLE is any of ml100k-ncf, lastfm-random, ml100k-rating, ml1m-ncf
# (default: the first three; ml1m-ncf needs ml-1m/ratings.dat, which the shared folder lacks). EASE is left out of
# lastfm-random: its item × item inverse grows as items³ (estimated at about 45 minutes for 17,632 items here). Reports go to
# benchmarks/.work/quality/TABLE/report.{json,html}.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$(cd "${1:-$ROOT/../shared/datasets}" && pwd)"
shift || true
TABLES=("$@")
[ ${#TABLES[@]} -eq 0 ] && TABLES=(ml100k-ncf lastfm-random ml100k-rating)
OUT="$ROOT/benchmarks/.work/quality"
MT="$ROOT/bin/model-tools"
export MODEL_TOOLS_JAVA_OPTS="${MODEL_TOOLS_JAVA_OPTS:--Xmx8g}"
SEEDS=1,2,3
# tuned on the validation split of each protocol (never on test): see docs/benchmarks.md
BPR=(-P bpr.learning_rate=0.01 -P bpr.regularization=0.0025)
# the DL4J models cost seconds per epoch (plus a validation pass each): at most 20 epochs, as in the NCF paper's
# runs — 10 on Last.fm, whose full-ranking validation over 17,632 items doubles the cost of an epoch
NEURAL=(-P neumf.epochs=20 -P mlp.epochs=20)
NEURAL_LASTFM=(-P neumf.epochs=10 -P mlp.epochs=10)

for table in "${TABLES[@]}"; do
  case "$table" in
    ml100k-ncf)
      "$MT" evaluate --data "$DATA/ml-100k/u.data" --protocol ncf --k 1,5,10,20 --seeds "$SEEDS" --dims 64 --epochs 300 --patience 10 \
        --algorithms popularity,bpr,ials,ease,neumf,mlp,multdae "${BPR[@]}" "${NEURAL[@]}" \
        --out "$OUT/$table" -q ;;
    lastfm-random)
      "$MT" evaluate --data "$DATA/hetrec2011-lastfm-2k/user_artists.dat" --protocol random --k 5,10,20 --seeds "$SEEDS" --dims 64 \
        --epochs 300 --patience 10 --algorithms popularity,bpr,ials,neumf,mlp,multdae "${BPR[@]}" "${NEURAL_LASTFM[@]}" \
        --out "$OUT/$table" -q ;;
    ml100k-rating)
      "$MT" evaluate --data "$DATA/ml-100k/u.data" --protocol rating-kfold --folds 5 --algorithms svd,als --dims 200 --epochs 80 \
        -P svd.learning_rate=0.005 -P svd.regularization=0.1 -P als.dims=50 -P als.epochs=15 -P als.regularization=0.1 \
        --out "$OUT/$table" -q ;;
    ml1m-ncf)
      "$MT" evaluate --data "$DATA/ml-1m/ratings.dat" --protocol ncf --k 10 --seeds "$SEEDS" --dims 64 --epochs 300 --patience 10 \
        --algorithms popularity,bpr,ials,neumf,mlp "${BPR[@]}" "${NEURAL[@]}" --out "$OUT/$table" -q ;;
    *) echo "unknown table [$table]; expected ml100k-ncf, lastfm-random, ml100k-rating or ml1m-ncf" >&2; exit 2 ;;
  esac
done
