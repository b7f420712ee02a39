package org.recommender.tools.train.sequence;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.data.UserSequences;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The epoch loop the sequence trainers share, on the loop every iterative trainer uses ({@link EpochLoop}): each
 * epoch the windows are shuffled (seeded) and trained in minibatches; a snapshot copies the weights into a
 * {@link SequenceModel}, so validation and test score through the core encoder compiled from the bundle.
 */
final class SequenceTraining {
    private SequenceTraining() {}

    /**
     * @return the user's training sequences
     * @throws IllegalArgumentException when the split did not keep time order, naming the algorithm and what to use
     */
    static UserSequences sequences(String algorithm, UserItemMatrix data) {
        UserSequences s = data.sequences();
        if (s == null) {
            throw new IllegalArgumentException(algorithm + " learns from each user's items in time order, which this split does not keep "
                + "(a random split shuffles them); use --protocol sequential, temporal or ncf");
        }
        return s;
    }

    /** @return progress units (windows) over {@code epochs} epochs */
    static long totalSteps(UserItemMatrix data, int maxLength, int epochs) {
        UserSequences s = data.sequences();
        return s == null ? 0 : (long) new SequenceWindows(s, maxLength).size() * epochs;
    }

    static TrainedModel run(String name, SequenceNetwork<?> network, UserSequences sequences, int epochs, int batchSize, SplittableRandom random,
        String divergenceHint, Map<String, ?> metadata, TrainingControl control) {
        SequenceWindows windows = new SequenceWindows(sequences, network.maxLength());
        if (windows.size() == 0) {
            throw new IllegalArgumentException("cannot train " + name + ": no user has two training items to learn a next item from");
        }
        return EpochLoop.run(name, epochs, divergenceHint, control, EpochLoop.of(epoch -> {
            int[] order = windows.shuffled(random);
            double sum = 0;
            for (int from = 0; from < order.length; from += batchSize) {
                int rows = Math.min(batchSize, order.length - from);
                sum += network.step(windows.batch(order, from, rows), random) * rows;
                control.steps(rows);
            }
            return sum / order.length;
        }, () -> new SequenceModel(name, network.weights(), sequences, metadata)));
    }
}
