#!/usr/bin/env bash
# EASE at catalogue size (issue 18): our fit on Last.fm (17,632 items) next to numpy's float32 LAPACK on a Gram
# matrix of the same order, in ONE run on the same machine, one after the other (never at the same time).
#
#   benchmarks/ease-bench.sh [DATASETS_DIR]
#
# 1. ours: `model-tools evaluate --protocol random --algorithms ease` (split seed 2020, λ 250): the Gram matrix of
#    the training part (80 %), LAPACK spotrf + spotri on OpenBLAS (CholeskyInverse), the weights, the validation
#    pass; the time is the run's training seconds, the phases' lines show where it went.
# 2. numpy (float32, its own OpenBLAS): the Gram matrix of all interactions, binary, + 250·I (same order, 17,632;
#    LAPACK's cost depends on the order, not the values), then separately np.linalg.cholesky, scipy's
#    spotrf + spotri (the like-for-like pair), and the full EASE numpy users write: B = inv(G), B /= −diag(B).
# Prints one markdown table; everything else goes to benchmarks/.work/ease-bench/. Needs python3 with numpy and
# scipy, about 6 GB of memory, and `bin/model-tools` (built jar).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$(cd "${1:-$ROOT/../shared/datasets}" && pwd)"
FILE="$DATA/hetrec2011-lastfm-2k/user_artists.dat"
OUT="$ROOT/benchmarks/.work/ease-bench"
MT="$ROOT/bin/model-tools"
export MODEL_TOOLS_JAVA_OPTS="${MODEL_TOOLS_JAVA_OPTS:--Xmx8g}"
[ -f "$FILE" ] || { echo "error: $FILE not found (pass the datasets directory)" >&2; exit 1; }
python3 -c "import numpy, scipy" 2>/dev/null || { echo "error: python3 with numpy and scipy is needed" >&2; exit 1; }
mkdir -p "$OUT"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) before ours" >&2
start=$(date +%s.%N)
"$MT" evaluate --data "$FILE" --protocol random --algorithms ease --k 10 --out "$OUT/eval" 2> >(tee "$OUT/ours.log" >&2) > "$OUT/ours.out"
wall=$(echo "$(date +%s.%N) - $start" | bc)
ours=$(grep -o '^ease: NDCG@10 .* in [0-9.]* s' "$OUT/ours.log" | sed 's/.* in \([0-9.]*\) s/\1/')
recall=$(grep -o '^ease: NDCG@10 .*' "$OUT/ours.log" | sed 's/.*Recall@10 \([0-9.]*\).*/\1/')

echo "machine: load $(cut -d' ' -f1-3 /proc/loadavg) before numpy" >&2
python3 - "$FILE" > "$OUT/numpy.tsv" <<'PY'
import sys, time, numpy as np, scipy, scipy.sparse as sp, scipy.linalg.lapack as lapack
rows = np.loadtxt(sys.argv[1], skiprows=1, usecols=(0, 1), dtype=np.int64)
users, u = np.unique(rows[:, 0], return_inverse=True)
items, i = np.unique(rows[:, 1], return_inverse=True)
n = len(items)
def gram():
    x = sp.csr_matrix((np.ones(len(u), np.float32), (u, i)), shape=(len(users), n))
    g = (x.T @ x).toarray()
    g[np.diag_indices(n)] += 250
    return g
t = time.perf_counter(); g = gram(); t_gram = time.perf_counter() - t
t = time.perf_counter(); l = np.linalg.cholesky(g); t_chol = time.perf_counter() - t
del l
t = time.perf_counter()
c, info = lapack.spotrf(g, lower=1, clean=0, overwrite_a=0)
assert info == 0, info
p, info = lapack.spotri(c, lower=1, overwrite_c=1)
assert info == 0, info
t_potri = time.perf_counter() - t
del c, p
t = time.perf_counter()
b = np.linalg.inv(g)
b /= -np.diag(b)
b[np.diag_indices(n)] = 0
t_ease = time.perf_counter() - t + t_gram
print(f"items\t{n}\nnumpy\t{np.__version__}\nscipy\t{scipy.__version__}\ngram\t{t_gram:.1f}\ncholesky\t{t_chol:.1f}\n"
      f"potrf_potri\t{t_potri:.1f}\nfull_ease\t{t_ease:.1f}")
PY
val() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$OUT/numpy.tsv"; }
chol=$(val cholesky)
cat <<TABLE
| Last.fm, $(val items) items, float32 | seconds | vs numpy's Cholesky |
|---|---|---|
| ours: \`evaluate --algorithms ease\` training (Gram, spotrf + spotri, weights, validation pass; Recall@10 $recall) | $ours | $(echo "scale=2; $ours / $chol" | bc)× |
| ours: the whole \`evaluate\` run (JVM start, load, split, fit, test) | $(printf %.1f "$wall") | |
| numpy $(val numpy): Gram matrix (scipy.sparse) | $(val gram) | |
| numpy: \`np.linalg.cholesky(G)\` alone | $chol | 1× |
| scipy $(val scipy): \`lapack.spotrf\` + \`spotri\` (what we run) | $(val potrf_potri) | $(echo "scale=2; $(val potrf_potri) / $chol" | bc)× |
| numpy: full EASE (Gram, \`np.linalg.inv\`, B) | $(val full_ease) | $(echo "scale=2; $(val full_ease) / $chol" | bc)× |
TABLE
