package org.recommender.tools.train.neural;

import org.nd4j.linalg.factory.Nd4j;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.SyntheticConfig;
import org.recommender.tools.data.SyntheticInteractions;
import org.recommender.tools.eval.Holdout;
import org.recommender.tools.eval.HoldoutSplit;

import java.io.IOException;

/** Planted-cluster data as in {@code BprTrainerTest}, smaller so DL4J trains it in seconds on two cores. */
final class NeuralTestData {
    private NeuralTestData() {}

    static HoldoutSplit planted(long seed) throws IOException {
        Interactions.Builder rows = new Interactions.Builder();
        new SyntheticInteractions(new SyntheticConfig(600, 300, 20, 10, 0.1, 1.0, seed)).generate(rows::add);
        return Holdout.LATEST.apply(rows.build());
    }

    /**
     * One native thread: on the two shared cores tests run on, OpenMP/OpenBLAS workers spin against other processes
     * and a NeuMF epoch took ~1.5x longer with two threads than with one.
     */
    static void oneNativeThread() {
        Nd4j.factory().blas().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    /** Agreement as the core library measures it: relative, scaled by max(1, |x|). */
    static boolean close(float expected, float actual, double tolerance) {
        return Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected));
    }
}
