package org.recommender.tools.train;

import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;

/**
 * The epoch loop every iterative trainer shares: train an epoch, stop on a loss that is no longer finite, let the
 * {@link TrainingControl} validate and decide about early stopping, keep the best epoch's model, and return it — or,
 * without a validator, the model after the last epoch.
 */
public final class EpochLoop {
    /** One trainer's side of the loop. */
    public interface Epochs {
        /**
         * Trains one more epoch.
         *
         * @param epoch 1-based
         * @return the epoch's mean training loss
         */
        double train(int epoch);

        /**
         * @return the model as it is now, sharing nothing with the trainer's state; taken only when a validator scores
         *     the epoch, and kept when it is the best so far
         */
        TrainedModel snapshot();

        /** @return the model after the last epoch, when no epoch was kept; may share the trainer's state (no copy) */
        default TrainedModel last() {
            return snapshot();
        }
    }

    private EpochLoop() {}

    /**
     * @param train trains one epoch (1-based) and returns its mean loss
     * @param snapshot the model as it is now, sharing nothing with the trainer's state
     * @return epochs whose last model is a snapshot too
     */
    public static Epochs of(IntToDoubleFunction train, Supplier<TrainedModel> snapshot) {
        return new Functions(train, snapshot, snapshot);
    }

    /**
     * @param name the model's name
     * @param users user factors, updated in place by {@code train}
     * @param items item factors, updated in place by {@code train}
     * @param train trains one epoch (1-based) and returns its mean loss
     * @return epochs of a plain factor model: snapshots copy the factors, the last model uses them as they are
     */
    public static Epochs ofFactors(String name, float[][] users, float[][] items, IntToDoubleFunction train) {
        return new Functions(train, () -> new FactorModel(name, users, items).copy(), () -> new FactorModel(name, users, items));
    }

    private record Functions(IntToDoubleFunction epoch, Supplier<TrainedModel> copy, Supplier<TrainedModel> current) implements Epochs {
        @Override
        public double train(int n) {
            return epoch.applyAsDouble(n);
        }

        @Override
        public TrainedModel snapshot() {
            return copy.get();
        }

        @Override
        public TrainedModel last() {
            return current.get();
        }
    }

    /**
     * Runs up to {@code epochs} epochs.
     *
     * @param name the algorithm, for the divergence message
     * @param epochs the most epochs to run, at least 1
     * @param divergenceHint what to change when the loss stops being finite, e.g. {@code lower -P learning_rate (now 0.05)}
     * @return the best epoch's model by the control's validation, or the last epoch's without one
     * @throws TrainingDivergedException when an epoch's loss is not finite, naming the epoch and the hint
     */
    public static TrainedModel run(String name, int epochs, String divergenceHint, TrainingControl control, Epochs training) {
        TrainedModel kept = null;
        int epoch = 1;
        for (; epoch <= epochs; epoch++) {
            double loss = training.train(epoch);
            if (Double.isFinite(loss) == false) {
                throw new TrainingDivergedException(name, epoch, loss, divergenceHint);
            }
            // the snapshot copies the model: take it only if a validator scores this epoch, and once for score and keep
            LazyModel current = new LazyModel(training::snapshot);
            TrainedModel[] best = { null };
            boolean stop = control.epochDone(epoch, loss, current, () -> best[0] = current.get());
            if (best[0] != null) {
                kept = best[0];
            }
            if (stop) {
                break;
            }
        }
        control.finished(Math.min(epoch, epochs));
        return kept != null ? kept : training.last();
    }
}
