package org.recommender.tools.train.sequence;

import org.junit.jupiter.api.Test;
import org.recommender.core.encoder.UserEncoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient-free checks that the trained networks compute the format's encoders: on random weights and histories of
 * every length, the trainer's hand-written forward (SASRec, GRU4Rec) equals a double-precision
 * evaluation of the spec's formulas ({@link SpecReference}) and the core's {@code UserEncoder} compiled from the exported bundle — the one the plugin
 * runs — to 1e-5 relative (scaled by max(1, |x|), as the core's own agreement test); padding never matters; and the
 * training loss is the next-item cross-entropy of those encodings.
 */
class EncoderForwardTest {
    private static final int ITEMS = 40;
    private static final int MAX_LENGTH = 7;

    private static SasRecNetwork sasrec(SplittableRandom random) {
        // 2 heads of 4 dims, 2 blocks, a feed-forward width unlike d, a non-trivial input scale
        return new SasRecNetwork(new SasRecLayout(ITEMS, 8, MAX_LENGTH, 2, 2, 12), 1.7, 1e-8, 0.3, 1e-3, 0.02, random);
    }

    private static Gru4RecNetwork gru(SplittableRandom random) {
        // hidden width unlike d
        return new Gru4RecNetwork(new Gru4RecLayout(ITEMS, 6, 5, MAX_LENGTH), 0.3, 1e-3, 0.02, random);
    }

    /** @return {@code network}'s weights replaced by random values (gains near 1), loaded into it */
    private static EncoderWeights randomize(SequenceNetwork<?> network, SplittableRandom random) {
        EncoderWeights shape = network.weights();
        Map<String, float[]> blocks = new LinkedHashMap<>();
        shape.blocks().forEach((name, b) -> {
            float[] v = new float[b.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((name.endsWith(".gain") ? 1 : 0) + (random.nextDouble() * 2 - 1) * 0.5);
            }
            blocks.put(name, v);
        });
        float[][] items = new float[shape.items().length][shape.items()[0].length];
        for (float[] row : items) {
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        EncoderWeights w = new EncoderWeights(shape.type(), shape.fields(), blocks, items);
        network.load(w);
        return w;
    }

    private static int[][] histories(SplittableRandom random) {
        int[][] h = new int[2 * MAX_LENGTH][];
        for (int r = 0; r < h.length; r++) {
            h[r] = new int[1 + r % MAX_LENGTH]; // every length 1 … M, twice
            for (int k = 0; k < h[r].length; k++) {
                h[r][k] = random.nextInt(ITEMS);
            }
        }
        return h;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-5 * Math.max(1, Math.abs(expected)), what + ": expected " + expected + " but was " + actual);
    }

    private static void agree(SequenceNetwork<?> network, EncoderWeights w, boolean attention, SplittableRandom random) {
        int[][] histories = histories(random);
        float[][] trainer = network.encode(histories);
        UserEncoder core = SequenceModel.bundle(w, Map.of()).compileEncoder();
        for (int r = 0; r < histories.length; r++) {
            double[] reference = attention ? SpecReference.sasrec(w, histories[r]) : SpecReference.gru4rec(w, histories[r]);
            float[][] rows = new float[histories[r].length][];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = w.items()[histories[r][k]];
            }
            float[] served = core.encode(rows, rows.length);
            assertEquals(reference.length, trainer[r].length);
            for (int c = 0; c < reference.length; c++) {
                assertClose(reference[c], trainer[r][c], "trainer vs reference, history " + r + " element " + c);
                assertClose(served[c], trainer[r][c], "trainer vs core encoder, history " + r + " element " + c);
            }
        }
    }

    @Test
    void sasrecPassEqualsTheSpecAndTheCoreEncoder() {
        SplittableRandom random = new SplittableRandom(3);
        SasRecNetwork network = sasrec(random);
        agree(network, randomize(network, random), true, random);
    }

    /**
     * After training steps (dropout on), the exported bundle encodes as the trainer's own forward does: the weights
     * the trainer holds are what it exports.
     */
    @Test
    void trainedSasrecExportEncodesAsTheTrainer() {
        SplittableRandom random = new SplittableRandom(6);
        exportEncodesAsTheTrainer(sasrec(random), random);
    }

    /** As {@link #trainedSasrecExportEncodesAsTheTrainer()}, for GRU4Rec. */
    @Test
    void trainedGru4recExportEncodesAsTheTrainer() {
        SplittableRandom random = new SplittableRandom(7);
        exportEncodesAsTheTrainer(gru(random), random);
    }

    private static void exportEncodesAsTheTrainer(SequenceNetwork<?> network, SplittableRandom random) {
        int[][] rows = new int[30][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new int[3 + random.nextInt(12)];
            rows[r][0] = random.nextInt(ITEMS);
            for (int k = 1; k < rows[r].length; k++) {
                rows[r][k] = (rows[r][k - 1] + 1) % ITEMS;
            }
        }
        SequenceWindows windows = new SequenceWindows(org.recommender.tools.data.UserSequences.wrap(rows), MAX_LENGTH);
        EncoderWeights before = network.weights();
        for (int step = 0; step < 20; step++) {
            network.step(windows.batch(windows.shuffled(random), 0, 16), random);
        }
        EncoderWeights w = network.weights();
        // training moved every block, so the comparison below is of trained weights
        before.blocks().forEach((name, b) -> assertTrue(java.util.Arrays.equals(b, w.block(name)) == false, name + " did not change"));
        int[][] histories = histories(random);
        float[][] trainer = network.encode(histories);
        UserEncoder core = SequenceModel.bundle(w, Map.of()).compileEncoder();
        for (int r = 0; r < histories.length; r++) {
            float[][] vectors = new float[histories[r].length][];
            for (int k = 0; k < vectors.length; k++) {
                vectors[k] = w.items()[histories[r][k]];
            }
            float[] served = core.encode(vectors, vectors.length);
            for (int c = 0; c < served.length; c++) {
                assertClose(trainer[r][c], served[c], w.type() + " trainer vs core encoder, history " + r + " element " + c);
            }
        }
    }

    @Test
    void gru4recPassEqualsTheSpecAndTheCoreEncoder() {
        SplittableRandom random = new SplittableRandom(4);
        Gru4RecNetwork network = gru(random);
        agree(network, randomize(network, random), false, random);
    }

    /**
     * The loss the trainers minimise, pinned against a double-precision reference rather than a recorded number: on
     * random weights, a network's batch loss (no dropout) equals {@code Σ weight · (log Σ_i exp(u·e_i) − u·e_target)}
     * over the weighted positions, with u the spec's user vector ({@link SpecReference}) of the items up to the
     * position and e_i the item table's rows, to 1e-10 relative. GRU4Rec weighs every real position (its state starts
     * at zero at a window's first real item, so every prefix of a window encodes as a history); SASRec only each
     * window's newest position, since a shorter prefix keeps its position rows while the spec ends a history at row
     * M − 1.
     */
    @Test
    void trainingLossIsTheSpecsNextItemCrossEntropy() {
        SplittableRandom random = new SplittableRandom(8);
        lossAgrees(sasrec(random), true, random);
        lossAgrees(gru(random), false, random);
    }

    private static <M> void lossAgrees(SequenceNetwork<M> network, boolean attention, SplittableRandom random) {
        EncoderWeights w = randomize(network, random);
        int[][] histories = histories(random);
        Batch windows = SequenceWindows.forEncoding(histories, MAX_LENGTH);
        int[] targets = new int[windows.inputs().length];
        float[] weights = new float[targets.length];
        double expected = 0;
        for (int r = 0; r < histories.length; r++) {
            int n = histories[r].length;
            for (int t = attention ? n - 1 : 0; t < n; t++) {
                int at = r * MAX_LENGTH + windows.padding()[r] + t;
                targets[at] = random.nextInt(ITEMS);
                weights[at] = (float) (0.5 + random.nextDouble());
                int[] prefix = java.util.Arrays.copyOf(histories[r], t + 1);
                double[] u = attention ? SpecReference.sasrec(w, prefix) : SpecReference.gru4rec(w, prefix);
                expected += weights[at] * crossEntropy(u, w.items(), targets[at]);
            }
        }
        Batch batch = new Batch(windows.rows(), MAX_LENGTH, windows.inputs(), windows.padding(), targets, weights);
        double actual = network.lossAndGradient(batch, null, new double[network.parameters().length]);
        assertEquals(expected, actual, 1e-10 * Math.abs(expected), w.type() + " training loss vs the spec's cross-entropy");
    }

    /** @return −log softmax(u·Eᵀ)[target], in double precision */
    private static double crossEntropy(double[] u, float[][] items, int target) {
        double[] logits = new double[items.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < items.length; i++) {
            for (int c = 0; c < u.length; c++) {
                logits[i] += u[c] * items[i][c];
            }
            max = Math.max(max, logits[i]);
        }
        double total = 0;
        for (double l : logits) {
            total += Math.exp(l - max);
        }
        return max + Math.log(total) - logits[target];
    }

    /** What the padding positions hold never reaches a real position: padding is never attended (or, for the GRU, never read). */
    @Test
    void paddingNeverMatters() {
        SplittableRandom random = new SplittableRandom(5);
        for (SequenceNetwork<?> network : new SequenceNetwork<?>[] { sasrec(random), gru(random) }) {
            randomize(network, random);
            int[][] histories = histories(random);
            Batch clean = SequenceWindows.forEncoding(histories, MAX_LENGTH);
            int[] noisy = clean.inputs().clone();
            for (int r = 0; r < clean.rows(); r++) {
                for (int k = 0; k < clean.padding()[r]; k++) {
                    noisy[r * MAX_LENGTH + k] = random.nextInt(ITEMS);
                }
            }
            float[][] a = network.encode(clean);
            float[][] b = network.encode(new Batch(clean.rows(), MAX_LENGTH, noisy, clean.padding(), clean.targets(), clean.weights()));
            for (int r = 0; r < a.length; r++) {
                for (int c = 0; c < a[r].length; c++) {
                    assertEquals(a[r][c], b[r][c], 1e-6f * Math.max(1, Math.abs(a[r][c])), "row " + r + " with other padding items");
                }
            }
            // and one history encodes the same alone as in a batch beside others
            float[][] alone = network.encode(new int[][] { histories[3] });
            for (int c = 0; c < alone[0].length; c++) {
                assertEquals(a[3][c], alone[0][c], 1e-6f * Math.max(1, Math.abs(a[3][c])));
            }
        }
    }

    /** Windows cover every target once, left-padded, weighted so the batch loss is the mean over real positions. */
    @Test
    void windowsPredictEveryNextItemOnce() {
        int[][] rows = { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, { 4 }, { 17, 18 } };
        SequenceWindows windows = new SequenceWindows(org.recommender.tools.data.UserSequences.wrap(rows), 4);
        // user 0: ends 10, 6, 2; user 1: none; user 2: end 2
        assertEquals(4, windows.size());
        assertEquals(10, windows.targets());
        Batch b = windows.batch(new int[] { 0, 1, 2, 3 }, 0, 4);
        int[] counts = new int[20];
        float total = 0;
        for (int p = 0; p < b.targets().length; p++) {
            if (b.weights()[p] > 0) {
                counts[b.targets()[p]]++;
                total += b.weights()[p];
            }
        }
        assertEquals(1f, total, 1e-6f);
        for (int item = 2; item <= 10; item++) {
            assertEquals(1, counts[item], "item " + item);
        }
        assertEquals(1, counts[18]);
        // the first window: inputs 6..9 predict 7..10, no padding
        assertEquals(0, b.padding()[0]);
        assertEquals(6, b.inputs()[0]);
        assertEquals(10, b.targets()[3]);
        // user 0's last window: one prediction (1 → 2), three padding positions
        assertEquals(3, b.padding()[2]);
        assertEquals(1, b.inputs()[2 * 4 + 3]);
        assertEquals(2, b.targets()[2 * 4 + 3]);
    }
}
