package org.recommender.tools.cli;

import picocli.CommandLine.Option;

/** Where the vectors live in the cluster: the options of every command that reads or writes the two indices. */
public final class IndexNames {
    @Option(names = "--users-index", paramLabel = "INDEX", defaultValue = "users", description = "Index of user vectors (default: ${DEFAULT-VALUE}).")
    String users;

    @Option(names = "--items-index", paramLabel = "INDEX", defaultValue = "items", description = "Index of item vectors (default: ${DEFAULT-VALUE}).")
    String items;

    @Option(names = "--field", paramLabel = "FIELD", defaultValue = "embedding", description = "Vector field in both indices (default: ${DEFAULT-VALUE}).")
    String field;
}
