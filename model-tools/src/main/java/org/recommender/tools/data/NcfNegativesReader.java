package org.recommender.tools.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an NCF {@code *.test.negative} file (He et al., WWW 2017): each line is {@code (user,item)} followed by the
 * tab-separated ids of the sampled negative items (99 in the published files), e.g. {@code (0,25)\t1064\t174…}.
 *
 * <p>Ids are matched as text against the {@link IdMap}s of the loaded {@code *.train.rating} file and are never
 * added to them: the maps belong to the trained model, and an index it has no vector for would break scoring later
 * and far from the cause. What happens to an id the training data lacks is chosen with {@link UnknownIds}.
 *
 * <p>Malformed lines (syntax, a negative count that differs from the first line's — a truncated file — or a user
 * with two lines) fail with an {@link InteractionFileException} naming the file and 1-based line, or are skipped
 * and counted when asked.
 */
public final class NcfNegativesReader {
    /** What to do with an id that the training data does not know. */
    public enum UnknownIds {
        /** Fail on the first one, naming file, line and id (the default: the files are meant to match). */
        FAIL,
        /**
         * Drop the test case when its user or held-out item is unknown, and drop single unknown negatives; both are
         * counted in {@link NcfNegatives}. This is for a training file rebuilt or filtered differently from NCF's.
         */
        DROP
    }

    private final Path file;
    private final IdMap users;
    private final IdMap items;
    private final boolean skipBadLines;
    private final UnknownIds unknown;

    private NcfNegativesReader(Path file, IdMap users, IdMap items, boolean skipBadLines, UnknownIds unknown) {
        this.file = file;
        this.users = users;
        this.items = items;
        this.skipBadLines = skipBadLines;
        this.unknown = unknown;
    }

    /**
     * Reads strictly: fails on the first malformed line or unknown id.
     *
     * @param users the training data's user ids ({@link Interactions#users()})
     * @param items the training data's item ids ({@link Interactions#items()})
     */
    public static NcfNegatives read(Path file, IdMap users, IdMap items) throws IOException {
        return read(file, users, items, false, UnknownIds.FAIL);
    }

    /**
     * @param skipBadLines skip and count malformed lines instead of failing (unknown ids are governed by
     *     {@code unknown}, not by this)
     * @param unknown what to do with ids the training data does not know
     * @throws InteractionFileException for a malformed line (unless skipped), an unknown id under
     *     {@link UnknownIds#FAIL}, or a file with no usable test case
     */
    public static NcfNegatives read(Path file, IdMap users, IdMap items, boolean skipBadLines, UnknownIds unknown) throws IOException {
        return new NcfNegativesReader(file, users, items, skipBadLines, unknown).read();
    }

    private NcfNegatives read() throws IOException {
        List<NcfNegatives.TestCase> cases = new ArrayList<>();
        long[] lineOfUser = new long[users.size()];
        long lineNo = 0;
        long skipped = 0;
        long droppedCases = 0;
        long droppedNegatives = 0;
        int expectedNegatives = -1;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.isBlank()) {
                    continue;
                }
                RawCase raw;
                try {
                    raw = parse(line, expectedNegatives);
                    int user = users.indexOf(raw.user);
                    if (user != IdMap.ABSENT && lineOfUser[user] != 0) {
                        throw new IllegalArgumentException("user [" + raw.user + "] already has a test case on line " + lineOfUser[user]);
                    }
                } catch (IllegalArgumentException bad) {
                    if (skipBadLines == false) {
                        throw new InteractionFileException(file, lineNo, bad.getMessage());
                    }
                    skipped++;
                    continue;
                }
                // the first good line sets the count, so a cut-off last line is caught rather than ranked among fewer
                expectedNegatives = raw.negatives.length;
                int user = known(users, raw.user, "user", lineNo);
                int positive = known(items, raw.item, "held-out item", lineNo);
                if (user == IdMap.ABSENT || positive == IdMap.ABSENT) {
                    droppedCases++;
                    continue;
                }
                int[] negatives = new int[raw.negatives.length];
                int kept = 0;
                for (String id : raw.negatives) {
                    int item = known(items, id, "negative item", lineNo);
                    if (item == IdMap.ABSENT) {
                        droppedNegatives++;
                    } else {
                        negatives[kept++] = item;
                    }
                }
                lineOfUser[user] = lineNo;
                cases.add(new NcfNegatives.TestCase(lineNo, user, positive, Arrays.copyOf(negatives, kept)));
            }
        }
        if (cases.isEmpty()) {
            throw new InteractionFileException(file, lineNo, "no usable test cases (" + skipped + " malformed lines, " + droppedCases
                + " with a user or held-out item unknown to the training data)");
        }
        return new NcfNegatives(cases, users.size(), skipped, droppedCases, droppedNegatives);
    }

    /** @return the index of {@code id}, or {@link IdMap#ABSENT} when unknown and {@link UnknownIds#DROP} is chosen */
    private int known(IdMap ids, String id, String role, long lineNo) throws InteractionFileException {
        int index = ids.indexOf(id);
        if (index == IdMap.ABSENT && unknown == UnknownIds.FAIL) {
            throw new InteractionFileException(file, lineNo, role + " [" + id + "] does not occur in the training data "
                + "(was the model trained on the matching .train.rating file? UnknownIds.DROP drops such ids and counts them)");
        }
        return index;
    }

    /** The ids of one line, checked for syntax only. */
    private record RawCase(String user, String item, String[] negatives) {}

    private static RawCase parse(String line, int expectedNegatives) {
        String[] fields = line.split("\t", -1); // -1 keeps a trailing empty field, so a stray tab is reported
        String pair = fields[0].strip();
        int comma = pair.indexOf(',');
        if (pair.length() < 5 || pair.charAt(0) != '(' || pair.charAt(pair.length() - 1) != ')' || comma < 0) {
            throw new IllegalArgumentException("expected the first field to be (user,item) but found [" + fields[0] + "]");
        }
        String user = requireId(pair.substring(1, comma).strip(), "user in field 1");
        String item = requireId(pair.substring(comma + 1, pair.length() - 1).strip(), "held-out item in field 1");
        if (fields.length == 1) {
            throw new IllegalArgumentException("no negative items after " + fields[0]);
        }
        String[] negatives = new String[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
            negatives[i - 1] = requireId(fields[i].strip(), "negative item in field " + (i + 1));
        }
        if (expectedNegatives >= 0 && negatives.length != expectedNegatives) {
            throw new IllegalArgumentException("expected " + expectedNegatives + " negative items, as on the first line, but found " + negatives.length);
        }
        return new RawCase(user, item, negatives);
    }

    /** NCF ids are 0-based integers; anything else means the line is not what it should be. */
    private static String requireId(String text, String what) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty " + what);
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new IllegalArgumentException(what + " [" + text + "] is not a non-negative integer id");
            }
        }
        return text;
    }
}
