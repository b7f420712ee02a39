package org.recommender.tools.train;

import java.util.ArrayList;
import java.util.List;

/** A listener for trainer tests: records each epoch's loss and adds up the progress steps reported. */
public final class RecordingListener implements TrainingListener {
    private final List<Double> losses = new ArrayList<>();
    private long steps;

    @Override
    public void steps(long count) {
        steps += count;
    }

    @Override
    public void epochDone(int epoch, double loss) {
        losses.add(loss);
    }

    /** @return each finished epoch's loss, in order */
    public List<Double> losses() {
        return losses;
    }

    /** @return the steps reported so far */
    public long steps() {
        return steps;
    }
}
