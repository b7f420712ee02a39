package org.recommender.tools.cli;

import org.recommender.tools.data.Interactions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The interaction-file options {@code train} and {@code evaluate} share, and the load they drive. */
public final class DataOptions {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Interactions file.")
    Path data;

    @Mixin
    InteractionFileOptions reading;

    /** @return the interactions file */
    public Path file() {
        return data;
    }

    /** @return how reports name the data, e.g. {@code MovieLens 100K (u.data)} */
    public String describe() {
        return reading.format(data).describe(data);
    }

    /** Loads the file, showing progress (unless {@code quiet}), counts, skipped lines and filtered ratings on {@code stderr}. */
    public Interactions load(boolean quiet, PrintWriter stderr) throws IOException {
        return reading.load(data, quiet, stderr);
    }
}
