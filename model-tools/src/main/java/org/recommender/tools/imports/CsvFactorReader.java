package org.recommender.tools.imports;

import org.recommender.tools.data.CsvSplitter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads factors from CSV, in one of two layouts:
 * <ul>
 *   <li><b>Spark</b> ({@link #spark}): the id in the first column and the vector either as one field
 *   ({@code 1,"[0.1,0.2]"}, how a Spark {@code array<float>} is usually written after a cast to string) or exploded
 *   into one column per element ({@code 1,0.1,0.2}). A header line is optional: a first line whose vector part is
 *   not numeric is taken as one.</li>
 *   <li><b>Named columns</b> ({@link #named}): a header is required; the id and vector columns are found by name.
 *   Without a vector column, every column but the id is one element, in header order.</li>
 * </ul>
 * Each file of the source starts over (Spark repeats the header in every part file).
 */
public final class CsvFactorReader implements FactorReader {
    private static final CsvSplitter SPLITTER = new CsvSplitter(',');

    private final List<Path> files;
    private final String idField;
    private final String idOption;
    private final List<String> vectorFields;

    private CsvFactorReader(List<Path> files, String idField, String idOption, List<String> vectorFields) {
        this.files = files;
        this.idField = idField;
        this.idOption = idOption;
        this.vectorFields = vectorFields;
    }

    /** @return a reader of Spark-style CSV: id first, then the vector in one field or exploded, header optional */
    public static CsvFactorReader spark(List<Path> files) {
        return new CsvFactorReader(files, null, null, List.of());
    }

    /**
     * @param idField the name of the id column
     * @param idOption the option that names it, which the error for a header without it points to
     * @param vectorFields names to look for, in order, for the column holding the whole vector; when none is in the
     *     header, the other columns are the elements
     * @return a reader of CSV with a header
     */
    public static CsvFactorReader named(List<Path> files, String idField, String idOption, List<String> vectorFields) {
        return new CsvFactorReader(files, idField, idOption, List.copyOf(vectorFields));
    }

    @Override
    public void read(FactorSink sink) throws IOException {
        for (Path file : files) {
            readFile(file, sink);
        }
    }

    /** Where the id and vector are in a row. {@code vectorColumn} -1 means the other columns, exploded. */
    private record Columns(int idColumn, int vectorColumn) {}

    private void readFile(Path file, FactorSink sink) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            boolean spark = idField == null;
            Columns columns = spark ? new Columns(0, -2) : null; // -2: Spark, one field or exploded, decided per row
            boolean first = true;
            long line = 0;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                Location where = Location.line(file, line);
                List<String> fields = split(text, where);
                if (columns == null) {
                    columns = header(fields, where);
                } else if ((spark && first && looksLikeHeader(fields)) == false) {
                    row(fields, columns, where, sink);
                }
                first = false;
            }
            // an empty file is fine (Spark writes empty partitions); the command refuses a side without vectors
        }
    }

    private static boolean looksLikeHeader(List<String> fields) {
        if (fields.size() < 2) {
            return false;
        }
        String second = fields.get(1).strip();
        return second.startsWith("[") == false && VectorText.isNumber(second) == false;
    }

    private Columns header(List<String> fields, Location where) throws ImportFileException {
        int id = fields.indexOf(idField);
        if (id < 0) {
            throw new ImportFileException(where, "the header " + fields + " has no id column [" + idField + "] (see " + idOption + ")");
        }
        for (String name : vectorFields) {
            int v = fields.indexOf(name);
            if (v >= 0) {
                return new Columns(id, v);
            }
        }
        if (fields.size() < 2) {
            throw new ImportFileException(where, "the header " + fields + " has no vector column " + vectorFields + " (see --vector-field)");
        }
        return new Columns(id, -1);
    }

    private static void row(List<String> fields, Columns columns, Location where, FactorSink sink) throws IOException {
        String id;
        float[] vector;
        try {
            if (columns.idColumn() >= fields.size()) {
                throw new IllegalArgumentException("has " + fields.size() + " fields; the id is in column " + (columns.idColumn() + 1));
            }
            id = fields.get(columns.idColumn()).strip();
            if (columns.vectorColumn() >= 0) {
                if (columns.vectorColumn() >= fields.size()) {
                    throw new IllegalArgumentException("has " + fields.size() + " fields; the vector is in column " + (columns.vectorColumn() + 1));
                }
                vector = VectorText.parse(fields.get(columns.vectorColumn()));
            } else if (columns.vectorColumn() == -2) {
                // Spark: one field "[…]", or the elements exploded into the remaining columns
                vector = fields.size() == 2 ? VectorText.parse(fields.get(1)) : VectorText.parse(fields, 1);
            } else {
                List<String> rest = new ArrayList<>(fields);
                rest.remove(columns.idColumn());
                vector = VectorText.parse(rest, 0);
            }
        } catch (IllegalArgumentException e) {
            throw new ImportFileException(where, e.getMessage(), e);
        }
        sink.accept(id, vector, where);
    }

    private static List<String> split(String text, Location where) throws ImportFileException {
        try {
            return SPLITTER.split(text);
        } catch (IllegalArgumentException e) {
            throw new ImportFileException(where, "not valid CSV: " + e.getMessage(), e);
        }
    }
}
