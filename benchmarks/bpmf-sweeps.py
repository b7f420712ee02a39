#!/usr/bin/env python3
"""How many Gibbs sweeps BPMF needs: the numpy sampler the `bpmf` trainer's defaults (100 sweeps, burn-in 20) were
set from, on one random 80/20 split of ML-100K (numpy seed 2020). Every 10 sweeps it prints the held-out RMSE of the
average over the sweeps after the burn-in and of the last sweep alone. The same model as the Java trainer (biased
rows as one Gaussian block under a Normal-Wishart prior, beta0 2, nu0 d + 1, W0 I; noise precision from Gamma(1, 1)),
with numpy's generator instead of Java's, so the numbers are close to the trainer's, not equal. The held-out part
overlaps every fold of `evaluate --protocol rating-kfold`: docs/benchmarks.md says so beside the BPMF rows.

    python3 benchmarks/bpmf-sweeps.py [DATASETS_DIR] [DIMS] [SWEEPS] [BURN_IN]
"""
import sys
import time

import numpy as np

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets"
d = int(sys.argv[2]) if len(sys.argv) > 2 else 10
sweeps = int(sys.argv[3]) if len(sys.argv) > 3 else 100
burn = int(sys.argv[4]) if len(sys.argv) > 4 else 20
data = np.loadtxt(root + "/ml-100k/u.data", dtype=np.int64)
u, i, r = data[:, 0] - 1, data[:, 1] - 1, data[:, 2].astype(float)
nu, ni = u.max() + 1, i.max() + 1
rng = np.random.default_rng(2020)
perm = rng.permutation(len(r))
fold = np.empty(len(r), int)
fold[perm] = np.arange(len(r)) % 5
tr, te = fold != 0, fold == 0
ut, it, rt = u[tr], i[tr], r[tr]
mu = rt.mean()
by_user = [np.where(ut == k)[0] for k in range(nu)]
by_item = [np.where(it == k)[0] for k in range(ni)]
D = d + 1  # the factors and the row's own bias, last
U = rng.normal(0, 0.1, (nu, D))
V = rng.normal(0, 0.1, (ni, D))


def wishart(dof, scale):
    """Bartlett's decomposition."""
    L = np.linalg.cholesky(scale)
    A = np.zeros((D, D))
    for k in range(D):
        A[k, k] = np.sqrt(rng.chisquare(dof - k))
        A[k, :k] = rng.normal(size=k)
    LA = L @ A
    return LA @ LA.T


def row_prior(X):
    """(mu, Lambda) from their Normal-Wishart posterior given the rows X."""
    n = X.shape[0]
    xbar = X.mean(0)
    S = np.cov(X.T, bias=True)
    beta0 = 2.0
    inverse_scale = np.eye(D) + n * S + beta0 * n / (beta0 + n) * np.outer(xbar, xbar)
    scale = np.linalg.inv(inverse_scale)
    Lam = wishart(D + n, (scale + scale.T) / 2)
    m = rng.multivariate_normal(n * xbar / (beta0 + n), np.linalg.inv((beta0 + n) * Lam))
    return m, Lam


def sample_rows(X, Y, rows_of, other, alpha):
    m, Lam = row_prior(X)
    for k, rows in enumerate(rows_of):
        F = np.empty((len(rows), D))
        F[:, :d] = Y[other[rows], :d]
        F[:, d] = 1.0
        t = rt[rows] - mu - Y[other[rows], d]
        P = Lam + alpha * F.T @ F
        L = np.linalg.cholesky(P)
        X[k] = np.linalg.solve(P, Lam @ m + alpha * F.T @ t) + np.linalg.solve(L.T, rng.normal(size=D))


total = np.zeros(te.sum())
kept = 0
start = time.time()
print("sweep  held-out RMSE: average after burn-in / this sweep alone")
for s in range(1, sweeps + 1):
    e = rt - mu - U[ut, d] - V[it, d] - np.einsum("ij,ij->i", U[ut, :d], V[it, :d])
    alpha = rng.gamma(1 + len(rt) / 2, 1 / (1 + (e ** 2).sum() / 2))
    sample_rows(U, V, by_user, it, alpha)
    sample_rows(V, U, by_item, ut, alpha)
    p = mu + U[u[te], d] + V[i[te], d] + np.einsum("ij,ij->i", U[u[te], :d], V[i[te], :d])
    single = np.sqrt(((p - r[te]) ** 2).mean())
    if s > burn:
        total += p
        kept += 1
    if s % 10 == 0:
        average = np.sqrt(((total / kept - r[te]) ** 2).mean()) if kept else float("nan")
        print("%5d  %.4f / %.4f  (%.0f s)" % (s, average, single, time.time() - start), flush=True)
