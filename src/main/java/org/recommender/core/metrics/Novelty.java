package org.recommender.core.metrics;

/**
 * Novelty of a recommendation list: the mean self-information {@code −log2(p(i))} of its items, with {@code p(i)}
 * the share of users who interacted with item i (Zhou et al., PNAS 2010). Recommending only blockbusters gives
 * low novelty; items nobody interacted with are counted as seen by one user, so the value stays finite.
 */
public final class Novelty {
    private final double[] selfInformation;

    /**
     * @param itemUsers how many users interacted with each item
     * @param users the number of users
     */
    public Novelty(int[] itemUsers, int users) {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1 but was " + users);
        }
        selfInformation = new double[itemUsers.length];
        for (int i = 0; i < itemUsers.length; i++) {
            selfInformation[i] = -Math.log((double) Math.max(1, itemUsers[i]) / users) / Math.log(2);
        }
    }

    /** @return the mean self-information of the first {@code k} items of {@code list}; 0 for an empty list */
    public double of(int[] list, int k) {
        int n = Math.min(k, list.length);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += selfInformation[list[i]];
        }
        return n == 0 ? 0 : sum / n;
    }
}
