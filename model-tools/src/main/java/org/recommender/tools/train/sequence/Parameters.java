package org.recommender.tools.train.sequence;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable variables of one SameDiff graph with their Adam state: created with seeded initial values (from a
 * {@link SplittableRandom}, so a seed fixes them whatever ND4J's own generator does), updated in place after each
 * gradient. A hand-held Adam rather than {@code SameDiff.fit}, so the trainer owns the batches (left-padded windows,
 * dropout masks drawn from its own seeded generator) and the loop ({@code EpochLoop}).
 */
final class Parameters {
    private final SameDiff sd;
    private final SplittableRandom random;
    private final Adam adam;
    private final Map<String, AdamUpdater> updaters = new LinkedHashMap<>();
    private int iteration;

    Parameters(SameDiff sd, SplittableRandom random, double learningRate) {
        this.sd = sd;
        this.random = random;
        this.adam = new Adam(learningRate);
    }

    /** @return a variable of normal(0, std) values */
    SDVariable normal(String name, double std, long... shape) {
        float[] v = new float[(int) count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return add(name, Nd4j.create(v, shape, 'c'));
    }

    /** @return a variable of {@code value}s */
    SDVariable constant(String name, float value, long... shape) {
        return add(name, Nd4j.valueArrayOf(shape, value, DataType.FLOAT));
    }

    private SDVariable add(String name, INDArray init) {
        SDVariable v = sd.var(name, init);
        AdamUpdater updater = new AdamUpdater(adam);
        long n = init.length();
        updater.setStateViewArray(Nd4j.zeros(DataType.FLOAT, 1, 2 * n), init.shape(), 'c', true);
        updaters.put(name, updater);
        return v;
    }

    /** @return the names, in creation order */
    List<String> names() {
        return new ArrayList<>(updaters.keySet());
    }

    /** @return the current values of a variable, row-major */
    float[] values(String name) {
        return sd.getVariable(name).getArr().dup('c').data().asFloat();
    }

    /** @return the current value of a 2-D variable as rows */
    float[][] rows(String name) {
        return sd.getVariable(name).getArr().toFloatMatrix();
    }

    /** Overwrites a variable's values (tests set chosen weights). */
    void set(String name, float[] values) {
        INDArray arr = sd.getVariable(name).getArr();
        arr.assign(Nd4j.create(values, arr.shape(), 'c'));
    }

    /** One Adam step on every variable from {@code gradients} (consumed: Adam turns them into the updates in place). */
    void step(Map<String, INDArray> gradients) {
        for (Map.Entry<String, AdamUpdater> e : updaters.entrySet()) {
            INDArray g = gradients.get(e.getKey());
            if (g == null) {
                continue; // a variable the loss does not reach
            }
            e.getValue().applyUpdater(g, iteration, 0);
            sd.getVariable(e.getKey()).getArr().subi(g);
        }
        iteration++;
    }

    private double spare = Double.NaN;

    /** Box–Muller from the seeded generator. */
    private double gaussian() {
        if (Double.isNaN(spare) == false) {
            double s = spare;
            spare = Double.NaN;
            return s;
        }
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2 * Math.log(1 - u1));
        spare = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
