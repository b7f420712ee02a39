package org.recommender.tools.cli;

import org.recommender.tools.data.InteractionCsvWriter;
import org.recommender.tools.data.SyntheticConfig;
import org.recommender.tools.data.SyntheticInteractions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code model-tools generate}: writes synthetic interactions with a planted cluster structure. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
        "Write synthetic implicit-feedback interactions as CSV (user_id,item_id,rating,timestamp).",
        "Items fall into taste clusters with Zipf popularity; each user draws mostly from two clusters, so a "
            + "collaborative model can beat a popularity ranking. The same options and seed give the same file." }
)
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write (parent folders are created).")
    Path out;

    @Option(names = "--users", paramLabel = "N", defaultValue = "1000", description = "Number of users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", paramLabel = "N", defaultValue = "500", description = "Number of items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--interactions-per-user", defaultValue = "20", paramLabel = "N",
        description = "Mean interactions per user; each user gets N/2 to 3N/2 distinct items (default: ${DEFAULT-VALUE}).")
    int perUser;

    @Option(names = "--clusters", paramLabel = "N", defaultValue = "10", description = "Number of taste clusters (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--noise", paramLabel = "SHARE", defaultValue = "0.1",
        description = "Share of interactions drawn from global popularity instead of the user's clusters (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--popularity-skew", paramLabel = "S", defaultValue = "1.0",
        description = "Zipf exponent of item popularity; 0 = uniform (default: ${DEFAULT-VALUE}).")
    double skew;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SyntheticConfig config;
        try {
            config = new SyntheticConfig(users, items, perUser, clusters, noise, skew, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long rows;
        try (InteractionCsvWriter writer = new InteractionCsvWriter(out)) {
            rows = new SyntheticInteractions(config).generate(writer::write);
        }
        spec.commandLine().getOut().printf(
            "wrote %,d interactions (%,d users, %,d items, %d clusters, seed %d) to %s%n",
            rows, users, items, clusters, seed, out
        );
        return ExitCodes.OK;
    }
}
