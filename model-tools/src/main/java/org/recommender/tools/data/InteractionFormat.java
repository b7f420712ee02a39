package org.recommender.tools.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The interaction file formats the loaders understand, and how each is recognised from its file name.
 */
public enum InteractionFormat {
    /** MovieLens 100K {@code u.data} (and its {@code u1.base}, {@code ua.test}… splits): {@code user\titem\trating\ttimestamp}. */
    MOVIELENS_100K("ml-100k", "MovieLens 100K"),
    /** MovieLens 1M / 10M {@code ratings.dat}: {@code user::item::rating::timestamp}. */
    MOVIELENS_1M("ml-1m", "MovieLens 1M/10M"),
    /** MovieLens 20M / 25M / latest {@code ratings.csv}: a CSV header {@code userId,movieId,rating,timestamp}. */
    MOVIELENS_20M("ml-20m", "MovieLens 20M/25M"),
    /**
     * HetRec 2011 Last.fm {@code user_artists.dat}: header {@code userID\tartistID\tweight}, tab-separated. The
     * weight (play count) is the rating, usable as confidence; there is no timestamp, so line order stands in.
     */
    LASTFM("lastfm", "HetRec 2011 Last.fm"),
    /**
     * The NCF release (He et al., WWW 2017) {@code *.train.rating} / {@code *.test.rating}:
     * {@code user\titem\trating\ttimestamp}, 0-based ids, no header. Its {@code *.test.negative} companion is
     * not an interaction log; {@link NcfNegativesReader} reads it.
     */
    NCF_RATING("ncf-rating", "NCF release"),
    /** JSON lines: one object per line, fields named as the CSV columns ({@code --user-column} …). */
    JSONL("jsonl", null),
    /** Any delimited text file with a header row naming the columns. */
    CSV("csv", null);

    private static final Pattern ML100K_NAME = Pattern.compile("u\\.data|u[1-5ab]\\.(base|test)");

    private final String externalName;
    private final String dataset;

    InteractionFormat(String externalName, String dataset) {
        this.externalName = externalName;
        this.dataset = dataset;
    }

    /**
     * @param file the interactions file read in this format
     * @return how reports name the data: the public data set and its file ({@code MovieLens 100K (u.data)}), or the
     *     file alone for a format any data can have
     */
    public String describe(Path file) {
        String name = file.getFileName().toString();
        return dataset == null ? name : dataset + " (" + name + ")";
    }

    /** @return the name used on the command line, e.g. {@code ml-100k} */
    public String externalName() {
        return externalName;
    }

    /**
     * @return whether the user names this format's fields ({@link CsvOptions}' column names): {@link #CSV} and
     *     {@link #JSONL}; the other formats fix their own layout
     */
    public boolean namesColumns() {
        return this == CSV || this == JSONL;
    }

    /** @return whether the user chooses this format's field separator ({@link CsvOptions#delimiter()}): {@link #CSV} only */
    public boolean choosesDelimiter() {
        return this == CSV;
    }

    /**
     * @param name a name as given to {@code --format}
     * @throws IllegalArgumentException listing the accepted names
     */
    public static InteractionFormat fromName(String name) {
        for (InteractionFormat f : values()) {
            if (f.externalName.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format [" + name + "]; expected one of " + names());
    }

    /**
     * Recognises a file by its name: {@code u.data} and the MovieLens 100K split files, {@code ratings.dat},
     * {@code ratings.csv} (ml-20m), {@code user_artists.dat} (lastfm), {@code *.rating} (ncf-rating),
     * {@code *.jsonl} / {@code *.ndjson}, and any other {@code .csv} / {@code .tsv} / {@code .txt} file as CSV.
     *
     * @throws IllegalArgumentException when the name says nothing, asking for {@code --format}
     */
    public static InteractionFormat detect(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (ML100K_NAME.matcher(name).matches()) {
            return MOVIELENS_100K;
        }
        if (name.equals("ratings.dat")) {
            return MOVIELENS_1M;
        }
        if (name.equals("ratings.csv")) {
            return MOVIELENS_20M;
        }
        if (name.equals("user_artists.dat")) {
            return LASTFM;
        }
        if (name.endsWith(".rating")) {
            return NCF_RATING;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (name.endsWith(".negative")) {
            // a likely slip: the NCF negatives file sits next to the rating files but holds candidates, not a log
            throw new IllegalArgumentException(file + " is an NCF negatives file (candidates for evaluation), not interactions; "
                + "train on the matching .train.rating file");
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return CSV;
        }
        throw new IllegalArgumentException(
            "cannot tell the format of " + file + " from its name; pass --format with one of " + names()
        );
    }

    private static String names() {
        return Arrays.stream(values()).map(InteractionFormat::externalName).collect(Collectors.joining(", ", "[", "]"));
    }
}
