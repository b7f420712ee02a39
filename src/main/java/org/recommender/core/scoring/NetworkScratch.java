package org.recommender.core.scoring;

import java.util.Arrays;

/**
 * One thread's working memory for one {@link Network}: the folded first layer for the user seen last, and the
 * Java kernel's layer outputs. Allocated once per thread and reused, so scoring allocates nothing. Refolding is
 * skipped while the user vector's contents stay the same — the common case for per-document calls, where one
 * request scores many documents for one user.
 */
public final class NetworkScratch {
    private final Network network;
    private final float[] user;
    private boolean folded;
    private long folds;
    final float[][] matrix;
    final float[] offsets;
    final float[] skip;
    final float[][] outputs;

    /** @param network the network this scratch serves */
    public NetworkScratch(Network network) {
        this.network = network;
        ItemAffineLayer first = network.first();
        this.user = new float[first.userDims()];
        this.matrix = new float[first.rows()][first.itemDims()];
        this.offsets = new float[first.rows()];
        this.skip = first.hasSkip() ? new float[first.itemDims()] : null;
        this.outputs = new float[network.layers().size() + 1][];
        outputs[0] = new float[first.rows()];
        for (int i = 0; i < network.layers().size(); i++) {
            outputs[i + 1] = new float[network.layers().get(i).outputs()];
        }
    }

    /** @return the heap bytes one scratch for {@code network} holds: the folded first layer and the layer outputs */
    public static long bytes(Network network) {
        ItemAffineLayer first = network.first();
        long h = DenseLayer.ARRAY_HEADER_BYTES;
        long bytes = h + 4L * first.userDims()
            + first.rows() * (h + 4L * first.itemDims())
            + h + 4L * first.rows()
            + (first.hasSkip() ? h + 4L * first.itemDims() : 0)
            + h + 4L * first.rows();
        for (int i = 0; i < network.layers().size(); i++) {
            bytes += h + 4L * network.layers().get(i).outputs();
        }
        return bytes;
    }

    /**
     * Folds {@code userVector} into the first layer unless it equals the vector folded last.
     *
     * @param userVector exactly {@code userDims} values
     */
    public void prepare(float[] userVector) {
        if (folded && Arrays.equals(user, userVector)) {
            return;
        }
        System.arraycopy(userVector, 0, user, 0, user.length);
        network.first().fold(userVector, matrix, offsets, skip);
        folded = true;
        folds++;
    }

    /** @return how many times this scratch has folded a user: a kernel's derived copy of the fold is current while this stays the same */
    long foldCount() {
        return folds;
    }

    /** @return the network this scratch serves */
    public Network network() {
        return network;
    }
}
