package org.recommender.tools.train.sequence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.recommender.tools.data.UserSequences;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A diagnostic, not part of the suite (the class name does not end in {@code Test}): how long one SameDiff training
 * step of SASRec takes, for a tiny and an ML-100K-sized network. Run it alone:
 * {@code mvn test -pl model-tools -Dtest=SasRecStepTiming}.
 */
class SasRecStepTiming {
    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stepTimes() {
        EncoderForwardTest.oneNativeThread();
        time("tiny: 20 items, d 8, M 5, 1 block, batch 4", 20, 8, 5, 1, 4);
        time("ML-100K size: 1682 items, d 64, M 50, 2 blocks, batch 128", 1682, 64, 50, 2, 128);
    }

    private static void time(String what, int items, int dims, int length, int blocks, int batch) {
        SplittableRandom random = new SplittableRandom(1);
        int[][] rows = new int[batch][];
        for (int r = 0; r < batch; r++) {
            rows[r] = new int[length + 1];
            for (int k = 0; k < rows[r].length; k++) {
                rows[r][k] = random.nextInt(items);
            }
        }
        SequenceWindows windows = new SequenceWindows(UserSequences.wrap(rows), length);
        SasRecNetwork network = new SasRecNetwork(items, dims, length, 1, blocks, dims, 1f, 1e-8, 0.2, 1e-3, 0.02, random);
        int[] order = windows.shuffled(random);
        for (int step = 1; step <= 3; step++) {
            long start = System.nanoTime();
            double loss = network.step(windows.batch(order, 0, Math.min(batch, order.length)), random);
            System.out.printf(Locale.ROOT, "%s: step %d took %.2f s (loss %.4f)%n", what, step, (System.nanoTime() - start) / 1e9, loss);
        }
        long start = System.nanoTime();
        network.encode(new int[][] { java.util.Arrays.copyOf(rows[0], length) });
        System.out.printf(Locale.ROOT, "%s: one encode took %.2f s%n", what, (System.nanoTime() - start) / 1e9);
    }
}
