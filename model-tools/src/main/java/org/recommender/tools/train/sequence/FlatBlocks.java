package org.recommender.tools.train.sequence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each named weight block of a hand-written sequence network lies in its one flat double-precision parameter
 * vector, and the copy between that vector and the {@link EncoderWeights} it exports: the item table under
 * {@link #ITEMS} (row-major, {@code items × dims}; the bundle's {@code items()} table, not a bundle block), every
 * other block under its encoder-bundle name, in the order added (the bundle's order). Shared by the SASRec and
 * GRU4Rec layouts so both export and load their weights the same way.
 */
final class FlatBlocks {
    /** The name of the item table's block. */
    static final String ITEMS = "items";

    private final Map<String, int[]> blocks = new LinkedHashMap<>();
    private int size;

    /**
     * Appends a block after the ones already added.
     *
     * @param name the block's name ({@link #ITEMS} or a bundle block name)
     * @param length its number of elements
     * @return this
     */
    FlatBlocks add(String name, int length) {
        if (blocks.putIfAbsent(name, new int[] { size, length }) != null) {
            throw new IllegalArgumentException("block [" + name + "] added twice");
        }
        size += length;
        return this;
    }

    /** @return every block's {offset, length}, in the order added; unmodifiable */
    Map<String, int[]> byName() {
        return Collections.unmodifiableMap(blocks);
    }

    /** @return the length of the flat vector: the sum of the blocks' lengths */
    int size() {
        return size;
    }

    /**
     * @param type the encoder type
     * @param fields its header fields
     * @param blocks the layout of {@code p}, item table included
     * @param p the parameters
     * @param dims the item table's row width
     * @return a float copy of {@code p}: the item table as rows, every other block by name in layout order
     */
    static EncoderWeights export(String type, Map<String, Number> fields, Map<String, int[]> blocks, double[] p, int dims) {
        Map<String, float[]> named = new LinkedHashMap<>();
        float[][] items = null;
        for (Map.Entry<String, int[]> block : blocks.entrySet()) {
            int[] at = block.getValue();
            if (block.getKey().equals(ITEMS)) {
                items = new float[at[1] / dims][dims];
                for (int i = 0; i < items.length; i++) {
                    for (int c = 0; c < dims; c++) {
                        items[i][c] = (float) p[at[0] + i * dims + c];
                    }
                }
            } else {
                float[] v = new float[at[1]];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) p[at[0] + i];
                }
                named.put(block.getKey(), v);
            }
        }
        return new EncoderWeights(type, fields, named, items);
    }

    /**
     * Sets {@code p} from an export laid out as {@code blocks} (tests: chosen weights in).
     *
     * @param dims the item table's row width
     */
    static void load(EncoderWeights weights, Map<String, int[]> blocks, double[] p, int dims) {
        blocks.forEach((name, at) -> {
            if (name.equals(ITEMS)) {
                for (int i = 0; i < at[1] / dims; i++) {
                    for (int c = 0; c < dims; c++) {
                        p[at[0] + i * dims + c] = weights.items()[i][c];
                    }
                }
            } else {
                float[] v = weights.block(name);
                if (v.length != at[1]) {
                    throw new IllegalArgumentException("block [" + name + "] has " + v.length + " values; this network's has " + at[1]);
                }
                for (int i = 0; i < at[1]; i++) {
                    p[at[0] + i] = v[i];
                }
            }
        });
    }
}
