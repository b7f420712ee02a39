package org.recommender.core.model;

/**
 * The argument checks every {@link ScoringModel} makes before scoring, so a wrong-sized vector fails with a message
 * naming it instead of an index error deep in a kernel (or, off-heap, a read past the array).
 */
final class DimensionCheck {
    private DimensionCheck() {}

    static void user(float[] user, int userDims) {
        if (user.length != userDims) {
            throw new IllegalArgumentException("the user vector has " + user.length + " dimensions but the model expects " + userDims);
        }
    }

    static void item(float[] item, int itemDims) {
        if (item.length != itemDims) {
            throw new IllegalArgumentException("the item vector has " + item.length + " dimensions but the model expects " + itemDims);
        }
    }

    static void batch(float[] user, int userDims, float[][] items, int count, float[] out, int itemDims) {
        user(user, userDims);
        if (count < 0 || count > items.length || count > out.length) {
            throw new IllegalArgumentException(
                "count " + count + " must be between 0 and the number of items (" + items.length + ") and of outputs (" + out.length + ")"
            );
        }
        for (int i = 0; i < count; i++) {
            if (items[i].length != itemDims) {
                throw new IllegalArgumentException(
                    "items[" + i + "] has " + items[i].length + " dimensions but the model expects " + itemDims
                );
            }
        }
    }

    static void users(float[][] users, float[][] out) {
        if (out.length < users.length) {
            throw new IllegalArgumentException("there are " + users.length + " users but only " + out.length + " output rows");
        }
    }
}
