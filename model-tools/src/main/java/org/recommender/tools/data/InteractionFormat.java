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
    MOVIELENS_100K("ml-100k"),
    /** MovieLens 1M / 10M {@code ratings.dat}: {@code user::item::rating::timestamp}. */
    MOVIELENS_1M("ml-1m"),
    /** Any delimited text file with a header row naming the columns. */
    CSV("csv");

    private static final Pattern ML100K_NAME = Pattern.compile("u\\.data|u[1-5ab]\\.(base|test)");

    private final String externalName;

    InteractionFormat(String externalName) {
        this.externalName = externalName;
    }

    /** @return the name used on the command line, e.g. {@code ml-100k} */
    public String externalName() {
        return externalName;
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
     * Recognises a file by its name: {@code u.data} and the MovieLens 100K split files, {@code ratings.dat}, and any
     * {@code .csv} / {@code .tsv} / {@code .txt} file as CSV.
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
