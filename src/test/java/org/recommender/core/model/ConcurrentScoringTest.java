package org.recommender.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.KernelProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One compiled model shared by several threads gives each thread exactly what it gets alone. */
class ConcurrentScoringTest {
    @BeforeAll
    static void loadNd4j() {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
    }

    @Test
    void threadsSharingModelsGetTheSingleThreadedScores() throws Exception {
        List<ScoringModel> models = List.of(
            RandomModels.mlp(32, new int[] { 48, 16 }, 1).compile(KernelProvider.withCrossover(64)),
            RandomModels.neumf(32, 16, new int[] { 16, 8 }, 2, Activation.SIGMOID).compile(KernelProvider.withCrossover(64)),
            ModelBundle.builder("cosine").dims(32).itemBias(BiasSource.LAST_DIMENSION).userDims(31).build().compile()
        );
        SplittableRandom r = new SplittableRandom(4);
        int threads = 4;
        float[][] users = new float[threads][];
        float[][] items = new float[400][];
        for (int t = 0; t < threads; t++) {
            users[t] = RandomModels.vector(r, 32);
        }
        for (int i = 0; i < items.length; i++) {
            items[i] = RandomModels.vector(r, 32);
        }
        // Alone: per model, per thread's user, batches of 400 (ND4J), 30 (Java) and single calls.
        float[][][] expected = new float[models.size()][threads][];
        for (int m = 0; m < models.size(); m++) {
            for (int t = 0; t < threads; t++) {
                expected[m][t] = run(models.get(m), fitting(users[t], models.get(m)), items);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    float[][] results = new float[models.size()][];
                    for (int rep = 0; rep < 20; rep++) {
                        for (int m = 0; m < models.size(); m++) {
                            results[m] = run(models.get(m), fitting(users[id], models.get(m)), items);
                        }
                    }
                    return results;
                }));
            }
            for (int t = 0; t < threads; t++) {
                float[][] got = futures.get(t).get();
                for (int m = 0; m < models.size(); m++) {
                    for (int i = 0; i < got[m].length; i++) {
                        float e = expected[m][t][i];
                        assertEquals(e, got[m][i], 1e-6 * Math.max(1, Math.abs(e)), "model " + m + " thread " + t + " score " + i);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] fitting(float[] user, ScoringModel model) {
        return java.util.Arrays.copyOf(user, model.userDims());
    }

    /** 400 batched + 30 batched + 30 single scores, concatenated. */
    private static float[] run(ScoringModel model, float[] user, float[][] items) {
        float[] out = new float[460];
        float[] big = new float[400];
        model.score(user, items, 400, big);
        System.arraycopy(big, 0, out, 0, 400);
        float[] small = new float[30];
        model.score(user, items, 30, small);
        System.arraycopy(small, 0, out, 400, 30);
        for (int i = 0; i < 30; i++) {
            out[430 + i] = model.score(user, items[i]);
        }
        return out;
    }
}
