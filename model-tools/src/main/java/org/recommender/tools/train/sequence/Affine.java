package org.recommender.tools.train.sequence;

import org.recommender.tools.train.DoubleGemm;

/**
 * The affine layer of the hand-written sequence passes, over the rows of a window: {@code y = x·Wᵀ + b} per row,
 * with W ({@code out × in}, row-major, one row per output, as the bundle stores it) and b read from the flat
 * parameter vector, and its backward pass. Matrix products on {@link DoubleGemm}.
 */
final class Affine {
    private Affine() {}

    /**
     * y = x·Wᵀ + b per row.
     *
     * @param p the parameters (b at {@code b})
     * @param pT the parameters with W transposed where it lies ({@code in × out} at {@code w})
     * @param x {@code n × in}, from index 0
     * @param y receives {@code n × out} from index 0 (overwritten; further elements are not written)
     */
    static void forward(double[] p, double[] pT, int w, int b, double[] x, double[] y, int n, int in, int out) {
        for (int t = 0; t < n; t++) {
            System.arraycopy(p, b, y, t * out, out);
        }
        DoubleGemm.multiplyAdd(x, 0, n, in, pT, w, out, y, 0);
    }

    /**
     * Adds dy·W into {@code dx} (unless null), dyᵀ·x into W's gradient and dy's column sums into b's.
     *
     * @param x the layer's input, {@code n × in} from index 0 (further rows are not read)
     * @param dy the output's gradient, {@code n × out} from index 0
     * @param grad the gradient, laid out as {@code p}
     * @param dyT scratch of at least {@code out × n} elements, overwritten (it receives dyᵀ)
     */
    static void backward(double[] p, int w, int b, double[] x, double[] dy, double[] dx, double[] grad, int n, int in, int out, double[] dyT) {
        if (dx != null) {
            DoubleGemm.multiplyAdd(dy, 0, n, out, p, w, in, dx, 0);
        }
        DoubleGemm.transpose(dy, 0, n, out, dyT, 0);
        DoubleGemm.multiplyAdd(dyT, 0, out, n, x, 0, in, grad, w);
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int t = 0; t < n; t++) {
                sum += dyT[o * n + t];
            }
            grad[b + o] += sum;
        }
    }
}
