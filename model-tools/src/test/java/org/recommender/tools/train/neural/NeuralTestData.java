package org.recommender.tools.train.neural;

import org.nd4j.linalg.factory.Nd4j;
import org.recommender.tools.train.PlantedData;

import java.io.IOException;

/** Planted-cluster data as in {@code BprTrainerTest}, smaller so DL4J trains it in seconds on two cores. */
final class NeuralTestData {
    private NeuralTestData() {}

    static PlantedData planted(long seed) throws IOException {
        return PlantedData.of(600, 300, seed);
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
