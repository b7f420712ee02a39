package org.recommender.tools.cli;

import org.recommender.tools.data.CsvOptions;
import org.recommender.tools.data.InteractionFormat;
import org.recommender.tools.data.InteractionLoader;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.LoadOptions;
import org.recommender.tools.data.LoadResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How an interactions file is read (format, CSV columns, rating filter, bad lines), without the option naming the
 * file: {@link DataOptions} adds {@code --data} for {@code train} and {@code evaluate}, {@code index} pairs it with
 * {@code --seen-from}.
 */
public final class InteractionFileOptions {
    /** The names of the options declared here, for commands that check none is given without their file option. */
    static final List<String> NAMES = List.of("--format", "--delimiter", "--user-column", "--item-column", "--rating-column",
        "--timestamp-column", "--min-rating", "--skip-bad-lines");
    /** The options that choose a file's layout, which only formats that {@link InteractionFormat#namesColumns()} read. */
    private static final String[] LAYOUT_NAMES = { "--delimiter", "--user-column", "--item-column", "--rating-column", "--timestamp-column" };

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT",
        description = "ml-100k (u.data), ml-1m (ratings.dat), ml-20m (ratings.csv), lastfm (user_artists.dat), "
            + "ncf-rating (*.rating), jsonl (*.jsonl, *.ndjson) or csv; default: detected from the file name.")
    String format;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",", description = "CSV field delimiter; \\t for tab (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--user-column", paramLabel = "NAME", defaultValue = "user_id", description = "CSV/JSON field of user ids (default: ${DEFAULT-VALUE}).")
    String userColumn;

    @Option(names = "--item-column", paramLabel = "NAME", defaultValue = "item_id", description = "CSV/JSON field of item ids (default: ${DEFAULT-VALUE}).")
    String itemColumn;

    @Option(names = "--rating-column", paramLabel = "NAME", defaultValue = "rating",
        description = "CSV/JSON field of ratings or counts; optional in the file (default: ${DEFAULT-VALUE}).")
    String ratingColumn;

    @Option(names = "--timestamp-column", paramLabel = "NAME", defaultValue = "timestamp",
        description = "CSV/JSON field of integer timestamps; optional in the file, line order otherwise (default: ${DEFAULT-VALUE}).")
    String timestampColumn;

    @Option(names = "--min-rating", paramLabel = "R",
        description = "Keep only interactions rated at least R (e.g. 4 turns 1–5 stars into implicit positives; default: keep all).")
    Double minRating;

    @Option(names = "--skip-bad-lines", description = "Skip malformed lines and report how many, instead of stopping at the first.")
    boolean skipBadLines;

    /** @return the format {@code --format} names, else the one {@code data}'s name says */
    InteractionFormat format(Path data) {
        return format == null ? InteractionFormat.detect(data) : InteractionFormat.fromName(format);
    }

    /**
     * Loads {@code data}, showing how far the read got on {@code stderr} while it runs (a file of tens of millions of
     * rows takes a while; unless {@code quiet}), then reporting counts, skipped lines and filtered ratings there.
     */
    public Interactions load(Path data, boolean quiet, PrintWriter stderr) throws IOException {
        long start = System.nanoTime();
        InteractionFormat fileFormat = format(data);
        refuseFixedLayout(fileFormat, data);
        InteractionLoader loader = new InteractionLoader(data, fileFormat, csvOptions(),
            new LoadOptions(minRating == null ? Double.NEGATIVE_INFINITY : minRating, skipBadLines));
        LoadResult loaded;
        try (ProgressDisplay progress = ProgressDisplay.start("loading " + data.getFileName(), Files.size(data), ProgressDisplay.Unit.MEGABYTES,
            quiet, stderr)) {
            loaded = loader.load(progress::step);
        }
        Interactions log = loaded.interactions();
        stderr.printf(Locale.ROOT, "loaded %,d interactions (%,d users, %,d items) from %s as %s in %.1f s%n", log.size(), log.users().size(),
            log.items().size(), data, fileFormat.externalName(), (System.nanoTime() - start) / 1e9);
        if (loaded.skippedBadLines() > 0) {
            stderr.printf(Locale.ROOT, "skipped %,d malformed lines; the first: %s%n", loaded.skippedBadLines(), loaded.firstBadLine());
        }
        if (loaded.belowMinRating() > 0) {
            stderr.printf(Locale.ROOT, "dropped %,d interactions rated below %s%n", loaded.belowMinRating(), minRating);
        }
        stderr.flush();
        return log;
    }

    /**
     * Refuses the options that choose a layout ({@code --delimiter}, {@code --user-column} …) for a format whose layout
     * is fixed, before reading: they were ignored, and a user who gave them most likely meant the file to be read as
     * CSV. {@code jsonl} takes the column names but has no delimiter.
     */
    private void refuseFixedLayout(InteractionFormat fileFormat, Path data) {
        String which = "--format " + fileFormat.externalName() + (format == null ? " (detected from the name " + data.getFileName() + ")" : "");
        if (fileFormat.namesColumns() == false) {
            MatchedOptions.refuse(spec, "does not apply to " + which + ": its columns are fixed; to choose them, read the file with --format csv",
                LAYOUT_NAMES);
        } else if (fileFormat.choosesDelimiter() == false) {
            MatchedOptions.refuse(spec, "does not apply to " + which + ": the format has no delimiter", "--delimiter");
        }
    }

    /**
     * A rating or timestamp column named on the command line is required in the file: without it, it was read as
     * absent, all-1 ratings (rating models then report an RMSE near 0) or line order for time. The loader refuses
     * it at the header (a JSON lines file: at the record), not after reading the whole file.
     */
    private CsvOptions csvOptions() {
        String d = delimiter.equals("\\t") ? "\t" : delimiter;
        if (d.length() != 1) {
            throw new ParameterException(spec.commandLine(), "--delimiter must be one character (or \\t) but was [" + delimiter + "]");
        }
        return new CsvOptions(d.charAt(0), userColumn, itemColumn, ratingColumn, timestampColumn, MatchedOptions.given(spec, "--rating-column"),
            MatchedOptions.given(spec, "--timestamp-column"));
    }
}
