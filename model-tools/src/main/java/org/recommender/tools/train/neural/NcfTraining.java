package org.recommender.tools.train.neural;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingDivergedException;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training loop NeuMF and NCF-MLP share: pointwise log loss over every training positive plus
 * {@code negatives} uniformly drawn non-interacted items, redrawn each epoch, in shuffled minibatches (He et al. 2017,
 * section 3.1.1 and 4.1); for NeuMF optionally after pre-training GMF and MLP (section 3.4.1).
 */
final class NcfTraining {
    /** The paper's weight of the pre-trained GMF against the pre-trained MLP. */
    static final double PRETRAIN_ALPHA = 0.5;

    private final UserItemMatrix data;
    private final NcfConfig config;
    private final TrainingControl control;
    private final SplittableRandom random;
    private final int[] users;
    private final int[] items;
    private final float[] labels;
    // the rows of one minibatch as floats, built on the heap and handed to ND4J in one bulk copy per array:
    // element-wise putScalar into off-heap arrays cost more than a small model's forward pass
    private final float[] userColumn;
    private final float[] itemColumn;
    private final float[] labelColumn;

    private NcfTraining(UserItemMatrix data, NcfConfig config, TrainingControl control) {
        this.data = data;
        this.config = config;
        this.control = control;
        this.random = new SplittableRandom(config.seed());
        long rowCount = rowsPerEpoch(data, config);
        if (rowCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many training rows per epoch (" + rowCount + "); lower " + NcfConfig.NEGATIVES.option());
        }
        users = new int[(int) rowCount];
        items = new int[(int) rowCount];
        labels = new float[(int) rowCount];
        userColumn = new float[config.batchSize()];
        itemColumn = new float[config.batchSize()];
        labelColumn = new float[config.batchSize()];
    }

    /** @return rows one epoch trains on: every positive and its negatives (users who have every item get none) */
    static long rowsPerEpoch(UserItemMatrix data, NcfConfig config) {
        return (long) data.nonZeros() * (1 + config.negatives());
    }

    /** @return the epochs {@link #fit} runs in all, pre-training included, for progress totals */
    static long totalEpochs(NcfConfig config, boolean withGmf) {
        return config.epochs() + (withGmf ? 2L * config.pretrainEpochs() : 0);
    }

    static TrainedModel fit(String name, UserItemMatrix data, TrainingControl control, NcfConfig config, boolean withGmf) {
        if (data.users() == 0 || data.items() == 0) {
            throw new IllegalArgumentException("cannot train " + name + " without users and items");
        }
        NcfTraining training = new NcfTraining(data, config, control);
        ComputationGraph graph;
        if (withGmf && config.pretrainEpochs() > 0) {
            // distinct initialisation seeds, so GMF's and MLP's embeddings do not start out correlated
            ComputationGraph gmf = NcfNetwork.buildGmf(config, data.users(), data.items(), config.seed() + 1);
            ComputationGraph mlp = NcfNetwork.build(config, data.users(), data.items(), false, new org.nd4j.linalg.learning.config.Adam(
                config.learningRate()), config.seed() + 2);
            for (int epoch = 1; epoch <= config.pretrainEpochs(); epoch++) {
                training.epoch(gmf, "gmf pre-training", epoch);
                training.epoch(mlp, "mlp pre-training", epoch);
            }
            // Adam's moment estimates are not carried over, so the paper fine-tunes with plain SGD
            graph = NcfNetwork.build(config, data.users(), data.items(), true, new Sgd(config.learningRate()), config.seed());
            NcfNetwork.initialiseFrom(graph, gmf, mlp, config, PRETRAIN_ALPHA);
        } else {
            graph = NcfNetwork.build(config, data.users(), data.items(), withGmf);
        }
        return EpochLoop.run(name, config.epochs(), NcfConfig.LEARNING_RATE.hint("lower", config.learningRate()), control,
            EpochLoop.of(epoch -> training.epoch(graph, "training", epoch), () -> NcfNetwork.snapshot(name, graph, config, withGmf)));
    }

    /** Trains {@code graph} on one epoch of fresh samples, reporting progress per minibatch; @return the mean minibatch loss */
    private double epoch(ComputationGraph graph, String phase, int epoch) {
        int rows = sample(data, config.negatives(), random, users, items, labels);
        shuffle(random, users, items, labels, rows);
        int batch = config.batchSize();
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < rows; start += batch) {
            int size = Math.min(batch, rows - start);
            for (int r = 0; r < size; r++) {
                userColumn[r] = users[start + r];
                itemColumn[r] = items[start + r];
            }
            System.arraycopy(labels, start, labelColumn, 0, size);
            graph.fit(new INDArray[] { column(userColumn, size), column(itemColumn, size) }, new INDArray[] { column(labelColumn, size) });
            lossSum += graph.score();
            batches++;
            control.steps(size);
        }
        double loss = batches == 0 ? 0 : lossSum / batches;
        if (Double.isFinite(loss) == false) {
            throw new TrainingDivergedException(phase, epoch, loss, NcfConfig.LEARNING_RATE.hint("lower", config.learningRate()));
        }
        return loss;
    }

    private static INDArray column(float[] values, int size) {
        return Nd4j.create(size == values.length ? values : Arrays.copyOf(values, size), new long[] { size, 1 }, 'c');
    }

    /**
     * Fills the rows of one epoch: each stored pair as a positive, followed by {@code negatives} items drawn
     * uniformly (by rejection) from those its user has not interacted with.
     *
     * @return the number of rows filled
     */
    static int sample(UserItemMatrix data, int negatives, SplittableRandom random, int[] users, int[] items, float[] labels) {
        int n = 0;
        int itemCount = data.items();
        for (int entry = 0; entry < data.nonZeros(); entry++) {
            int u = data.userOfEntry(entry);
            users[n] = u;
            items[n] = data.itemOfEntry(entry);
            labels[n++] = 1f;
            if (data.rowLength(u) == itemCount) {
                continue; // the user has every item: nothing to draw a negative from
            }
            for (int k = 0; k < negatives; k++) {
                int j;
                do {
                    j = random.nextInt(itemCount);
                } while (data.contains(u, j));
                users[n] = u;
                items[n] = j;
                labels[n++] = 0f;
            }
        }
        return n;
    }

    /** Fisher–Yates over the first {@code rows} rows, so minibatches mix users, positives and negatives. */
    static void shuffle(SplittableRandom random, int[] users, int[] items, float[] labels, int rows) {
        for (int a = rows - 1; a > 0; a--) {
            int b = random.nextInt(a + 1);
            int tu = users[a];
            users[a] = users[b];
            users[b] = tu;
            int ti = items[a];
            items[a] = items[b];
            items[b] = ti;
            float tl = labels[a];
            labels[a] = labels[b];
            labels[b] = tl;
        }
    }
}
