package org.recommender.tools.train.graph;

import org.recommender.tools.data.UserItemMatrix;

import java.util.stream.IntStream;

/**
 * The user–item graph of LightGCN (He et al., SIGIR 2020), symmetrically normalised: an edge per training pair with
 * weight {@code 1 / sqrt(|N_u| · |N_i|)}. {@link #layerMean} computes {@code (1 / (L + 1)) Σ_(l=0..L) Ãˡ E}, the
 * final embeddings from the layer-0 ones; because Ã is symmetric, the same operation carries a gradient with
 * respect to the final embeddings back to layer 0. Rows are summed in parallel, each by one thread in a fixed
 * order, so results do not depend on scheduling. Keeps two layers of scratch rows between calls (a trainer propagates
 * twice a batch), so one instance serves one thread at a time.
 */
final class NormalizedGraph {
    private final UserItemMatrix byUser;
    private final UserItemMatrix byItem;
    private final float[] userWeights; // per entry of byUser
    private final float[] itemWeights; // per entry of byItem
    private Layers layers;

    NormalizedGraph(UserItemMatrix data) {
        this.byUser = data;
        this.byItem = data.transpose();
        this.userWeights = weights(byUser, byItem);
        this.itemWeights = weights(byItem, byUser);
    }

    private static float[] weights(UserItemMatrix rows, UserItemMatrix columns) {
        float[] w = new float[rows.nonZeros()];
        for (int r = 0; r < rows.users(); r++) {
            for (int e = rows.rowStart(r); e < rows.rowStart(r + 1); e++) {
                w[e] = (float) (1 / Math.sqrt((double) rows.rowLength(r) * columns.rowLength(rows.itemOfEntry(e))));
            }
        }
        return w;
    }

    /**
     * @param users layer-0 user rows (or a gradient with respect to the final user rows)
     * @param items layer-0 item rows (or the item gradient)
     * @param layers L
     * @param outUsers receives the mean over layers 0…L of the user rows
     * @param outItems receives the mean over layers 0…L of the item rows
     */
    void layerMean(float[][] users, float[][] items, int layers, float[][] outUsers, float[][] outItems) {
        int d = users.length > 0 ? users[0].length : items.length > 0 ? items[0].length : 0;
        copy(users, outUsers);
        copy(items, outItems);
        if (layers == 0) {
            return;
        }
        Layers scratch = scratch(d);
        float[][] currentUsers = users;
        float[][] currentItems = items;
        for (int l = 1; l <= layers; l++) {
            float[][] nextUsers = scratch.users[l % 2];
            float[][] nextItems = scratch.items[l % 2];
            propagate(byUser, userWeights, currentItems, nextUsers);
            propagate(byItem, itemWeights, currentUsers, nextItems);
            add(nextUsers, outUsers);
            add(nextItems, outItems);
            currentUsers = nextUsers;
            currentItems = nextItems;
        }
        scale(outUsers, 1f / (layers + 1));
        scale(outItems, 1f / (layers + 1));
    }

    /** Two layers' worth of user and item rows, reused by every call (a batch calls twice: forward and back). */
    private record Layers(float[][][] users, float[][][] items) {}

    private Layers scratch(int d) {
        if (layers == null || (layers.users[0].length > 0 && layers.users[0][0].length != d)) {
            layers = new Layers(
                new float[][][] { new float[byUser.users()][d], new float[byUser.users()][d] },
                new float[][][] { new float[byItem.users()][d], new float[byItem.users()][d] }
            );
        }
        return layers;
    }

    /** {@code out[r] = Σ_e w_e · from[column(e)]} over row r's entries. */
    private static void propagate(UserItemMatrix rows, float[] weights, float[][] from, float[][] out) {
        IntStream.range(0, out.length).parallel().forEach(r -> {
            float[] target = out[r];
            java.util.Arrays.fill(target, 0f);
            for (int e = rows.rowStart(r); e < rows.rowStart(r + 1); e++) {
                float w = weights[e];
                float[] source = from[rows.itemOfEntry(e)];
                for (int f = 0; f < target.length; f++) {
                    target[f] += w * source[f];
                }
            }
        });
    }

    private static void copy(float[][] from, float[][] to) {
        for (int r = 0; r < from.length; r++) {
            System.arraycopy(from[r], 0, to[r], 0, from[r].length);
        }
    }

    private static void add(float[][] from, float[][] to) {
        for (int r = 0; r < from.length; r++) {
            for (int f = 0; f < from[r].length; f++) {
                to[r][f] += from[r][f];
            }
        }
    }

    private static void scale(float[][] matrix, float factor) {
        for (float[] row : matrix) {
            for (int f = 0; f < row.length; f++) {
                row[f] *= factor;
            }
        }
    }
}
