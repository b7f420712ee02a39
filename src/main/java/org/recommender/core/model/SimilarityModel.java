package org.recommender.core.model;

import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.vector.VectorMath;
import org.recommender.core.vector.VectorSimilarity;

/**
 * A compiled {@code dot} or {@code cosine} model:
 * <pre>
 *   score = sim(u', v') + user_bias + item_bias + global_bias
 * </pre>
 * where u', v' are the vectors without their bias dimension (if any) and sim is the dot product or the cosine
 * (0 when either vector is zero, clamped to [−1, 1]), on the kernel {@link KernelProvider#forSimilarity()} names.
 */
final class SimilarityModel implements ScoringModel {
    private final boolean cosine;
    private final int userDims;
    private final int itemDims;
    private final int dims;
    private final boolean userBias;
    private final boolean itemBias;
    private final float globalBias;
    private final Kernel kernel;
    // u' padded with a zero where v holds its bias, so that u'·v' is one VectorMath call on the whole item vector
    private final ThreadLocal<float[]> paddedUser;
    // v' for cosine with an item bias: its norm must not include the bias
    private final ThreadLocal<float[]> itemCore;

    SimilarityModel(ModelHeader header, KernelProvider provider) {
        this.kernel = provider.forSimilarity();
        this.cosine = header.type() == ModelType.COSINE;
        this.userDims = header.userDims();
        this.itemDims = header.itemDims();
        this.dims = header.similarityDims();
        this.userBias = header.userBias() == BiasSource.LAST_DIMENSION;
        this.itemBias = header.itemBias() == BiasSource.LAST_DIMENSION;
        this.globalBias = (float) header.globalBias();
        this.paddedUser = ThreadLocal.withInitial(() -> new float[itemDims]);
        this.itemCore = ThreadLocal.withInitial(() -> new float[dims]);
    }

    @Override
    public String type() {
        return cosine ? "cosine" : "dot";
    }

    @Override
    public int userDims() {
        return userDims;
    }

    @Override
    public int itemDims() {
        return itemDims;
    }

    @Override
    public long itemWork() {
        return (cosine ? VectorSimilarity.COSINE : VectorSimilarity.DOT_PRODUCT).work(itemDims);
    }

    @Override
    public long memoryBytes() {
        return 0; // no weights; per-thread scratch is not counted
    }

    @Override
    public float score(float[] user, float[] item) {
        DimensionCheck.user(user, userDims);
        DimensionCheck.item(item, itemDims);
        float[] u = userSide(user);
        return scoreOne(u, norm(u), user, item);
    }

    @Override
    public void score(float[] user, float[][] items, int count, float[] out) {
        DimensionCheck.batch(user, userDims, items, count, out, itemDims);
        float[] u = userSide(user);
        float norm = norm(u);
        for (int i = 0; i < count; i++) {
            out[i] = scoreOne(u, norm, user, items[i]);
        }
    }

    @Override
    public void score(float[][] users, float[][] items, int count, float[][] out) {
        DimensionCheck.users(users, out);
        for (int u = 0; u < users.length; u++) {
            score(users[u], items, count, out[u]);
        }
    }

    @Override
    public Kernel kernelFor(int count) {
        return kernel;
    }

    @Override
    public Kernel kernelFor(int users, int count) {
        return kernel;
    }

    /** @return the user vector to multiply with whole item vectors: u itself, or u' zero-padded to itemDims */
    private float[] userSide(float[] user) {
        if (userBias == false && itemBias == false) {
            return user;
        }
        float[] padded = paddedUser.get();
        System.arraycopy(user, 0, padded, 0, dims);
        if (itemBias) {
            padded[dims] = 0f; // multiplies v's bias: contributes exactly 0 to the dot product
        }
        return padded;
    }

    /** @return the user side's squared norm, for cosine */
    private float norm(float[] userSide) {
        return cosine ? VectorMath.dot(userSide, userSide) : 0f;
    }

    private float scoreOne(float[] userSide, float userNorm, float[] user, float[] item) {
        float dot = VectorMath.dot(userSide, item);
        float similarity;
        if (cosine) {
            float[] core = item;
            if (itemBias) {
                core = itemCore.get();
                System.arraycopy(item, 0, core, 0, dims);
            }
            similarity = VectorSimilarity.cosine(dot, userNorm, VectorMath.dot(core, core));
        } else {
            similarity = dot;
        }
        float score = similarity + globalBias;
        if (userBias) {
            score += user[userDims - 1];
        }
        if (itemBias) {
            score += item[itemDims - 1];
        }
        return score;
    }
}
