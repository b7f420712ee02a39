package org.recommender.tools.train.sequence;

import org.recommender.tools.train.DoubleGemm;

import java.util.Arrays;

/**
 * The sequence trainers' next-item loss: at each real position of a window, the cross-entropy of a full softmax of
 * the position's user vector against every item, the item table tied as output embedding (the table the inputs are
 * read from), weighted per position as the batch says. Three matrix products over the window: the logits, the user
 * vectors' gradient and the table's.
 *
 * <p>Keeps the window's logits (and their transpose) as scratch, sized once for the longest window and reused: they
 * are by far a pass's largest temporaries ({@code M × items}). So one instance per pass, used by one thread at a time.
 */
final class TiedSoftmax {
    private final int items;
    private final int d;
    private final double[] logits;
    private final double[] logitsT;

    /**
     * @param items catalogue size
     * @param d the user and item vector width
     * @param maxLength the most real positions a window has (M)
     */
    TiedSoftmax(int items, int d, int maxLength) {
        this.items = items;
        this.d = d;
        this.logits = new double[maxLength * items];
        this.logitsT = new double[items * maxLength];
    }

    /**
     * @param p the parameters, the item table at {@code itemsAt} ({@code items × d}, row-major)
     * @param pT {@code p} with the item table transposed where it lies
     * @param itemsAt the item table's offset
     * @param user the window's user vectors, {@code n × d} from index 0, one per real position
     * @param batch the batch holding the window (targets and weights)
     * @param first the batch index of the window's first real position
     * @param n real positions, at most the {@code maxLength} this was made for
     * @param dUser receives the user vectors' gradient, {@code n × d} from index 0 (added into)
     * @param grad receives the item table's gradient at {@code itemsAt} (added into)
     * @return {@code Σ weight · (−log softmax(u·Eᵀ)[target])} over the window's real positions
     */
    double lossAndGradient(double[] p, double[] pT, int itemsAt, double[] user, Batch batch, int first, int n, double[] dUser, double[] grad) {
        Arrays.fill(logits, 0, n * items, 0);
        DoubleGemm.multiplyAdd(user, 0, n, d, pT, itemsAt, items, logits, 0);
        double loss = 0;
        for (int t = 0; t < n; t++) {
            double w = batch.weights()[first + t];
            int at = t * items;
            if (w == 0) {
                Arrays.fill(logits, at, at + items, 0);
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < items; i++) {
                max = Math.max(max, logits[at + i]);
            }
            double total = 0;
            for (int i = 0; i < items; i++) {
                total += Math.exp(logits[at + i] - max);
            }
            int target = batch.targets()[first + t];
            loss += w * (max + Math.log(total) - logits[at + target]);
            for (int i = 0; i < items; i++) {
                logits[at + i] = w * Math.exp(logits[at + i] - max) / total; // now the logit's gradient
            }
            logits[at + target] -= w;
        }
        DoubleGemm.multiplyAdd(logits, 0, n, items, p, itemsAt, d, dUser, 0);
        DoubleGemm.transpose(logits, 0, n, items, logitsT, 0);
        DoubleGemm.multiplyAdd(logitsT, 0, items, n, user, 0, d, grad, itemsAt);
        return loss;
    }
}
