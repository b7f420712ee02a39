package org.recommender.core.scoring;

import org.recommender.core.vector.VectorMath;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A network's first layer, rewritten as an affine map of the item vector whose coefficients depend only on the
 * user vector. Every model input (u, v, u⊙v) enters the first layer linearly, so for a fixed user
 * <pre>
 *   W·[u, v, u⊙v] + b  =  A(u)·v + c(u),   with  A(u) = W_v + W_p·diag(u)  and  c(u) = W_u·u + b
 * </pre>
 * where {@code W_u, W_v, W_p} are the columns of W that read u, v and u⊙v. Folding the user in once per request
 * ({@link #fold}) leaves one {@code itemDims}-long dot product per output per item — no concatenation, no product
 * vector, and about a third of the work of the unfolded layer for {@code [u, v, u⊙v]}. Both kernels score from the
 * folded form, so they compute the same function.
 *
 * <p>A NeuMF model's GMF part, {@code w_g · (u_g ⊙ v_g)}, is linear in v too; it is folded into one extra row,
 * the <em>skip row</em> {@code s(u) = w_g ⊙ u_g} (zero beyond the GMF slice), whose value bypasses the activation and
 * the later layers and is added to the output layer's pre-activation.
 */
public final class ItemAffineLayer {
    private final int rows;
    private final int userDims;
    private final int itemDims;
    private final float[][] userCoef;    // rows × userDims, or null when no column reads u
    private final float[][] itemCoef;    // rows × itemDims, or null when no column reads v
    private final float[][] productCoef; // rows × productDims, or null when no column reads u⊙v
    private final int productDims;
    private final float[] bias;
    private final Activation activation;
    private final float[] gmfWeights;    // the skip row's weights over u_g ⊙ v_g, or null

    private ItemAffineLayer(
        int rows,
        int userDims,
        int itemDims,
        float[][] userCoef,
        float[][] itemCoef,
        float[][] productCoef,
        int productDims,
        float[] bias,
        Activation activation,
        float[] gmfWeights
    ) {
        this.rows = rows;
        this.userDims = userDims;
        this.itemDims = itemDims;
        this.userCoef = userCoef;
        this.itemCoef = itemCoef;
        this.productCoef = productCoef;
        this.productDims = productDims;
        this.bias = bias;
        this.activation = activation;
        this.gmfWeights = gmfWeights;
    }

    /**
     * Splits {@code layer}'s columns by the vector they read.
     *
     * @param layer the first dense layer; its input is the concatenation of {@code layout}
     * @param layout which input elements each run of columns reads
     * @param userDims dimension of user vectors
     * @param itemDims dimension of item vectors
     * @param gmfWeights weights of a GMF skip row over {@code u[0:g] ⊙ v[0:g]} with g = its length, or {@code null}
     */
    public static ItemAffineLayer of(DenseLayer layer, List<InputSegment> layout, int userDims, int itemDims, float[] gmfWeights) {
        int rows = layer.outputs();
        int columns = layout.stream().mapToInt(InputSegment::length).sum();
        if (columns != layer.inputs()) {
            throw new IllegalArgumentException("the layout covers " + columns + " columns but the layer has " + layer.inputs());
        }
        int productDims = 0;
        for (InputSegment s : layout) {
            int limit = switch (s.part()) {
                case USER -> userDims;
                case ITEM -> itemDims;
                case PRODUCT -> Math.min(userDims, itemDims);
            };
            if (s.end() > limit) {
                throw new IllegalArgumentException("segment " + s + " reads past the end of its vector (" + limit + ")");
            }
            if (s.part() == InputPart.PRODUCT) {
                productDims = Math.max(productDims, s.end());
            }
        }
        if (gmfWeights != null && gmfWeights.length > Math.min(userDims, itemDims)) {
            throw new IllegalArgumentException("the GMF slice (" + gmfWeights.length + ") is longer than the vectors");
        }
        float[][] u = has(layout, InputPart.USER) ? new float[rows][userDims] : null;
        float[][] v = has(layout, InputPart.ITEM) ? new float[rows][itemDims] : null;
        float[][] p = has(layout, InputPart.PRODUCT) ? new float[rows][productDims] : null;
        float[] w = layer.weightsRowMajor();
        for (int r = 0; r < rows; r++) {
            int column = 0;
            for (InputSegment s : layout) {
                float[] target = switch (s.part()) {
                    case USER -> u[r];
                    case ITEM -> v[r];
                    case PRODUCT -> p[r];
                };
                for (int k = 0; k < s.length(); k++) {
                    // += so that a part read twice (allowed by the math, refused by the format) still folds right
                    target[s.offset() + k] += w[r * layer.inputs() + column + k];
                }
                column += s.length();
            }
        }
        return new ItemAffineLayer(
            rows,
            userDims,
            itemDims,
            u,
            v,
            p,
            productDims,
            layer.bias(),
            layer.activation(),
            gmfWeights == null ? null : gmfWeights.clone()
        );
    }

    private static boolean has(List<InputSegment> layout, InputPart part) {
        return layout.stream().anyMatch(s -> s.part() == part);
    }

    /**
     * Computes the user-dependent coefficients.
     *
     * @param user the user vector, {@code userDims} long
     * @param matrix receives A(u): {@link #rows()} arrays of {@code itemDims}
     * @param offsets receives c(u): {@link #rows()} values
     * @param skip receives the skip row s(u), {@code itemDims} long; ignored (may be null) without a GMF part
     */
    public void fold(float[] user, float[][] matrix, float[] offsets, float[] skip) {
        for (int r = 0; r < rows; r++) {
            float[] a = matrix[r];
            if (itemCoef != null) {
                System.arraycopy(itemCoef[r], 0, a, 0, itemDims);
            } else {
                Arrays.fill(a, 0f);
            }
            if (productCoef != null) {
                float[] pr = productCoef[r];
                for (int k = 0; k < productDims; k++) {
                    a[k] += pr[k] * user[k];
                }
            }
            offsets[r] = bias[r] + (userCoef == null ? 0f : VectorMath.dot(userCoef[r], user));
        }
        if (gmfWeights != null) {
            Arrays.fill(skip, 0f);
            for (int k = 0; k < gmfWeights.length; k++) {
                skip[k] = gmfWeights[k] * user[k];
            }
        }
    }

    /**
     * @return the item features A(u) can read for some user, ascending: those with a non-zero coefficient in the
     *     columns that read v or u⊙v (a NeuMF tower reads only the MLP slice; the GMF slice goes through the skip row)
     */
    public int[] itemFeaturesRead() {
        return IntStream.range(0, itemDims)
            .filter(k -> anyNonZero(itemCoef, k) || (k < productDims && anyNonZero(productCoef, k)))
            .toArray();
    }

    private static boolean anyNonZero(float[][] coefficients, int column) {
        if (coefficients == null) {
            return false;
        }
        for (float[] row : coefficients) {
            if (row[column] != 0f) {
                return true;
            }
        }
        return false;
    }

    /** @return how many leading item features the skip row reads (the GMF slice), 0 without one */
    public int skipLength() {
        return gmfWeights == null ? 0 : gmfWeights.length;
    }

    /** @return the number of outputs, not counting the skip row */
    public int rows() {
        return rows;
    }

    /** @return the dimension of user vectors */
    public int userDims() {
        return userDims;
    }

    /** @return the dimension of item vectors */
    public int itemDims() {
        return itemDims;
    }

    /** @return whether there is a GMF skip row */
    public boolean hasSkip() {
        return gmfWeights != null;
    }

    /** @return the activation applied to the {@link #rows()} outputs (never to the skip row) */
    public Activation activation() {
        return activation;
    }

    /** @return heap bytes of the split weights */
    public long memoryBytes() {
        long bytes = 0;
        bytes += matrixBytes(userCoef, userDims) + matrixBytes(itemCoef, itemDims) + matrixBytes(productCoef, productDims);
        bytes += DenseLayer.ARRAY_HEADER_BYTES + 4L * rows;
        if (gmfWeights != null) {
            bytes += DenseLayer.ARRAY_HEADER_BYTES + 4L * gmfWeights.length;
        }
        return bytes;
    }

    private long matrixBytes(float[][] m, int width) {
        return m == null ? 0 : DenseLayer.ARRAY_HEADER_BYTES + (long) rows * (DenseLayer.ARRAY_HEADER_BYTES + 4L * width);
    }
}
