package org.recommender.tools.train.sequence;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What every SameDiff sequence network shares: the graph, its trainable {@link Parameters}, the Adam step on a batch
 * (the graph's {@code loss} with the {@code targets} and {@code weights} placeholders) and encoding through its
 * {@code user} output. Subclasses build the graph and say how a batch feeds it.
 */
abstract class SameDiffNetwork implements SequenceNetwork {
    protected final SameDiff sd = SameDiff.create();
    protected final Parameters params;
    protected final int maxLength;

    /**
     * @param maxLength M, the window length
     * @param random seeds the initial weights
     * @param learningRate Adam step size
     */
    SameDiffNetwork(int maxLength, SplittableRandom random, double learningRate) {
        this.maxLength = maxLength;
        this.params = new Parameters(sd, random, learningRate);
    }

    /**
     * The batch's placeholders other than {@code targets} and {@code weights}: inputs, masks, dropout masks (all
     * ones without {@code random}) and the newest position per window.
     */
    protected abstract Map<String, INDArray> feed(Batch batch, SplittableRandom random);

    @Override
    public final double step(Batch batch, SplittableRandom random) {
        Map<String, INDArray> feed = feed(batch, random);
        feed.put("targets", Nd4j.createFromArray(batch.targets()));
        feed.put("weights", Nd4j.createFromArray(batch.weights()).reshape(-1, 1));
        OutAndGrad out = sd.calculateGradientsAndOutputs(feed, List.of("loss"), params.names());
        double loss = out.getOutputs().get("loss").getDouble(0);
        params.step(out.getGradients());
        forgetSessions();
        return loss;
    }

    @Override
    public final float[][] encode(int[][] histories) {
        return encode(SequenceWindows.forEncoding(histories, maxLength));
    }

    @Override
    public final float[][] encode(Batch batch) {
        float[][] users = sd.output(feed(batch, null), "user").get("user").toFloatMatrix();
        forgetSessions();
        return users;
    }

    @Override
    public final int maxLength() {
        return maxLength;
    }

    /**
     * Drops SameDiff's cached execution sessions (this graph's and its gradient function's): reused across steps,
     * their dependency tracking grew with every call and came to dominate training (SameDiff 1.0.0-M2.1).
     */
    private void forgetSessions() {
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            grad.getSessions().clear();
        }
    }

    /** @return the parts one after another */
    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
