package org.recommender.tools.train.neural;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
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
 * [user_embedding] and [item_embedding] are bias-free identity embeddings of {@code g + m} values per row, laid out
 * as the bundle's vectors, GMF slice first; [gmf_user], [gmf_item], [mlp_user], [mlp_item] are subsets of them.
 * (One table per side rather than four: DL4J's embedding layer reads its indices element by element, which made the
 * four-table NeuMF twice as slow per minibatch as the two-table MLP.) [gmf] is the element-wise product of the GMF
 * slices; [mlp_in] concatenates the MLP slices user first (the bundle's {@code h_0 = concat(u[g:], v[g:])});
 * [tower0..] are ReLU dense layers; [concat] joins GMF first, tower second (the bundle's output weight order);
 * [out] is one sigmoid unit trained with binary cross-entropy. Without GMF, [out] reads the tower directly.
 */
final class NcfNetwork {
    static final String USER = "user";
    static final String ITEM = "item";
    static final String USER_EMBEDDING = "user_embedding";
    static final String ITEM_EMBEDDING = "item_embedding";
    static final String GMF_USER = "gmf_user";
    static final String GMF_ITEM = "gmf_item";
    static final String MLP_USER = "mlp_user";
    static final String MLP_ITEM = "mlp_item";
    static final String OUT = "out";

    private NcfNetwork() {}

    static String tower(int layer) {
        return "tower" + layer;
    }

    /** @return an initialised graph for {@code users × items}, trained with Adam; with {@code withGmf} false, the NCF "MLP" model */
    static ComputationGraph build(NcfConfig config, int users, int items, boolean withGmf) {
        return build(config, users, items, withGmf, new Adam(config.learningRate()), config.seed());
    }

    private static ComputationGraphConfiguration.GraphBuilder start(NcfConfig config, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(updater)
            .l2(config.l2())
            .weightInit(WeightInit.XAVIER)
            .graphBuilder()
            .addInputs(USER, ITEM);
    }

    /** @return the NCF graph with the given optimiser and initialisation seed */
    static ComputationGraph build(NcfConfig config, int users, int items, boolean withGmf, IUpdater updater, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = start(config, updater, seed);
        int m = config.mlpDims();
        int gd = withGmf ? config.gmfDims() : 0;
        addEmbedding(g, USER_EMBEDDING, users, gd + m, USER);
        addEmbedding(g, ITEM_EMBEDDING, items, gd + m, ITEM);
        String mlpUser = USER_EMBEDDING;
        String mlpItem = ITEM_EMBEDDING;
        if (withGmf) {
            // SubsetVertex bounds are inclusive
            g.addVertex(GMF_USER, new SubsetVertex(0, gd - 1), USER_EMBEDDING);
            g.addVertex(GMF_ITEM, new SubsetVertex(0, gd - 1), ITEM_EMBEDDING);
            g.addVertex(MLP_USER, new SubsetVertex(gd, gd + m - 1), USER_EMBEDDING);
            g.addVertex(MLP_ITEM, new SubsetVertex(gd, gd + m - 1), ITEM_EMBEDDING);
            mlpUser = MLP_USER;
            mlpItem = MLP_ITEM;
        }
        g.addVertex("mlp_in", new MergeVertex(), mlpUser, mlpItem);
        int width = 2 * m;
        String previous = "mlp_in";
        List<Integer> layers = config.layers();
        for (int l = 0; l < layers.size(); l++) {
            g.addLayer(tower(l), new DenseLayer.Builder().nIn(width).nOut(layers.get(l)).activation(Activation.RELU).build(), previous);
            width = layers.get(l);
            previous = tower(l);
        }
        if (withGmf) {
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

    /**
     * @return the paper's GMF model alone, for pre-training: [user_embedding] ⊙ [item_embedding] ({@code g} values
     *     each) into [out]
     */
    static ComputationGraph buildGmf(NcfConfig config, int users, int items, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = start(config, new Adam(config.learningRate()), seed);
        addEmbedding(g, USER_EMBEDDING, users, config.gmfDims(), USER);
        addEmbedding(g, ITEM_EMBEDDING, items, config.gmfDims(), ITEM);
        g.addVertex("gmf", new ElementWiseVertex(ElementWiseVertex.Op.Product), USER_EMBEDDING, ITEM_EMBEDDING);
        g.addLayer(OUT, new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(config.gmfDims()).nOut(1).activation(Activation.SIGMOID)
            .build(), "gmf");
        g.setOutputs(OUT);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /**
     * Initialises NeuMF from pre-trained GMF and MLP graphs (He et al. 2017, section 3.4.1): embeddings side by side,
     * the MLP's tower as is, and the output weights {@code [α·h_gmf, (1−α)·h_mlp]} with bias
     * {@code α·b_gmf + (1−α)·b_mlp}, so NeuMF's first logit is exactly α·GMF's + (1−α)·MLP's.
     */
    static void initialiseFrom(ComputationGraph neumf, ComputationGraph gmf, ComputationGraph mlp, NcfConfig config, double alpha) {
        for (String table : new String[] { USER_EMBEDDING, ITEM_EMBEDDING }) {
            INDArray target = neumf.getLayer(table).getParam("W");
            target.assign(Nd4j.hstack(gmf.getLayer(table).getParam("W"), mlp.getLayer(table).getParam("W")));
        }
        for (int l = 0; l < config.layers().size(); l++) {
            neumf.getLayer(tower(l)).getParam("W").assign(mlp.getLayer(tower(l)).getParam("W"));
            neumf.getLayer(tower(l)).getParam("b").assign(mlp.getLayer(tower(l)).getParam("b"));
        }
        INDArray out = Nd4j.vstack(gmf.getLayer(OUT).getParam("W").mul(alpha), mlp.getLayer(OUT).getParam("W").mul(1 - alpha));
        neumf.getLayer(OUT).getParam("W").assign(out);
        neumf.getLayer(OUT).getParam("b").assign(gmf.getLayer(OUT).getParam("b").mul(alpha).add(mlp.getLayer(OUT).getParam("b").mul(1 - alpha)));
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
        // the embedding tables are already the bundle's vectors: [gmf slice, mlp slice] per row
        float[][] users = graph.getLayer(USER_EMBEDDING).getParam("W").toFloatMatrix();
        float[][] items = graph.getLayer(ITEM_EMBEDDING).getParam("W").toFloatMatrix();
        int g = withGmf ? config.gmfDims() : 0;
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
}
