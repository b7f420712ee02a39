package org.recommender.tools.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Refuses options a command read but would ignore in the combination given, rather than ignoring them silently. */
final class MatchedOptions {
    private MatchedOptions() {}

    /**
     * @param why how the error goes on after the option's name, e.g. {@code applies to --protocol ncf only}
     * @throws ParameterException naming the first of {@code names} given on the command line
     */
    static void refuse(CommandSpec spec, String why, String... names) {
        ParseResult parsed = spec.commandLine().getParseResult();
        for (String name : names) {
            if (parsed != null && parsed.hasMatchedOption(name)) {
                throw new ParameterException(spec.commandLine(), name + " " + why);
            }
        }
    }
}
