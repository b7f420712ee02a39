package org.recommender.core.scoring;

/**
 * One call's {@link NetworkScratch}es for one {@link Network}: one for calls that score a single user at a time,
 * and one per user for calls that score many users in one native pass. Kept between calls (a model keeps a few in
 * its {@link Workspaces}), so scoring allocates no scratch once a pool has seen a call of its size, and a user scored
 * again is often not refolded. Per-user scratches are kept only up to {@link #pooledUsers} — at most
 * {@link #POOLED_USERS} and at most {@link #POOLED_BYTES} of them — so a wide network or a rare huge call does not
 * pin its memory; the extra scratches of such a call are fresh and dropped after it. Not thread-safe: one call at a time.
 */
public final class ScratchPool {
    /** The most per-user scratches a pool keeps; at 100 users by default a {@code _recommend} call fits. */
    public static final int POOLED_USERS = 128;
    /**
     * The most bytes of per-user scratches a pool keeps: 256 KiB. At a 64-dim MLP with a 128-wide first layer
     * (32 KiB a scratch) that keeps 8 users folded, enough for a rescore call's users; a 100-user {@code _recommend}
     * batch allocates the rest per call, which costs less than the fold each is filled with. Kept scratch is charged
     * to the breaker with the model ({@link Workspaces#retainedBytes}), so the bound stays small.
     */
    public static final long POOLED_BYTES = 256L << 10;

    private final Network network;
    private final NetworkScratch single;
    private final int pooledUsers;
    private NetworkScratch[] folds = new NetworkScratch[0];

    /** @param network the network every scratch serves */
    public ScratchPool(Network network) {
        this.network = network;
        this.single = new NetworkScratch(network);
        this.pooledUsers = pooledUsers(network);
    }

    /** @return how many per-user scratches a pool for {@code network} keeps between calls, at least 1 */
    public static int pooledUsers(Network network) {
        return (int) Math.max(1, Math.min(POOLED_USERS, POOLED_BYTES / NetworkScratch.bytes(network)));
    }

    /** @return the most heap bytes a pool for {@code network} keeps between calls */
    public static long maxBytes(Network network) {
        return (1L + pooledUsers(network)) * NetworkScratch.bytes(network);
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
            if (folds.length < pooledUsers) {
                folds = f.length <= pooledUsers ? f : java.util.Arrays.copyOf(f, pooledUsers);
            }
        }
        for (int u = 0; u < users.length; u++) {
            f[u].prepare(users[u]);
        }
        return f;
    }
}
