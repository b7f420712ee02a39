package org.recommender.core.rank;

/**
 * The best {@code k} items by score: highest score first, equal scores by lower index first, so every caller
 * (offline evaluation, parity checks) breaks ties the same way. A bounded heap keeps the work at n log k, which
 * matters when k is a candidate set of thousands over a catalog of millions.
 */
public final class TopK {
    private TopK() {}

    /**
     * @param scores a score per item index
     * @param k how many
     * @return the indices of the best {@code min(k, scores.length)} items, best first
     */
    public static int[] of(float[] scores, int k) {
        Heap heap = new Heap(Math.min(k, scores.length), scores);
        for (int i = 0; i < scores.length; i++) {
            heap.offer(i);
        }
        return heap.drain();
    }

    /**
     * @param pool the item indices to choose from
     * @param scores a score per item index
     * @param k how many
     * @return the best {@code min(k, pool.length)} of {@code pool}, best first
     */
    public static int[] of(int[] pool, float[] scores, int k) {
        Heap heap = new Heap(Math.min(k, pool.length), scores);
        for (int i : pool) {
            heap.offer(i);
        }
        return heap.drain();
    }

    /** @return whether item {@code a} ranks above item {@code b} */
    public static boolean better(int a, int b, float[] scores) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    }

    /** A min-heap of item indices whose root is the worst item kept. */
    private static final class Heap {
        private final int[] items;
        private final float[] scores;
        private int size;

        Heap(int capacity, float[] scores) {
            this.items = new int[capacity];
            this.scores = scores;
        }

        void offer(int item) {
            if (size < items.length) {
                items[size] = item;
                up(size++);
            } else if (size > 0 && better(item, items[0], scores)) {
                items[0] = item;
                down(0, size);
            }
        }

        int[] drain() {
            int[] best = new int[size];
            for (int n = size; n > 0; n--) {
                best[n - 1] = items[0]; // the worst left goes last
                items[0] = items[n - 1];
                down(0, n - 1);
            }
            size = 0;
            return best;
        }

        private void up(int at) {
            while (at > 0) {
                int parent = (at - 1) / 2;
                if (better(items[parent], items[at], scores) == false) {
                    return;
                }
                swap(at, parent);
                at = parent;
            }
        }

        private void down(int at, int n) {
            while (true) {
                int worst = at;
                int left = 2 * at + 1;
                if (left < n && better(items[worst], items[left], scores)) {
                    worst = left;
                }
                if (left + 1 < n && better(items[worst], items[left + 1], scores)) {
                    worst = left + 1;
                }
                if (worst == at) {
                    return;
                }
                swap(at, worst);
                at = worst;
            }
        }

        private void swap(int a, int b) {
            int t = items[a];
            items[a] = items[b];
            items[b] = t;
        }
    }
}
