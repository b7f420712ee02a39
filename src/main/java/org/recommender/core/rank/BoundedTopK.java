package org.recommender.core.rank;

/**
 * The best {@code k} (id, score) pairs offered so far, in two primitive arrays arranged as a binary min-heap whose
 * root is the worst kept: no object per offer, and an offer that cannot enter costs one comparison. The one ranking
 * order of the project ({@link #better}): a higher score first, equal scores by the smaller id, NaN below every
 * number — a total order, so what is kept does not depend on the order of the offers. {@link TopK} (offline
 * evaluation, parity) and the plugin's exact k-NN scan both rank with it.
 */
public final class BoundedTopK {
    /** Bytes of an array's header on a 64-bit JVM with compressed pointers (OpenSearch's default heaps). */
    private static final long ARRAY_HEADER = 16;

    private final int[] ids;
    private final float[] scores;
    private int size;

    /** @param k how many pairs to keep, at least 0 */
    public BoundedTopK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be at least 0 but was " + k);
        }
        this.ids = new int[k];
        this.scores = new float[k];
    }

    /**
     * @param k how many pairs a heap keeps
     * @return the bytes of its two arrays (payload and array headers; the object itself not counted), for a circuit
     *     breaker's accounting before it is made
     */
    public static long bytes(int k) {
        return (long) k * (Integer.BYTES + Float.BYTES) + 2 * ARRAY_HEADER;
    }

    /**
     * Whether (idA, a) ranks above (idB, b): the higher score; of equal scores ({@code -0 == +0}) the smaller id; a
     * number above NaN; of two NaNs the smaller id.
     */
    public static boolean better(int idA, float a, int idB, float b) {
        if (a > b) {
            return true;
        }
        if (a < b) {
            return false;
        }
        boolean nanA = Float.isNaN(a);
        if (nanA != Float.isNaN(b)) {
            return nanA == false;
        }
        return idA < idB;
    }

    /**
     * @param id an item index or document id
     * @param score its score
     */
    public void offer(int id, float score) {
        if (size < ids.length) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (better(id, score, ids[parent], scores[parent])) {
                    break; // the parent is worse: the new pair sits below it
                }
                ids[i] = ids[parent];
                scores[i] = scores[parent];
                i = parent;
            }
            ids[i] = id;
            scores[i] = score;
        } else if (size > 0 && better(id, score, ids[0], scores[0])) {
            siftDownFromRoot(id, score, size);
        }
    }

    /** @return how many pairs are kept */
    public int size() {
        return size;
    }

    /** @return the id of the {@code i}-th kept pair, in heap order (not ranked) */
    public int id(int i) {
        return ids[i];
    }

    /** @return the score of the {@code i}-th kept pair, in heap order (not ranked) */
    public float score(int i) {
        return scores[i];
    }

    /** Empties the heap. @return the kept ids, best first */
    public int[] drain() {
        int[] best = new int[size];
        for (int n = size; n > 0; n--) {
            best[n - 1] = ids[0]; // the worst left goes last
            int lastId = ids[n - 1];
            float lastScore = scores[n - 1];
            siftDownFromRoot(lastId, lastScore, n - 1);
        }
        size = 0;
        return best;
    }

    /** Places (id, score) at the root of the first {@code n} slots and sifts it down to where it belongs. */
    private void siftDownFromRoot(int id, float score, int n) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && better(ids[child], scores[child], ids[child + 1], scores[child + 1])) {
                child++; // the worse of the two children
            }
            if (better(ids[child], scores[child], id, score)) {
                break; // even the worse child ranks above: stop here
            }
            ids[i] = ids[child];
            scores[i] = scores[child];
            i = child;
        }
        if (n > 0) {
            ids[i] = id;
            scores[i] = score;
        }
    }
}
