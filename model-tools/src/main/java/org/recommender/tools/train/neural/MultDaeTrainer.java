package org.recommender.tools.train.neural;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.UserBatches;

import java.util.SplittableRandom;

/**
 * Mult-DAE (Liang, Krishnan, Hoffman, Jebara, <i>Variational Autoencoders for Collaborative Filtering</i>, WWW 2018,
 * the denoising-autoencoder variant), trained with DL4J: a user's binary item row, L2-normalised and with input
 * dropout, is encoded into a tanh bottleneck and decoded into a softmax over every item; the loss is the multinomial
 * log-likelihood of the row, −Σ x_i log softmax(z)_i, divided by the row's item count. The division is forced by DL4J:
 * its softmax + {@code MCXENT} gradient is the shortcut {@code p − y}, correct only for labels summing to one (with
 * the raw binary row training diverged), so the labels are {@code x / |x|₁}. Against the paper this weights every
 * user equally instead of by history length; the per-user optimum is the same.
 *
 * <p>Export ({@link MultDaeModel}): the decoder's logits are {@code z_i = W_dec[:, i] · h_u + b_i}, so the model is a
 * plain dot product of user {@code [h_u, 1]} (the encoding of the user's un-dropped training row) with item
 * {@code [W_dec[:, i], b_i]} — a {@link FactorModel} and a {@code dot} bundle with no bias flags. The softmax is
 * monotone per user, so ranking by logits ranks as the model does. A user's vector depends on their history: users
 * without training rows get {@code tanh(b_enc)}, and users who interact after training are encoded in the cluster by
 * the exported {@code multdae} encoder from their items' encoder vectors, then scored by a {@code dot} model with
 * {@code item_bias: last_dimension} over the same item vectors.
 *
 * <p>Determinism: the same seed gives the same initial weights and user order; dropout masks come from ND4J's
 * random generator, seeded through the network configuration. Repeated runs with one native thread gave the same
 * losses; with several threads native sums may be ordered differently, so expect close, not bit-identical, results.
 */
public final class MultDaeTrainer extends ConfiguredTrainer<MultDaeConfig> {
    /** The algorithm's name in manifests and tables. */
    public static final String NAME = "multdae";


    /** @param config hyper-parameters */
    public MultDaeTrainer(MultDaeConfig config) {
        super(NAME, config);
    }



    /** Progress unit: one user row trained. */
    @Override
    public long totalSteps(UserItemMatrix data) {
        return (long) new UserBatches(data).size() * config.epochs();
    }

    /** @return the hyper-parameters */
    public MultDaeConfig config() {
        return config;
    }

    /** @return an initialised encoder/decoder for {@code items} items */
    static MultiLayerNetwork build(MultDaeConfig config, int items) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
            .seed(config.seed())
            .dataType(DataType.FLOAT)
            .updater(new Adam(config.learningRate()))
            .l2(config.l2())
            .weightInit(WeightInit.XAVIER) // the paper's Glorot initialisation
            .list();
        DenseLayer.Builder encoder = new DenseLayer.Builder().nIn(items).nOut(config.hidden()).activation(Activation.TANH);
        if (config.dropout() > 0) {
            // DL4J's dropOut takes the RETAIN probability and applies to the layer's input: the paper's input dropout
            encoder.dropOut(1 - config.dropout());
        }
        MultiLayerConfiguration conf = list.layer(encoder.build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(config.hidden()).nOut(items).activation(Activation.SOFTMAX).build())
            .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        if (data.users() == 0 || data.items() == 0) {
            throw new IllegalArgumentException("cannot train " + NAME + " without users and items");
        }
        MultiLayerNetwork net = build(config, data.items());
        SplittableRandom random = new SplittableRandom(config.seed());
        UserBatches batches = new UserBatches(data);
        return EpochLoop.run(NAME, config.epochs(), MultDaeConfig.LEARNING_RATE.hint("lower", config.learningRate()), control,
            EpochLoop.of(epoch -> batches.epoch(config.batchSize(), random, control, (users, start, size) -> {
                INDArray[] xy = rows(data, users, start, size);
                net.fit(xy[0], xy[1]);
                return net.score();
            }), () -> snapshot(net, data)));
    }

    /**
     * @return {input, labels} for {@code size} users from {@code users[start]}: the input row L2-normalised (so
     *     heavy users do not saturate the encoder), the labels the binary row divided by its count (they must sum to
     *     one for DL4J's softmax gradient)
     */
    static INDArray[] rows(UserItemMatrix data, int[] users, int start, int size) {
        int items = data.items();
        float[] x = new float[size * items];
        float[] y = new float[size * items];
        for (int r = 0; r < size; r++) {
            int u = users[start + r];
            int[] row = data.itemsOf(u);
            float norm = row.length == 0 ? 0f : (float) (1 / Math.sqrt(row.length));
            float share = row.length == 0 ? 0f : 1f / row.length;
            for (int item : row) {
                x[r * items + item] = norm;
                y[r * items + item] = share;
            }
        }
        return new INDArray[] { Nd4j.create(x, new long[] { size, items }, 'c'), Nd4j.create(y, new long[] { size, items }, 'c') };
    }

    /**
     * Encodes every user's full training row (no dropout) and copies the decoder and the encoder: the servable model,
     * sharing nothing with the network.
     */
    static MultDaeModel snapshot(MultiLayerNetwork net, UserItemMatrix data) {
        int hidden = (int) net.getLayer(0).getParam("W").columns();
        int[] all = new int[data.users()];
        for (int u = 0; u < all.length; u++) {
            all[u] = u;
        }
        float[][] userVectors = new float[all.length][];
        int chunk = 1024;
        for (int start = 0; start < all.length; start += chunk) {
            int size = Math.min(chunk, all.length - start);
            // activations [input, encoder]; train=false so no dropout
            float[][] h = net.feedForwardToLayer(0, rows(data, all, start, size)[0], false).get(1).toFloatMatrix();
            for (int r = 0; r < size; r++) {
                float[] v = new float[hidden + 1];
                System.arraycopy(h[r], 0, v, 0, hidden);
                v[hidden] = 1f; // multiplies the item's decoder bias
                userVectors[start + r] = v;
            }
        }
        float[][] w = net.getLayer(1).getParam("W").toFloatMatrix(); // [hidden, items]
        float[] b = net.getLayer(1).getParam("b").ravel().toFloatVector();
        float[][] itemVectors = new float[data.items()][hidden + 1];
        for (int i = 0; i < itemVectors.length; i++) {
            for (int f = 0; f < hidden; f++) {
                itemVectors[i][f] = w[f][i];
            }
            itemVectors[i][hidden] = b[i];
        }
        // DL4J's W is [nIn, nOut] = [items, hidden]: row i is item i's encoder vector, the paper's column i of W_enc
        float[][] history = net.getLayer(0).getParam("W").toFloatMatrix();
        float[] encoderBias = net.getLayer(0).getParam("b").ravel().toFloatVector();
        return new MultDaeModel(new FactorModel(NAME, userVectors, itemVectors), history, encoderBias);
    }
}
