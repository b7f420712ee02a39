package org.recommender.tools.cli;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Runs one trainer with a progress bar and epoch messages (about ten lines without a terminal) and remembers what
 * the control recorded, for {@code train} and {@code evaluate} alike.
 */
final class TrainingRun {
    private final TrainingControl control;
    private final TrainedModel model;
    private final double seconds;

    private TrainingRun(TrainingControl control, TrainedModel model, double seconds) {
        this.control = control;
        this.model = model;
        this.seconds = seconds;
    }

    static TrainingRun of(Trainer trainer, UserItemMatrix train, EpochValidator validator, int patience, String label, boolean quiet,
        PrintWriter stderr) {
        long start = System.nanoTime();
        try (ProgressDisplay bar = ProgressDisplay.start(label, trainer.totalSteps(train), null, quiet, stderr)) {
            TrainingControl control = new TrainingControl(new TrainingListener() {
                @Override
                public void steps(long count) {
                    bar.step(count);
                }

                @Override
                public void epochDone(int epoch, double loss) {
                    if (validator == null) {
                        bar.message(String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, loss), epoch == 1 || epoch % 10 == 0);
                    }
                }

                @Override
                public void validated(int epoch, double score) {
                    bar.message(String.format(Locale.ROOT, "epoch %d validation ndcg@10 %.4f", epoch, score), epoch == 1 || epoch % 10 == 0);
                }

                @Override
                public void kept(int epoch, int epochs, double score) {
                    bar.message(String.format(Locale.ROOT, "kept epoch %d of %d (validation ndcg@10 %.4f)", epoch, epochs, score), true);
                }
            }, validator, patience);
            TrainedModel model = trainer.fit(train, control);
            return new TrainingRun(control, model, (System.nanoTime() - start) / 1e9);
        }
    }

    TrainingControl control() {
        return control;
    }

    TrainedModel model() {
        return model;
    }

    double seconds() {
        return seconds;
    }
}
