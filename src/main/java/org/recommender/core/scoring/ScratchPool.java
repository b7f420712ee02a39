package org.recommender.core.scoring;

/**
 * One thread's {@link NetworkScratch}es for one {@link Network}: one for calls that score a single user at a time,
 * and one per user for calls that score many users in one native pass. Kept between calls, so scoring allocates no
 * scratch once a thread has seen a call of its size, and a user scored again by the same thread is not refolded.
 * Calls with more than {@link #POOLED_USERS} users get the extra scratches fresh, so a rare huge call does not pin
 * its memory to the thread. Not thread-safe: one instance per thread (a {@link ThreadLocal}).
 */
public final class ScratchPool {
    /** The most per-user scratches a pool keeps; at 100 users by default a {@code _recommend} call fits. */
    public static final int POOLED_USERS = 128;

    private final Network network;
    private final NetworkScratch single;
    private NetworkScratch[] folds = new NetworkScratch[0];

    /** @param network the network every scratch serves */
    public ScratchPool(Network network) {
        this.network = network;
        this.single = new NetworkScratch(network);
    }

    /** @return the scratch for scoring one user at a time, prepared by the caller */
    public NetworkScratch single() {
        return single;
    }

    /**
     * @param users user vectors, each {@code userDims} long
     * @return at least {@code users.length} scratches, the first {@code users.length} prepared for the users in order
     */
    public NetworkScratch[] folds(float[][] users) {
        NetworkScratch[] f = folds;
        if (f.length < users.length) {
            f = new NetworkScratch[users.length];
            System.arraycopy(folds, 0, f, 0, folds.length);
            for (int u = folds.length; u < f.length; u++) {
                f[u] = new NetworkScratch(network);
            }
            if (users.length <= POOLED_USERS) {
                folds = f;
            }
        }
        for (int u = 0; u < users.length; u++) {
            f[u].prepare(users[u]);
        }
        return f;
    }
}
