package org.recommender.tools.cli;

import org.recommender.tools.train.registry.Algorithms;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code model-tools} command line: generate data, train embeddings, index them into OpenSearch, and ask the
 * cluster for recommendations. See {@code docs/model-tools.md}.
 */
@Command(
    name = "model-tools",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Offline tools for the OpenSearch recommender plugin: data, training, evaluation, indexing.",
    subcommands = { GenerateCommand.class, TrainCommand.class, EvaluateCommand.class, TuneCommand.class, ImportCommand.class, IndexCommand.class, UploadCommand.class, RecommendCommand.class, ParityCommand.class },
    footer = { "", "Exit codes: 0 success, 1 failure (cluster, checks), 2 bad option or input file." }
)
public final class ModelTools implements Runnable {
    // Lucene announces its SIMD support at INFO through java.util.logging; users do not need that. The field keeps
    // the configured logger from being garbage-collected (and its level with it).
    private static final Logger LUCENE_LOG = Logger.getLogger("org.apache.lucene");
    /** Wide enough for a row of the hyper-parameter table without wrapping. */
    private static final int HELP_WIDTH = 150;

    /** Declared here so picocli accepts it anywhere; {@link #main} reads it from the raw arguments. */
    @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean stackTrace;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of generate, train, evaluate, tune, import, index, upload, recommend");
    }

    /** @return a command line with this project's error handling, ready to {@link CommandLine#execute} */
    public static CommandLine commandLine(boolean stackTraces) {
        ErrorHandler errors = new ErrorHandler(stackTraces);
        CommandLine commandLine = new CommandLine(new ModelTools())
            .setExecutionExceptionHandler(errors)
            .setParameterExceptionHandler(errors)
            .setCaseInsensitiveEnumValuesAllowed(true);
        listParameters(commandLine.getSubcommands().get("train"), false);
        listParameters(commandLine.getSubcommands().get("evaluate"), true);
        footer(commandLine.getSubcommands().get("tune"), Algorithms.searchHelp());
        return commandLine;
    }

    /** Ends the command's {@code --help} with every algorithm's hyper-parameters, read from their declarations. */
    private static void listParameters(CommandLine command, boolean prefixed) {
        footer(command, Algorithms.help(prefixed));
    }

    private static void footer(CommandLine command, List<String> lines) {
        List<String> footer = new ArrayList<>();
        footer.add("");
        // picocli formats footer lines with String.format
        lines.forEach(line -> footer.add(line.replace("%", "%%")));
        command.getCommandSpec().usageMessage().width(HELP_WIDTH).footer(footer.toArray(String[]::new));
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        LUCENE_LOG.setLevel(Level.WARNING);
        int code;
        try {
            code = commandLine(Arrays.asList(args).contains("--stacktrace")).execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands on errors, so the JVM printed its own trace; say what to change instead
            System.err.printf(java.util.Locale.ROOT, "model-tools: out of memory (%s) with a heap of at most %,d MiB; give the JVM more, e.g. "
                + "MODEL_TOOLS_JAVA_OPTS=-Xmx8g, or make the run smaller (--dims, fewer items)%n", e.getMessage(), Runtime.getRuntime().maxMemory() >> 20);
            code = ExitCodes.FAILURE;
        }
        System.exit(code);
    }
}
