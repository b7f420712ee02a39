package org.recommender.tools.train.sequence;

import org.recommender.tools.train.GaussianInit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GRU4Rec (Hidasi et al., ICLR 2016) trained by a hand-written forward and backward pass through time in plain Java
 * ({@link Gru4RecPass}), computing exactly the {@code gru4rec} encoder of the model format (PyTorch's gate layout),
 * on the shared flat-network training ({@link SequenceNetwork}) over the parameters laid out by
 * {@link Gru4RecLayout}. It replaced a SameDiff graph unrolled over the window that was far too slow to train
 * (SameDiff 1.0.0-M2.1 costs about half a second per step whatever the size).
 *
 * <p>Training: the next-item cross-entropy of a full softmax over every item at every real position, the item table
 * tied as output embedding (not the paper's sampled-negative losses, which a catalogue of ML-100K's size does not
 * need); inverted dropout on the item vectors going in and on the states going to the output layer.
 */
final class Gru4RecNetwork extends SequenceNetwork<Gru4RecPass.Masks> {
    private final Gru4RecLayout layout;

    /**
     * @param layout shapes
     * @param dropout share of units dropped in training, in [0, 1)
     * @param learningRate Adam step size
     * @param initStd standard deviation of the normal initial item table and output weights
     * @param random seeds the initial weights: the item table and output weights N(0, initStd²), the GRU's weights
     *     uniform in ±1/√H (PyTorch's {@code nn.GRU} initialisation), every bias 0
     */
    Gru4RecNetwork(Gru4RecLayout layout, double dropout, double learningRate, double initStd, SplittableRandom random) {
        super(layout, dropout, learningRate, () -> new Gru4RecPass(layout));
        this.layout = layout;
        double[] parameters = parameters();
        GaussianInit init = new GaussianInit(random, initStd);
        double bound = 1 / Math.sqrt(layout.hidden());
        layout.blocksByName().forEach((name, at) -> {
            boolean bias = name.endsWith("bias");
            boolean recurrent = name.startsWith("gru.");
            for (int i = at[0]; i < at[0] + at[1]; i++) {
                parameters[i] = bias ? 0 : recurrent ? (2 * random.nextDouble() - 1) * bound : init.next() * initStd;
            }
        });
    }

    @Override
    Gru4RecPass.Masks windowMasks(int positions, double dropout, SplittableRandom random) {
        double[] input = DropoutMasks.factors(positions * layout.dims(), dropout, random);
        double[] output = DropoutMasks.factors(positions * layout.hidden(), dropout, random);
        return new Gru4RecPass.Masks(input, output);
    }

    @Override
    String type() {
        return Gru4RecTrainer.NAME;
    }

    @Override
    Map<String, Number> fields() {
        Map<String, Number> fields = new LinkedHashMap<>();
        fields.put("item_dims", layout.dims());
        fields.put("user_dims", layout.dims());
        fields.put("max_length", layout.maxLength());
        fields.put("hidden_dims", layout.hidden());
        return fields;
    }
}
