package org.recommender.tools.train.ease;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.FlatAdam;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.UserBatches;
import org.recommender.tools.train.VectorModule;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * ELSA (Vančura, Alves, Kasalický, Pilát, <i>Scalable Linear Shallow Autoencoder for Collaborative Filtering</i>,
 * RecSys 2022): EASE's item × item weights factorised as {@code AAᵀ − I}, with A ({@code items × r}) of unit rows.
 * A user's binary row x is reconstructed as {@code x·(AAᵀ − I)}, and A is trained by Adam on minibatches of users
 * ({@link UserBatches}) to minimise the normalised squared error {@code ‖x̂/‖x̂‖ − x/‖x‖‖²} ({@link ElsaNetwork}, whose
 * gradient is written by hand). Memory is O(items · r), not EASE's O(items²), and no inverse is needed.
 *
 * <p>Against the authors' code: the optimiser is Adam ({@link FlatAdam}, the one every hand-written trainer here
 * uses) where they use NAdam; the step size, initialisation (Xavier-uniform), loss and batching are theirs.
 *
 * <p>Served as a plain {@code dot} model: seen items are never ranked, so an unseen item i scores
 * {@code (x·A)·A_iᵀ}, the dot product of the user vector {@code x·A} (the sum of the history's rows of A) with the
 * item vector {@code A_i}. The mean of the history's item vectors is {@code x·A / |x|}, a positive multiple, so the
 * plugin's history users (mean of their items' vectors) rank exactly as ELSA does, with no stored user vector.
 * Deterministic given the seed (see {@link ElsaNetwork} on threads).
 */
public final class ElsaTrainer extends ConfiguredTrainer<ElsaConfig> {
    /** The algorithm's name in manifests and tables. */
    public static final String NAME = "elsa";

    /** @param config hyper-parameters */
    public ElsaTrainer(ElsaConfig config) {
        super(NAME, config);
    }

    /** Progress unit: one user row trained. */
    @Override
    public long totalSteps(UserItemMatrix data) {
        return (long) new UserBatches(data).size() * config.epochs();
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        VectorModule.require(NAME);
        UserBatches batches = new UserBatches(data);
        if (batches.size() == 0 || data.items() == 0) {
            throw new IllegalArgumentException("cannot train " + NAME + " without users with items");
        }
        int batch = Math.min(config.batchSize(), batches.size());
        if ((long) batch * data.items() > Integer.MAX_VALUE - 8 || (long) data.items() * config.dims() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %,d items × batch %,d or × %,d dims is too many for one array; %s",
                NAME, data.items(), batch, config.dims(), ElsaConfig.BATCH_SIZE.hint("lower", config.batchSize())));
        }
        control.phase(String.format(Locale.ROOT, "%,d items × %d dims: needs %.2f GB (A, its Adam moments, gradient and copies in double; "
            + "%d × %,d reconstructions)", data.items(), config.dims(), memoryBytes(data.items(), config.dims(), batch) / 1e9, batch, data.items()));
        SplittableRandom random = new SplittableRandom(config.seed());
        ElsaNetwork network = new ElsaNetwork(data.items(), config.dims(), random);
        FlatAdam adam = new FlatAdam(config.learningRate(), network.weights());
        double[] gradient = new double[network.weights().length];
        return EpochLoop.run(NAME, config.epochs(), ElsaConfig.LEARNING_RATE.hint("lower", config.learningRate()), control,
            EpochLoop.of(epoch -> batches.epoch(config.batchSize(), random, control, (users, from, size) -> {
                double loss = network.lossAndGradient(data, users, from, size, gradient);
                adam.step(gradient);
                return loss;
            }), () -> network.model(NAME, data)));
    }

    /**
     * @return bytes the fit holds beyond the data: six {@code items × dims} double arrays (W, Adam's two moments, the
     *     gradient, A and Aᵀ) and two {@code batch × items} ones (reconstructions, their transpose) — plus the
     *     kept best epoch's float vectors, small beside them
     */
    static long memoryBytes(int items, int dims, int batch) {
        return ((long) items * dims * 6 + (long) batch * items * 2) * Double.BYTES;
    }
}
