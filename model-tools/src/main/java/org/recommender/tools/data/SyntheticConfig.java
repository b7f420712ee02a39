package org.recommender.tools.data;

/**
 * Parameters of the synthetic interaction generator.
 *
 * @param users number of users
 * @param items number of items
 * @param interactionsPerUser mean interactions per user (each user gets between half and 1.5× this many)
 * @param clusters number of taste clusters; every item belongs to one, every user prefers two
 * @param noise share of interactions drawn from global popularity instead of the user's clusters
 * @param popularitySkew Zipf exponent of item popularity (0 = uniform)
 * @param seed random seed; the same parameters and seed give the same file
 */
public record SyntheticConfig(int users, int items, int interactionsPerUser, int clusters, double noise, double popularitySkew, long seed) {
    /** Validates every parameter, naming the option at fault. */
    public SyntheticConfig {
        positive(users, "--users");
        positive(items, "--items");
        positive(interactionsPerUser, "--interactions-per-user");
        positive(clusters, "--clusters");
        if (clusters > items) {
            throw new IllegalArgumentException("--clusters (" + clusters + ") cannot exceed --items (" + items + ")");
        }
        if (interactionsPerUser * 3 / 2 > items) {
            throw new IllegalArgumentException(
                "--interactions-per-user (" + interactionsPerUser + ") must be at most two thirds of --items (" + items + ")"
            );
        }
        if ((noise >= 0 && noise <= 1) == false) {
            throw new IllegalArgumentException("--noise must be between 0 and 1 but was " + noise);
        }
        if ((popularitySkew >= 0 && popularitySkew <= 5) == false) {
            throw new IllegalArgumentException("--popularity-skew must be between 0 and 5 but was " + popularitySkew);
        }
    }

    private static void positive(int value, String option) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1 but was " + value);
        }
    }
}
