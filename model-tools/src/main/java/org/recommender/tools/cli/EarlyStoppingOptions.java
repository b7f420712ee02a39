package org.recommender.tools.cli;

import org.recommender.tools.train.TrainingControl;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The early-stopping options {@code train}, {@code evaluate} and {@code tune} share, so the three mean the same by
 * "defaults": iterative trainers are judged on the validation split after every epoch and stop after
 * {@link TrainingControl#DEFAULT_PATIENCE} epochs without a better NDCG@10, keeping the best epoch's model.
 */
final class EarlyStoppingOptions {
    @Option(names = "--patience", paramLabel = "EPOCHS", defaultValue = "" + TrainingControl.DEFAULT_PATIENCE,
        description = "Early stopping: epochs without a better validation NDCG@10 before stopping; the best epoch's model is kept "
            + "(default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--no-early-stopping", description = "Train every epoch and keep the last model; the validation split is not looked at.")
    boolean off;

    /**
     * @param spec the command, for the error
     * @return the patience in epochs, at least 1, or 0 when early stopping is off
     * @throws ParameterException when {@code --patience} is below 1
     */
    int patience(CommandSpec spec) {
        if (patience < 1) {
            throw new ParameterException(spec.commandLine(), "--patience must be at least 1 but was " + patience);
        }
        return off ? 0 : patience;
    }
}
