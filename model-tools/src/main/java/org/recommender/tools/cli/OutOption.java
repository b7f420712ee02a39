package org.recommender.tools.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The {@code --out DIR} of the commands that write a directory ({@code train}, {@code import}, {@code evaluate},
 * {@code tune}): each checks it before it reads its input, by the rule of what it writes there
 * ({@link org.recommender.tools.output.TrainingOutput#requireUsable}, {@link org.recommender.tools.output.OutputDirectory#requireUsable}).
 * An unusable directory was found only when the results were written, after the loading and training.
 */
final class OutOption {
    private OutOption() {}

    /**
     * @param rule throws {@link IllegalArgumentException} starting with {@code [out]} when {@code out} cannot be written
     * @throws ParameterException with the rule's message after {@code --out}
     */
    static void require(CommandSpec spec, Path out, Consumer<Path> rule) {
        try {
            rule.accept(out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--out " + e.getMessage());
        }
    }
}
