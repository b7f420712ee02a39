package org.recommender.tools.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.EmbeddingEntry;
import org.recommender.core.io.EmbeddingReader;
import org.recommender.core.io.TrainingManifest;
import org.recommender.tools.output.TrainingOutput;
import org.recommender.core.model.ModelBundle;
import org.recommender.tools.imports.Npy;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model-tools import} on small files of every format: the output equals the input, bad rows write nothing. */
class ImportCommandTest {
    private static final Map<String, float[]> USERS = new LinkedHashMap<>();
    private static final Map<String, float[]> ITEMS = new LinkedHashMap<>();

    static {
        USERS.put("1", new float[] { 0.1f, -0.2f, 0.3f });
        USERS.put("2", new float[] { 1.5f, 0f, -2.25f });
        ITEMS.put("10", new float[] { 0.01f, 0.02f, 0.03f });
        ITEMS.put("11", new float[] { -1f, 1e-7f, 123.456f });
        ITEMS.put("12", new float[] { 0f, 0f, 1f });
    }

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = ModelTools.commandLine(false);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path out() {
        return dir.resolve("model");
    }

    private Run importAs(Path users, Path items, String... extra) {
        List<String> args = new ArrayList<>(List.of("import", "--users", users.toString(), "--items", items.toString(), "--out", out().toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private void assertImported(Run r, String format, String similarity) throws IOException {
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("imported 2 users and 3 items with 3 dimensions (" + format + ", " + similarity + ")"), r.out());
        assertVectors(USERS, out().resolve(TrainingManifest.USERS_FILE));
        assertVectors(ITEMS, out().resolve(TrainingManifest.ITEMS_FILE));
        TrainingManifest manifest = TrainingManifest.read(out());
        assertEquals("imported:" + format, manifest.algorithm());
        assertEquals(3, manifest.dims());
        assertEquals(similarity, manifest.similarity());
        assertEquals(new TrainingManifest.Counts(2, 3, 0), manifest.counts());
        assertEquals(format, manifest.hyperParameters().get("format"));
        ModelBundle bundle = ModelBundle.parse(Files.readAllBytes(out().resolve(TrainingOutput.MODEL_BUNDLE)));
        assertEquals(similarity.equals("cosine") ? "cosine" : "dot", bundle.type());
        assertEquals(3, bundle.userDims());
        assertEquals(3, bundle.itemDims());
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".partial-")), "staging directory left behind");
        }
    }

    private static void assertVectors(Map<String, float[]> expected, Path file) throws IOException {
        List<EmbeddingEntry> entries = EmbeddingReader.readAll(file, 3);
        assertEquals(new ArrayList<>(expected.keySet()), entries.stream().map(EmbeddingEntry::id).toList());
        for (EmbeddingEntry e : entries) {
            assertArrayEquals(expected.get(e.id()), e.vector(), e.id());
        }
    }

    private void assertFailed(Run r, String message) throws IOException {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("model-tools import: error: " + message, r.err().strip());
        assertFalse(Files.exists(out()) && Files.list(out()).findAny().isPresent(), "--out must stay empty");
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".partial-")), "staging directory left behind");
        }
    }

    private static String join(float[] v, String sep) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : sep).append(v[i]);
        }
        return b.toString();
    }

    private Path csv(String name, Map<String, float[]> vectors, boolean exploded, String header) throws IOException {
        StringBuilder b = new StringBuilder(header == null ? "" : header + "\n");
        vectors.forEach((id, v) -> b.append(id).append(',').append(exploded ? join(v, ",") : "\"[" + join(v, ", ") + "]\"").append('\n'));
        return Files.writeString(dir.resolve(name), b);
    }

    private static String jsonLine(String idField, String id, String vectorField, float[] v) {
        return "{\"" + idField + "\":" + id + ",\"" + vectorField + "\":[" + join(v, ",") + "]}\n";
    }

    @Test
    void sparkCsvWithTheVectorInOneFieldWithAndWithoutHeader() throws IOException {
        assertImported(importAs(csv("u.csv", USERS, false, null), csv("i.csv", ITEMS, false, "id,features")), "spark-csv", "dot_product");
    }

    @Test
    void sparkCsvExplodedWithAndWithoutHeader() throws IOException {
        assertImported(importAs(csv("u.csv", USERS, true, "id,f0,f1,f2"), csv("i.csv", ITEMS, true, null), "--format", "spark-csv"), "spark-csv",
            "dot_product");
    }

    @Test
    void sparkJsonPartDirectoriesAreReadInNameOrderSkippingMarkers() throws IOException {
        Path users = Files.createDirectories(dir.resolve("userFactors"));
        Path items = Files.createDirectories(dir.resolve("itemFactors"));
        List<String> ids = new ArrayList<>(ITEMS.keySet());
        // written out of order: part-00001 must still come after part-00000
        Files.writeString(items.resolve("part-00001-abc-c000.json"), jsonLine("id", ids.get(2), "features", ITEMS.get(ids.get(2))));
        Files.writeString(items.resolve("part-00000-abc-c000.json"),
            jsonLine("id", ids.get(0), "features", ITEMS.get(ids.get(0))) + jsonLine("id", ids.get(1), "features", ITEMS.get(ids.get(1))));
        Files.writeString(items.resolve("_SUCCESS"), "");
        Files.writeString(items.resolve(".part-00000-abc-c000.json.crc"), "garbage");
        StringBuilder u = new StringBuilder();
        USERS.forEach((id, v) -> u.append(jsonLine("id", id, "features", v)));
        Files.writeString(users.resolve("part-00000-abc-c000.json"), u);
        Files.writeString(users.resolve("part-00001-abc-c000.json"), ""); // an empty partition
        assertImported(importAs(users, items), "spark-json", "dot_product");
    }

    @Test
    void genericJsonLinesAndCsvWithNamedFields() throws IOException {
        StringBuilder u = new StringBuilder();
        USERS.forEach((id, v) -> u.append(jsonLine("user", "\"" + id + "\"", "vector", v)));
        StringBuilder i = new StringBuilder();
        ITEMS.forEach((id, v) -> i.append(jsonLine("user", "\"" + id + "\"", "vector", v)));
        Path users = Files.writeString(dir.resolve("u.jsonl"), u);
        Path items = Files.writeString(dir.resolve("i.jsonl"), i);
        assertImported(importAs(users, items, "--id-field", "user", "--similarity", "cosine"), "jsonl", "cosine");

        // generic CSV: the id need not come first, the vector column holds the whole vector
        StringBuilder c = new StringBuilder("name,emb,id\n");
        USERS.forEach((id, v) -> c.append("x,\"").append(join(v, " ")).append("\",").append(id).append('\n'));
        Path usersCsv = Files.writeString(dir.resolve("u2.csv"), c);
        assertImported(importAs(usersCsv, csv("i2.csv", ITEMS, true, "id,a,b,c"), "--format", "csv", "--vector-field", "emb"), "csv", "dot_product");
    }

    @Test
    void usersAndItemsNameTheirIdsApart() throws IOException {
        Path users = csv("users.csv", USERS, false, "user_id,features");
        Path items = csv("items.csv", ITEMS, false, "item_id,features");
        assertImported(importAs(users, items, "--format", "csv", "--user-id-field", "user_id", "--item-id-field", "item_id"), "csv", "dot_product");
    }

    @Test
    void idFieldStaysTheDefaultOfBothSides() throws IOException {
        StringBuilder u = new StringBuilder();
        USERS.forEach((id, v) -> u.append(jsonLine("key", id, "features", v)));
        StringBuilder i = new StringBuilder();
        ITEMS.forEach((id, v) -> i.append(jsonLine("item", id, "features", v)));
        Path users = Files.writeString(dir.resolve("u.jsonl"), u);
        Path items = Files.writeString(dir.resolve("i.jsonl"), i);
        assertImported(importAs(users, items, "--id-field", "key", "--item-id-field", "item"), "jsonl", "dot_product");
    }

    @Test
    void aMissingIdFieldNamesTheOptionThatSetsIt() throws IOException {
        Path users = csv("users.csv", USERS, false, "user_id,features");
        Path items = csv("items.csv", ITEMS, false, "item_id,features");
        assertFailed(importAs(users, items, "--format", "csv", "--id-field", "user_id"),
            items + ":1: the header [item_id, features] has no id column [user_id] (see --item-id-field or --id-field)");
        assertFailed(importAs(users, items, "--format", "csv", "--user-id-field", "user", "--item-id-field", "item_id"),
            users + ":1: the header [user_id, features] has no id column [user] (see --user-id-field)");
        Path json = Files.writeString(dir.resolve("u.jsonl"), jsonLine("user_id", "1", "features", USERS.get("1")));
        assertFailed(importAs(json, json, "--user-id-field", "user_id"), json + ":1: no [id] field (see --item-id-field or --id-field)");
        assertFailed(importAs(json, json, "--user-id-field", "uid", "--item-id-field", "user_id"), json + ":1: no [uid] field (see --user-id-field)");
    }

    @Test
    void npyMatricesWithIdFiles() throws IOException {
        Path users = dir.resolve("users.npy");
        Path items = dir.resolve("items.npy");
        Npy.write(users, "<f4", false, 1, doubles(USERS));
        Npy.write(items, "<f8", true, 2, doubles(ITEMS));
        Path userIds = Files.writeString(dir.resolve("user_ids.txt"), String.join("\n", USERS.keySet()) + "\n");
        Path itemIds = Files.writeString(dir.resolve("item_ids.txt"), String.join("\n", ITEMS.keySet()) + "\n");
        assertImported(importAs(users, items, "--user-ids", userIds.toString(), "--item-ids", itemIds.toString()), "npy", "dot_product");
    }

    private static double[][] doubles(Map<String, float[]> vectors) {
        return vectors.values().stream().map(v -> {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i]; // float -> double -> float is exact
            }
            return d;
        }).toArray(double[][]::new);
    }

    @Test
    void badRowsFailWithFileAndLineAndWriteNothing() throws IOException {
        Path items = csv("i.csv", ITEMS, false, null);
        Path nan = Files.writeString(dir.resolve("nan.csv"), "1,\"[0.1,0.2,0.3]\"\n2,\"[0.1,NaN,0.3]\"\n");
        assertFailed(importAs(nan, items), nan + ":2: [vector of id 2] element [1] is NaN; embeddings must contain only finite numbers");
        // the plugin's bound on an element, said at the source line (it failed later, in the staged file)
        Path huge = Files.writeString(dir.resolve("huge.csv"), "1,\"[0.1,0.2,0.3]\"\n2,\"[0.1,1e20,0.3]\"\n");
        assertFailed(importAs(huge, items), huge + ":2: [vector of id 2] element [1] is 1.0E20; embedding elements must be at most 1.0E16 in magnitude,"
            + " so that scores stay finite");
        Path dims = Files.writeString(dir.resolve("dims.csv"), "id,features\n1,0.1,0.2,0.3\n2,0.1,0.2\n");
        assertFailed(importAs(dims, items), dims + ":3: [vector of id 2] has 2 dimensions but the first vector had 3");
        Path dup = Files.writeString(dir.resolve("dup.jsonl"), "{\"id\":1,\"features\":[1,2,3]}\n\n{\"id\":1,\"features\":[1,2,3]}\n");
        assertFailed(importAs(dup, dup), dup + ":3: duplicate id [1], first seen at " + dup + ":1");
        Path text = Files.writeString(dir.resolve("text.csv"), "1,\"[0.1,0.2,0.3]\"\n2,\"[0.1,x,0.3]\"\n");
        assertFailed(importAs(text, items), text + ":2: vector element [1] is not a number: [x]");
        Path two = Files.writeString(dir.resolve("two.csv"), "1,0.1,0.2\n");
        assertFailed(importAs(two, items), "user factors have 2 dimensions (" + two + ") but item factors have 3 (" + items + "); they must match to be compared");
    }

    @Test
    void badNpyFailsWithFileAndRowAndWritesNothing() throws IOException {
        Path ids = Files.writeString(dir.resolve("ids.txt"), "a\nb\n");
        Path good = dir.resolve("good.npy");
        Npy.write(good, "<f4", false, 1, new double[][] { { 1, 2, 3 }, { 4, 5, 6 } });
        Path ints = dir.resolve("ints.npy");
        Npy.write(ints, "<i4", false, 1, new double[][] { { 1, 2, 3 }, { 4, 5, 6 } });
        assertFailed(importAs(ints, good, "--user-ids", ids.toString(), "--item-ids", ids.toString()),
            ints + ": dtype [<i4] is not supported: only float32 (<f4) and float64 (<f8); convert with matrix.astype(numpy.float32)");
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, "<f8", false, 1, new double[][] { { 1, 2, 3 }, { 4, Double.POSITIVE_INFINITY, 6 } });
        assertFailed(importAs(good, nan, "--user-ids", ids.toString(), "--item-ids", ids.toString()),
            nan + ": row 1: [vector of id b] element [1] is Infinity; embeddings must contain only finite numbers");
        Path three = Files.writeString(dir.resolve("three.txt"), "a\nb\nc\n");
        assertFailed(importAs(good, good, "--user-ids", ids.toString(), "--item-ids", three.toString()),
            three + " has 3 ids but " + good + " has 2 rows; they must match, one id per row");
        Path cut = dir.resolve("cut.npy");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertFailed(importAs(good, cut, "--user-ids", ids.toString(), "--item-ids", ids.toString()),
            cut + ": truncated: shape (2, 3) needs 24 bytes of data but only 20 follow the header");
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        Path users = dir.resolve("u.npy");
        Npy.write(users, "<f4", false, 1, new double[][] { { 1 } });
        Run r = importAs(users, users);
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--format npy needs --user-ids and --item-ids"), r.err());
        Path csv = csv("u.csv", USERS, false, null);
        r = importAs(csv, csv, "--format", "parquet");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("unknown --format [parquet]"), r.err());
        r = importAs(csv, csv, "--similarity", "l2");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("unknown --similarity [l2]"), r.err());
        assertFalse(Files.exists(out()));
    }

    @Test
    void aFailedImportLeavesAnEarlierOneAsItWas() throws IOException {
        assertImported(importAs(csv("u.csv", USERS, false, null), csv("i.csv", ITEMS, false, null)), "spark-csv", "dot_product");
        byte[] manifest = Files.readAllBytes(out().resolve(TrainingManifest.FILE_NAME));
        Path nan = Files.writeString(dir.resolve("nan.csv"), "1,NaN,1,1\n");
        Run r = importAs(nan, nan);
        assertEquals(ExitCodes.USAGE, r.code());
        assertArrayEquals(manifest, Files.readAllBytes(out().resolve(TrainingManifest.FILE_NAME)));
        assertVectors(USERS, out().resolve(TrainingManifest.USERS_FILE));
    }
}
