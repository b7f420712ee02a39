package org.recommender.tools.train.neural;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ModelBundleBuilder;
import org.recommender.core.scoring.InputPart;

import java.util.List;

/**
 * The DL4J graph of NeuMF / NCF-MLP, and the translation of its weights into the plugin's {@code neumf} / {@code mlp}
 * bundles. Kept apart from the training loop so tests can check the translation on an untrained random graph.
 *
 * <p>Graph (vertex names in brackets): inputs {@code user} and {@code item} are one index each ({@code [batch, 1]});
 * [gmf_user], [gmf_item], [mlp_user], [mlp_item] are bias-free identity embeddings; [gmf] is their element-wise
 * product; [mlp_in] concatenates the MLP embeddings user first (the bundle's {@code h_0 = concat(u[g:], v[g:])});
 * [tower0..] are ReLU dense layers; [concat] joins GMF first, tower second (the bundle's output weight order);
 * [out] is one sigmoid unit trained with binary cross-entropy. Without GMF, [out] reads the tower directly.
 */
final class NcfNetwork {
    static final String USER = "user";
    static final String ITEM = "item";
    static final String GMF_USER = "gmf_user";
    static final String GMF_ITEM = "gmf_item";
    static final String MLP_USER = "mlp_user";
    static final String MLP_ITEM = "mlp_item";
    static final String OUT = "out";

    private NcfNetwork() {}

    static String tower(int layer) {
        return "tower" + layer;
    }

    /** @return an initialised graph for {@code users × items}; with {@code withGmf} false, the NCF "MLP" model */
    static ComputationGraph build(NcfConfig config, int users, int items, boolean withGmf) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
            .seed(config.seed())
            .dataType(DataType.FLOAT)
            .updater(new Adam(config.learningRate()))
            .l2(config.l2())
            .weightInit(WeightInit.XAVIER)
            .graphBuilder()
            .addInputs(USER, ITEM);
        int m = config.mlpDims();
        addEmbedding(g, MLP_USER, users, m, USER);
        addEmbedding(g, MLP_ITEM, items, m, ITEM);
        g.addVertex("mlp_in", new MergeVertex(), MLP_USER, MLP_ITEM);
        int width = 2 * m;
        String previous = "mlp_in";
        List<Integer> layers = config.layers();
        for (int l = 0; l < layers.size(); l++) {
            g.addLayer(tower(l), new DenseLayer.Builder().nIn(width).nOut(layers.get(l)).activation(Activation.RELU).build(), previous);
            width = layers.get(l);
            previous = tower(l);
        }
        if (withGmf) {
            int gd = config.gmfDims();
            addEmbedding(g, GMF_USER, users, gd, USER);
            addEmbedding(g, GMF_ITEM, items, gd, ITEM);
            g.addVertex("gmf", new ElementWiseVertex(ElementWiseVertex.Op.Product), GMF_USER, GMF_ITEM);
            g.addVertex("concat", new MergeVertex(), "gmf", previous);
            width += gd;
            previous = "concat";
        }
        g.addLayer(OUT, new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(width).nOut(1).activation(Activation.SIGMOID).build(),
            previous);
        g.setOutputs(OUT);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /*
     * No setInputTypes: DL4J's shape inference would reset each embedding's nIn to the input width (1); every nIn is
     * given explicitly instead. Embeddings start at N(0, 0.01) as in the paper: small enough that the GMF product
     * starts near zero and the tower's ReLUs see balanced inputs.
     */
    private static void addEmbedding(ComputationGraphConfiguration.GraphBuilder g, String name, int rows, int dims, String input) {
        g.addLayer(name, new EmbeddingLayer.Builder().nIn(rows).nOut(dims).hasBias(false).activation(Activation.IDENTITY)
            .weightInit(new NormalDistribution(0, 0.01)).build(), input);
    }

    /**
     * Copies the graph's current weights into a servable model (the copy does not change as training goes on).
     *
     * @param name the algorithm's name
     * @param withGmf whether the graph has the GMF part
     */
    static NcfModel snapshot(String name, ComputationGraph graph, NcfConfig config, boolean withGmf) {
        float[][] mlpUsers = graph.getLayer(MLP_USER).getParam("W").toFloatMatrix();
        float[][] mlpItems = graph.getLayer(MLP_ITEM).getParam("W").toFloatMatrix();
        float[][] users = mlpUsers;
        float[][] items = mlpItems;
        int g = 0;
        if (withGmf) {
            g = config.gmfDims();
            users = concatRows(graph.getLayer(GMF_USER).getParam("W").toFloatMatrix(), mlpUsers);
            items = concatRows(graph.getLayer(GMF_ITEM).getParam("W").toFloatMatrix(), mlpItems);
        }
        ModelBundleBuilder b = ModelBundle.builder(withGmf ? "neumf" : "mlp").userDims(users[0].length).itemDims(items[0].length);
        if (withGmf) {
            b.gmfDims(g);
        } else {
            b.input(InputPart.USER, InputPart.ITEM);
        }
        for (int l = 0; l < config.layers().size(); l++) {
            org.deeplearning4j.nn.api.Layer layer = graph.getLayer(tower(l));
            // DL4J keeps W as [inputs, outputs] (x·W); the bundle wants one row per output, so transpose
            INDArray w = layer.getParam("W");
            b.layer((int) w.rows(), (int) w.columns(), org.recommender.core.scoring.Activation.RELU, w.transpose().dup('c').ravel().toFloatVector(),
                layer.getParam("b").ravel().toFloatVector());
        }
        org.deeplearning4j.nn.api.Layer out = graph.getLayer(OUT);
        // the logit, not the sigmoid: it ranks the same and sigmoid's float saturation near 1 would create ties
        b.output(out.getParam("W").ravel().toFloatVector(), out.getParam("b").getFloat(0))
            .outputActivation(org.recommender.core.scoring.Activation.IDENTITY)
            .metadata("trained_by", "model-tools " + name);
        return new NcfModel(name, users, items, b.build());
    }

    private static float[][] concatRows(float[][] a, float[][] b) {
        float[][] c = new float[a.length][];
        for (int r = 0; r < a.length; r++) {
            c[r] = new float[a[r].length + b[r].length];
            System.arraycopy(a[r], 0, c[r], 0, a[r].length);
            System.arraycopy(b[r], 0, c[r], a[r].length, b[r].length);
        }
        return c;
    }
}
