package org.recommender.tools.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates implicit-feedback interactions with a planted structure that a collaborative-filtering model can
 * recover and a popularity ranking cannot: every item belongs to one of k taste clusters and has a Zipf-skewed
 * popularity; every user has a primary and a secondary cluster and draws most of their items from those
 * (popularity-weighted within the cluster), the rest from global popularity. Ratings are 3–5 for in-taste
 * interactions and 1–3 for the noise, so {@code --min-rating} has something to filter. Timestamps increase per user.
 * Fully determined by {@link SyntheticConfig#seed()}.
 */
public final class SyntheticInteractions {
    /** Where generated timestamps start (2020-09-13, epoch seconds). */
    static final long EPOCH_START = 1_600_000_000L;
    private static final double PRIMARY_SHARE = 0.75;

    /** Receives generated rows in order. */
    @FunctionalInterface
    public interface RowSink {
        /** Accepts one interaction. */
        void accept(String user, String item, int rating, long timestamp) throws IOException;
    }

    private final SyntheticConfig config;

    /** @param config the generator's parameters */
    public SyntheticInteractions(SyntheticConfig config) {
        this.config = config;
    }

    /**
     * Generates every interaction, user by user, with ids {@code u1..uN} and {@code i1..iM}.
     *
     * @return the number of rows generated
     */
    public long generate(RowSink sink) throws IOException {
        SplittableRandom random = new SplittableRandom(config.seed());
        int k = config.clusters();

        // Popularity: a random permutation of Zipf weights, so popular items are spread over the clusters.
        double[] popularity = new double[config.items()];
        int[] rank = shuffledRange(config.items(), random);
        for (int i = 0; i < popularity.length; i++) {
            popularity[i] = 1 / Math.pow(rank[i] + 1, config.popularitySkew());
        }
        // Clusters: item i belongs to cluster (its position in a shuffled order) mod k, so clusters are equal-sized.
        int[] order = shuffledRange(config.items(), random);
        int[][] members = new int[k][];
        int[] filled = new int[k];
        for (int c = 0; c < k; c++) {
            members[c] = new int[(config.items() - c + k - 1) / k];
        }
        for (int pos = 0; pos < order.length; pos++) {
            int c = pos % k;
            members[c][filled[c]++] = order[pos];
        }
        WeightedSampler global = new WeightedSampler(popularity);
        WeightedSampler[] perCluster = new WeightedSampler[k];
        for (int c = 0; c < k; c++) {
            double[] w = new double[members[c].length];
            for (int m = 0; m < w.length; m++) {
                w[m] = popularity[members[c][m]];
            }
            perCluster[c] = new WeightedSampler(w);
        }

        long rows = 0;
        int mean = config.interactionsPerUser();
        int low = Math.max(1, mean / 2);
        int high = Math.max(low, mean + mean / 2);
        Set<Integer> taken = new HashSet<>();
        for (int u = 0; u < config.users(); u++) {
            int primary = random.nextInt(k);
            int secondary = k == 1 ? primary : (primary + 1 + random.nextInt(k - 1)) % k;
            int count = low + random.nextInt(high - low + 1);
            long time = EPOCH_START + random.nextLong(86_400L * 365);
            taken.clear();
            for (int n = 0; n < count; n++) {
                boolean inTaste = random.nextDouble() >= config.noise();
                int item = -1;
                // redraw on repeats; give up on the user's taste after a few tries so small clusters cannot stall
                for (int attempt = 0; attempt < 50 && (item < 0 || taken.contains(item)); attempt++) {
                    if (inTaste && attempt < 25) {
                        int c = random.nextDouble() < PRIMARY_SHARE ? primary : secondary;
                        item = members[c][perCluster[c].sample(random)];
                    } else {
                        item = global.sample(random);
                    }
                }
                if (taken.add(item) == false) {
                    item = firstFree(taken, config.items());
                    taken.add(item);
                }
                int rating = inTaste ? 3 + random.nextInt(3) : 1 + random.nextInt(3);
                time += 60 + random.nextLong(86_400L);
                sink.accept("u" + (u + 1), "i" + (item + 1), rating, time);
                rows++;
            }
        }
        return rows;
    }

    private static int firstFree(Set<Integer> taken, int items) {
        for (int i = 0; i < items; i++) {
            if (taken.contains(i) == false) {
                return i;
            }
        }
        throw new IllegalStateException("user has interacted with every item");
    }

    private static int[] shuffledRange(int n, SplittableRandom random) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
