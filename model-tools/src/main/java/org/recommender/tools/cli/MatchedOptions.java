package org.recommender.tools.cli;

import org.recommender.tools.eval.Protocol;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Refuses options a command read but would ignore in the combination given, rather than ignoring them silently. */
final class MatchedOptions {
    private MatchedOptions() {}

    /** @return whether the user gave {@code name} on the command line (not its default) */
    static boolean given(CommandSpec spec, String name) {
        ParseResult parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(name);
    }

    /**
     * @param why how the error goes on after the option's name, e.g. {@code applies to --protocol ncf only}
     * @throws ParameterException naming the first of {@code names} given on the command line
     */
    static void refuse(CommandSpec spec, String why, String... names) {
        for (String name : names) {
            if (given(spec, name)) {
                throw new ParameterException(spec.commandLine(), name + " " + why);
            }
        }
    }

    /**
     * Refuses the options that only another protocol reads — one rule for {@code evaluate} and {@code tune}, which
     * read them the same way: {@code --negatives} (and {@code --negatives-file}) under ncf, {@code --split} under
     * random and temporal, {@code --folds} (and {@code --inner-folds}) under rating-kfold. Options a command does not
     * have are never matched.
     */
    static void refuseOtherProtocols(CommandSpec spec, Protocol protocol) {
        if (protocol != Protocol.NCF) {
            refuse(spec, "applies to --protocol ncf only", "--negatives", "--negatives-file");
        }
        if (protocol != Protocol.RANDOM && protocol != Protocol.TEMPORAL) {
            refuse(spec, "applies to --protocol random and temporal only", "--split");
        }
        if (protocol != Protocol.RATING_KFOLD) {
            refuse(spec, "applies to --protocol rating-kfold only", "--folds", "--inner-folds");
        }
    }
}
