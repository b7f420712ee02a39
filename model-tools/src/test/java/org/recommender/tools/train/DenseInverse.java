package org.recommender.tools.train;

/**
 * The tests' one double-precision dense solver, the textbook way (Gauss–Jordan with partial pivoting), so that a
 * trainer's own solver (Cholesky, conjugate gradient) is checked against code that shares nothing with it.
 */
public final class DenseInverse {
    private DenseInverse() {}

    /** @return the inverse of the square matrix {@code m}, which is left unchanged */
    public static double[][] of(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][2 * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(m[r], 0, a[r], 0, n);
            a[r][n + r] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            double d = a[col][col];
            for (int c = 0; c < 2 * n; c++) {
                a[col][c] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && a[r][col] != 0) {
                    double f = a[r][col];
                    for (int c = 0; c < 2 * n; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[][] inverse = new double[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(a[r], n, inverse[r], 0, n);
        }
        return inverse;
    }

    /** @return x with {@code m x = b} */
    public static double[] solve(double[][] m, double[] b) {
        double[][] inverse = of(m);
        double[] x = new double[b.length];
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < b.length; c++) {
                x[r] += inverse[r][c] * b[c];
            }
        }
        return x;
    }
}
