package org.recommender.core.scoring;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DotKernelTest {
    private final SplittableRandom random = new SplittableRandom(11);

    @Test
    void everyDotKernelTheProviderBuildsAgreesWithNaiveReferenceToOneInHundredThousand() {
        List<DotKernel> kernels = KernelProvider.withCrossover(1).dotKernels();
        assertEquals(List.of(Kernel.JAVA, Kernel.ND4J), kernels.stream().map(DotKernel::kernel).toList());
        assertEquals(List.of(SimdDotKernel.INSTANCE), KernelProvider.jvmOnly().dotKernels());
        DotKernel simdKernel = kernels.get(0);
        DotKernel nd4j = kernels.get(1);
        // grows, shrinks (reuses the larger staging buffer), and changes dimension
        int[][] shapes = { { 1, 8 }, { 37, 64 }, { 1000, 64 }, { 5, 64 }, { 300, 17 }, { 2, 129 } };
        for (int[] shape : shapes) {
            int n = shape[0], d = shape[1];
            float[] user = vector(d);
            float[][] items = new float[n + 3][];
            for (int i = 0; i < items.length; i++) {
                items[i] = vector(d);
            }
            float[] simd = new float[n];
            float[] nd = new float[n + 3];
            nd[n] = 42f; // must stay untouched: only `count` outputs are written
            simdKernel.dot(user, items, n, simd);
            nd4j.dot(user, items, n, nd);
            for (int i = 0; i < n; i++) {
                double expected = 0;
                for (int k = 0; k < d; k++) {
                    expected += (double) user[k] * items[i][k];
                }
                double tolerance = 1e-5 * Math.max(1, Math.abs(expected));
                assertEquals(expected, simd[i], tolerance, "simd n=" + n + " d=" + d + " i=" + i);
                assertEquals(expected, nd[i], tolerance, "nd4j n=" + n + " d=" + d + " i=" + i);
            }
            assertEquals(42f, nd[n]);
        }
    }

    @Test
    void nd4jKernelIsSafeAcrossThreads() throws Exception {
        Nd4jDotKernel nd4j = new Nd4jDotKernel();
        int d = 32;
        float[][] items = new float[200][];
        for (int i = 0; i < items.length; i++) {
            items[i] = vector(d);
        }
        float[][] users = new float[4][];
        for (int u = 0; u < users.length; u++) {
            users[u] = vector(d);
        }
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                float[] expected = new float[items.length];
                float[] actual = new float[items.length];
                SimdDotKernel.INSTANCE.dot(users[id], items, items.length, expected);
                boolean same = true;
                for (int rep = 0; rep < 50; rep++) {
                    nd4j.dot(users[id], items, items.length - rep, actual);
                    for (int i = 0; i < items.length - rep; i++) {
                        same &= Math.abs(expected[i] - actual[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i]));
                    }
                }
                ok[id] = same;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (boolean b : ok) {
            assertTrue(b);
        }
    }

    private float[] vector(int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }
}
