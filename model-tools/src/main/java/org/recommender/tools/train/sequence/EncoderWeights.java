package org.recommender.tools.train.sequence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained encoder as the model format's encoder bundles hold it ({@code docs/model-format.md}, "User encoders"):
 * the type, its header fields, and the weight blocks by name in bundle order, each row-major with one row per output;
 * plus the item table the encoder reads and scores (row i = item i's vector). A copy: it shares nothing with the
 * network that made it.
 *
 * @param type {@code sasrec} or {@code gru4rec}
 * @param fields header fields by their bundle names ({@code max_length}, {@code heads}, …), integers or doubles
 * @param blocks weight blocks by bundle name, in bundle order
 * @param items the item vectors, one row per item index
 */
public record EncoderWeights(String type, Map<String, Number> fields, Map<String, float[]> blocks, float[][] items) {
    /** Freezes the maps (their order is the bundle's). */
    public EncoderWeights {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        blocks = Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
    }

    /** @return an integer header field */
    public int intField(String name) {
        return fields.get(name).intValue();
    }

    /** @return a number header field */
    public double doubleField(String name) {
        return fields.get(name).doubleValue();
    }

    /** @return a block by name */
    public float[] block(String name) {
        float[] b = blocks.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no weight block [" + name + "] in " + blocks.keySet());
        }
        return b;
    }
}
