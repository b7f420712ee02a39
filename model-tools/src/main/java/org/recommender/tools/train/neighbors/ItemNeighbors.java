package org.recommender.tools.train.neighbors;

import org.recommender.core.model.ModelBundle;
import org.recommender.core.rank.BoundedTopK;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;

import java.util.Arrays;
import java.util.Locale;

/**
 * A sparse item × item weight matrix W, each row holding an item's best {@code k} neighbours, scoring a user as
 * {@code x_u·W} — the sum of the rows of the items the user has (binary, as the neighbourhood models of Dacrema et
 * al. 2019 score). Served like EASE, as a dot product of one dimension per item: the user's binary history and the
 * item's column of W. Immutable and thread-safe.
 */
final class ItemNeighbors implements TrainedModel {
    /**
     * Fills the weights of one item's row: {@code row[j]} for the items {@code j} it co-occurs with. The filler gets a
     * zeroed row and the list it must record every item it touches in (so the row is cleared and scanned in time
     * proportional to what it touched, not to the catalogue).
     */
    @FunctionalInterface
    interface RowFiller {
        /**
         * @param item the row's item
         * @param row zeroed, one weight per item; leave untouched items at 0
         * @param touched receives each item set, once; {@code touched[0]} is how many were recorded, items from index 1
         */
        void fill(int item, float[] row, int[] touched);
    }

    private final String name;
    private final UserItemMatrix history;
    private final int items;
    private final int[] rowStart;
    private final int[] neighbors;
    private final float[] weights;

    private ItemNeighbors(String name, UserItemMatrix history, int[] rowStart, int[] neighbors, float[] weights) {
        this.name = name;
        this.history = history;
        this.items = history.items();
        this.rowStart = rowStart;
        this.neighbors = neighbors;
        this.weights = weights;
    }

    /**
     * Builds W row by row, keeping each row's {@code k} largest positive weights (ties to the smaller item index) and
     * never an item's weight on itself.
     *
     * @param name the algorithm's name, for tables
     * @param history the training matrix, whose rows are the users' histories
     * @param k neighbours kept per item, at least 1
     * @param filler computes one row's weights
     * @param control progress: one step per item
     */
    static ItemNeighbors build(String name, UserItemMatrix history, int k, RowFiller filler, TrainingControl control) {
        int n = history.items();
        long capacity = (long) n * Math.min(k, Math.max(1, n - 1));
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %,d items × %,d neighbours do not fit one array; lower neighbors", name, n, k));
        }
        int[] rowStart = new int[n + 1];
        int[] cols = new int[(int) capacity];
        float[] vals = new float[(int) capacity];
        float[] row = new float[n];
        int[] touched = new int[n + 1];
        int filled = 0;
        long reported = 0;
        for (int i = 0; i < n; i++) {
            touched[0] = 0;
            filler.fill(i, row, touched);
            row[i] = 0; // an item is never its own neighbour: the user has it already
            BoundedTopK best = new BoundedTopK(k);
            for (int t = 1; t <= touched[0]; t++) {
                int j = touched[t];
                if (row[j] > 0) {
                    best.offer(j, row[j]);
                }
                row[j] = 0;
            }
            rowStart[i] = filled;
            filled = appendInItemOrder(best, cols, vals, filled);
            if (i + 1 - reported >= 256 || i == n - 1) {
                control.steps(i + 1 - reported);
                reported = i + 1;
            }
        }
        rowStart[n] = filled;
        return new ItemNeighbors(name, history, rowStart, Arrays.copyOf(cols, filled), Arrays.copyOf(vals, filled));
    }

    /**
     * Appends the kept (item, weight) pairs in ascending item order (memory order for scoring and lookups).
     *
     * @return the new fill position
     */
    private static int appendInItemOrder(BoundedTopK best, int[] cols, float[] vals, int at) {
        long[] pairs = new long[best.size()];
        for (int p = 0; p < pairs.length; p++) {
            // item in the high half, sorted first; the weight's bits ride along in the low half
            pairs[p] = ((long) best.id(p) << 32) | (Float.floatToRawIntBits(best.score(p)) & 0xFFFFFFFFL);
        }
        Arrays.sort(pairs);
        for (long pair : pairs) {
            cols[at] = (int) (pair >>> 32);
            vals[at] = Float.intBitsToFloat((int) pair);
            at++;
        }
        return at;
    }

    /** @throws IllegalArgumentException when one dimension per item exceeds what an embedding field holds */
    static void requireServable(String name, UserItemMatrix data) {
        if (data.items() > EmbeddingValidator.MAX_DIMENSIONS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s serves as embeddings of one dimension per item, at most %,d; this data has %,d items (evaluate works at any size)", name,
                EmbeddingValidator.MAX_DIMENSIONS, data.items()));
        }
    }

    /** @return how many (item, neighbour) weights W holds */
    int nonZeros() {
        return neighbors.length;
    }

    /** @return W[i][j], 0 where j is not among i's neighbours */
    float weight(int i, int j) {
        int p = Arrays.binarySearch(neighbors, rowStart[i], rowStart[i + 1], j);
        return p >= 0 ? weights[p] : 0f;
    }

    @Override
    public void scoreAll(int user, float[] out) {
        Arrays.fill(out, 0, items, 0f);
        for (int i : history.itemsOf(user)) {
            for (int p = rowStart[i]; p < rowStart[i + 1]; p++) {
                out[neighbors[p]] += weights[p];
            }
        }
    }

    @Override
    public float predict(int user, int item) {
        float s = 0;
        for (int i : history.itemsOf(user)) {
            s += weight(i, item);
        }
        return s;
    }

    @Override
    public ServingExport export() {
        int[] columnStart = new int[items + 1];
        for (int j : neighbors) {
            columnStart[j + 1]++;
        }
        for (int j = 0; j < items; j++) {
            columnStart[j + 1] += columnStart[j];
        }
        int[] rowsOfColumn = new int[neighbors.length];
        float[] valuesOfColumn = new float[neighbors.length];
        int[] next = Arrays.copyOf(columnStart, items);
        for (int i = 0; i < items; i++) {
            for (int p = rowStart[i]; p < rowStart[i + 1]; p++) {
                int at = next[neighbors[p]]++;
                rowsOfColumn[at] = i;
                valuesOfColumn[at] = weights[p];
            }
        }
        return new ServingExport(items, items, VectorSimilarity.DOT_PRODUCT.externalName(), user -> {
            float[] x = new float[items];
            for (int i : history.itemsOf(user)) {
                x[i] = 1;
            }
            return x;
        }, item -> {
            float[] column = new float[items];
            for (int p = columnStart[item]; p < columnStart[item + 1]; p++) {
                column[rowsOfColumn[p]] = valuesOfColumn[p];
            }
            return column;
        }, ModelBundle.dot(items));
    }

    @Override
    public String name() {
        return name;
    }
}
