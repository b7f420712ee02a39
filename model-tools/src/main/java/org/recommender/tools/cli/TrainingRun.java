package org.recommender.tools.cli;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one trainer with a progress bar and epoch messages (about ten lines without a terminal) and remembers what
 * the control recorded, for {@code train}, {@code evaluate} and {@code tune} alike. A phase the trainer announces
 * (e.g. a native factorisation that reports nothing while it runs) is printed when it starts and repeated with its
 * elapsed time, so a log is never silent for longer than {@link ProgressDisplay}'s few seconds.
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
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "training-heartbeat");
            t.setDaemon(true);
            return t;
        });
        try (ProgressDisplay bar = ProgressDisplay.start(label, trainer.totalSteps(train), null, quiet, stderr)) {
            // the phase in progress and when it began; null between phases
            AtomicReference<String> phase = new AtomicReference<>();
            AtomicLong phaseStart = new AtomicLong();
            heartbeat.scheduleAtFixedRate(() -> {
                String what = phase.get();
                if (what != null) {
                    // not a milestone: the display prints it only once the log has been quiet for its few seconds
                    bar.message(String.format(Locale.ROOT, "%s: %.0f s", what, (System.nanoTime() - phaseStart.get()) / 1e9), false);
                }
            }, 1, 1, TimeUnit.SECONDS);
            TrainingControl control = new TrainingControl(new TrainingListener() {
                @Override
                public void steps(long count) {
                    bar.step(count);
                }

                @Override
                public void phase(String what) {
                    long now = System.nanoTime();
                    phaseStart.set(now);
                    phase.set(what);
                    // the time since the run began, so a log shows how long each phase took
                    bar.message(String.format(Locale.ROOT, "%s (at %.1f s)", what, (now - start) / 1e9), true);
                }

                @Override
                public void epochDone(int epoch, double loss) {
                    phase.set(null);
                    if (validator == null) {
                        bar.message(String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, loss), epoch == 1 || epoch % 10 == 0);
                    }
                }

                @Override
                public void validated(int epoch, double score) {
                    bar.message(String.format(Locale.ROOT, "epoch %d validation %s %.4f", epoch, validator.metric(), validator.shown(score)),
                        epoch == 1 || epoch % 10 == 0);
                }

                @Override
                public void kept(int epoch, int epochs, double score) {
                    bar.message(String.format(Locale.ROOT, "kept epoch %d of %d (validation %s %.4f)", epoch, epochs, validator.metric(),
                        validator.shown(score)), true);
                }
            }, validator, patience);
            TrainedModel model = trainer.fit(train, control);
            return new TrainingRun(control, model, (System.nanoTime() - start) / 1e9);
        } finally {
            heartbeat.shutdownNow();
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
