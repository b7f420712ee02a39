package org.recommender.core.model;

import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.InputPart;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A model described by its raw arrays, scored in double precision with plain loops that follow the formulas of
 * docs/model-format.md literally (concatenate, multiply, activate) — deliberately nothing like the kernels, which
 * fold the user into the first layer. Also builds the matching bundle.
 */
final class ReferenceModel {
    record Layer(int inputs, int outputs, Activation activation, float[] weights, float[] bias) {}

    final String type;
    final int userDims;
    final int itemDims;
    double globalBias;
    boolean userBias;
    boolean itemBias;
    List<InputPart> input = List.of();
    int gmfDims;
    final List<Layer> layers = new ArrayList<>();
    float[] outputWeights;
    float outputBias;
    Activation outputActivation = Activation.IDENTITY;

    ReferenceModel(String type, int userDims, int itemDims) {
        this.type = type;
        this.userDims = userDims;
        this.itemDims = itemDims;
    }

    static ReferenceModel similarity(String type, int userDims, int itemDims, boolean userBias, boolean itemBias, double globalBias) {
        ReferenceModel m = new ReferenceModel(type, userDims, itemDims);
        m.userBias = userBias;
        m.itemBias = itemBias;
        m.globalBias = globalBias;
        return m;
    }

    static ReferenceModel mlp(SplittableRandom r, int userDims, int itemDims, List<InputPart> input, int[] hidden, Activation[] acts, Activation out) {
        ReferenceModel m = new ReferenceModel("mlp", userDims, itemDims);
        m.input = input;
        int width = 0;
        for (InputPart p : input) {
            width += p == InputPart.ITEM ? itemDims : userDims;
        }
        m.addTower(r, width, hidden, acts);
        int last = hidden.length == 0 ? width : hidden[hidden.length - 1];
        m.outputWeights = random(r, last, 0.5);
        m.outputBias = (float) r.nextDouble(-0.5, 0.5);
        m.outputActivation = out;
        return m;
    }

    static ReferenceModel neumf(SplittableRandom r, int userDims, int itemDims, int g, int[] tower, Activation[] acts, Activation out) {
        ReferenceModel m = new ReferenceModel("neumf", userDims, itemDims);
        m.gmfDims = g;
        m.addTower(r, userDims - g + itemDims - g, tower, acts);
        m.outputWeights = random(r, g + tower[tower.length - 1], 0.5);
        m.outputBias = (float) r.nextDouble(-0.5, 0.5);
        m.outputActivation = out;
        return m;
    }

    private void addTower(SplittableRandom r, int width, int[] widths, Activation[] acts) {
        for (int i = 0; i < widths.length; i++) {
            double limit = Math.sqrt(6.0 / (width + widths[i]));
            layers.add(new Layer(width, widths[i], acts[i], random(r, width * widths[i], limit), random(r, widths[i], 0.2)));
            width = widths[i];
        }
    }

    static float[] random(SplittableRandom r, int n, double limit) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-limit, limit);
        }
        return v;
    }

    ModelBundle bundle() {
        ModelBundleBuilder b = ModelBundle.builder(type).userDims(userDims).itemDims(itemDims);
        switch (type) {
            case "dot", "cosine" -> b.globalBias(globalBias)
                .userBias(userBias ? BiasSource.LAST_DIMENSION : BiasSource.NONE)
                .itemBias(itemBias ? BiasSource.LAST_DIMENSION : BiasSource.NONE);
            default -> {
                if (type.equals("mlp")) {
                    b.input(input.toArray(InputPart[]::new));
                } else {
                    b.gmfDims(gmfDims);
                }
                for (Layer l : layers) {
                    b.layer(l.inputs(), l.outputs(), l.activation(), l.weights(), l.bias());
                }
                b.output(outputWeights, outputBias).outputActivation(outputActivation);
            }
        }
        return b.build();
    }

    double score(float[] u, float[] v) {
        return switch (type) {
            case "dot", "cosine" -> similarity(u, v);
            case "mlp" -> mlpScore(u, v);
            default -> neumfScore(u, v);
        };
    }

    private double similarity(float[] u, float[] v) {
        int d = userDims - (userBias ? 1 : 0);
        double dot = 0, uu = 0, vv = 0;
        for (int k = 0; k < d; k++) {
            dot += (double) u[k] * v[k];
            uu += (double) u[k] * u[k];
            vv += (double) v[k] * v[k];
        }
        double sim = dot;
        if (type.equals("cosine")) {
            sim = uu == 0 || vv == 0 ? 0 : Math.max(-1, Math.min(1, dot / Math.sqrt(uu * vv)));
        }
        return sim + (userBias ? u[userDims - 1] : 0) + (itemBias ? v[itemDims - 1] : 0) + (float) globalBias;
    }

    private double mlpScore(float[] u, float[] v) {
        List<Double> x = new ArrayList<>();
        for (InputPart p : input) {
            switch (p) {
                case USER -> { for (float f : u) x.add((double) f); }
                case ITEM -> { for (float f : v) x.add((double) f); }
                case PRODUCT -> { for (int k = 0; k < userDims; k++) x.add((double) u[k] * v[k]); }
            }
        }
        double[] h = tower(x.stream().mapToDouble(Double::doubleValue).toArray());
        return activate(outputActivation, dotWith(outputWeights, 0, h) + outputBias);
    }

    private double neumfScore(float[] u, float[] v) {
        double[] gmf = new double[gmfDims];
        for (int k = 0; k < gmfDims; k++) {
            gmf[k] = (double) u[k] * v[k];
        }
        double[] x = new double[userDims - gmfDims + itemDims - gmfDims];
        int j = 0;
        for (int k = gmfDims; k < userDims; k++) x[j++] = u[k];
        for (int k = gmfDims; k < itemDims; k++) x[j++] = v[k];
        double[] h = tower(x);
        double[] joined = new double[gmfDims + h.length];
        System.arraycopy(gmf, 0, joined, 0, gmfDims);
        System.arraycopy(h, 0, joined, gmfDims, h.length);
        return activate(outputActivation, dotWith(outputWeights, 0, joined) + outputBias);
    }

    private double[] tower(double[] x) {
        double[] h = x;
        for (Layer l : layers) {
            double[] next = new double[l.outputs()];
            for (int o = 0; o < l.outputs(); o++) {
                next[o] = activate(l.activation(), dotWith(l.weights(), o * l.inputs(), h) + l.bias()[o]);
            }
            h = next;
        }
        return h;
    }

    private static double dotWith(float[] w, int offset, double[] x) {
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            s += w[offset + k] * x[k];
        }
        return s;
    }

    static double activate(Activation a, double x) {
        return switch (a) {
            case RELU -> Math.max(0, x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case IDENTITY -> x;
        };
    }

    @Override
    public String toString() {
        return type + "(" + userDims + "/" + itemDims + ", input=" + input + ", g=" + gmfDims + ", layers="
            + layers.stream().map(l -> l.inputs() + "->" + l.outputs() + " " + l.activation()).toList() + ", out=" + outputActivation
            + ", biases=" + userBias + "/" + itemBias + "/" + globalBias + ")";
    }
}
