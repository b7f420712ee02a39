package org.recommender.tools.train.sequence;

import java.util.Map;

/**
 * Where each GRU4Rec weight block lies in the trainer's one flat parameter vector: the item table first
 * ({@link FlatBlocks#ITEMS}, {@code items × d}), then the {@code gru4rec} encoder bundle's six blocks under their
 * bundle names and in bundle order ({@code docs/model-format.md}, "User encoders"): {@code gru.input_weights}
 * ({@code 3H × d}), {@code gru.hidden_weights} ({@code 3H × H}), {@code gru.input_bias} and {@code gru.hidden_bias}
 * ({@code 3H} each), {@code output.weights} ({@code d × H}), {@code output.bias} ({@code d}). Every matrix is
 * row-major with one row per output; the gate blocks stack the r, then z, then n rows, PyTorch's {@code nn.GRU}
 * layout.
 *
 * @param items catalogue size
 * @param dims d, the item and user vector width
 * @param hidden H, the GRU state width
 * @param maxLength M, the window length
 */
record Gru4RecLayout(int items, int dims, int hidden, int maxLength) implements SequenceLayout {
    static final String INPUT_WEIGHTS = "gru.input_weights";
    static final String HIDDEN_WEIGHTS = "gru.hidden_weights";
    static final String INPUT_BIAS = "gru.input_bias";
    static final String HIDDEN_BIAS = "gru.hidden_bias";
    static final String OUTPUT_WEIGHTS = "output.weights";
    static final String OUTPUT_BIAS = "output.bias";

    @Override
    public Map<String, int[]> blocksByName() {
        return flat().byName();
    }

    @Override
    public int size() {
        return flat().size();
    }

    private FlatBlocks flat() {
        return new FlatBlocks().add(FlatBlocks.ITEMS, items * dims)
            .add(INPUT_WEIGHTS, 3 * hidden * dims)
            .add(HIDDEN_WEIGHTS, 3 * hidden * hidden)
            .add(INPUT_BIAS, 3 * hidden)
            .add(HIDDEN_BIAS, 3 * hidden)
            .add(OUTPUT_WEIGHTS, dims * hidden)
            .add(OUTPUT_BIAS, dims);
    }
}
