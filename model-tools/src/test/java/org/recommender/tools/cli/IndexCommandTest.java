package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.tools.cluster.FakeOpenSearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code index}, and in particular {@code --seen-from}: the users' seen items written beside their vectors. */
class IndexCommandTest {
    @TempDir
    Path dir;

    private Path model;
    /** u1 and u2 only (u3 has a vector but no interaction here); u1's times are out of line order. */
    private Path seen;

    @BeforeEach
    void trainATinyModel() throws IOException {
        Path data = dir.resolve("train.csv");
        Files.writeString(data, """
            user_id,item_id,rating,timestamp
            u1,i10,1,100
            u1,i2,1,50
            u1,i3,1,300
            u2,i3,1,10
            u3,i10,1,5
            u3,i2,1,6
            """);
        model = dir.resolve("model");
        CliRun t = CliRun.of("train", "--algorithm", "bpr", "--data", data.toString(), "--out", model.toString(), "--dims", "4", "--epochs",
            "1", "--holdout", "none", "--quiet");
        assertEquals(0, t.code(), t.err());
        seen = dir.resolve("seen.tsv");
        Files.writeString(seen, """
            user\titem\tts
            u1\ti10\t100
            u1\ti2\t50
            u1\ti3\t300
            u1\ti2\t400
            u2\ti3\t10
            u2\ti10\t10
            u9\ti7\t1
            """);
    }

    private CliRun index(FakeOpenSearch cluster, String... more) {
        List<String> args = new ArrayList<>(List.of("index", "--model", model.toString(), "--url", cluster.url().toString(), "--quiet"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String[] seenOptions(Path file, String... more) {
        List<String> args = new ArrayList<>(List.of("--seen-from", file.toString(), "--format", "csv", "--delimiter", "\\t", "--user-column",
            "user", "--item-column", "item", "--timestamp-column", "ts"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            assertTrue(n.isTextual(), array.toString());
            out.add(n.asText());
        });
        return out;
    }

    private static Set<String> fields(JsonNode doc) {
        Set<String> names = new TreeSet<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void seenFromWritesEachUsersDistinctItemsSortedAndMapsThemAsKeyword() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun run = index(cluster, seenOptions(seen));
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("users: 3 written to [users], 0 failed, _count 3"), run.out());
            assertTrue(run.err().contains("loaded 7 interactions (3 users, 4 items) from " + seen), run.err());
            assertTrue(run.err().contains("seen items: 3 users, 6 (user, item) pairs in [seen_items]"), run.err());

            JsonNode u1 = cluster.documents.get("users").get("u1");
            assertEquals(List.of("i10", "i2", "i3"), strings(u1.path("seen_items")), u1.toString());
            assertEquals(List.of("i10", "i3"), strings(cluster.documents.get("users").get("u2").path("seen_items")));
            JsonNode u3 = cluster.documents.get("users").get("u3");
            assertEquals(Set.of("user_id", "embedding"), fields(u3), "no interaction, no field: " + u3);
            assertEquals(Set.of("u1", "u2", "u3"), cluster.documents.get("users").keySet(), "u9 is not in the model: no document");
            cluster.documents.get("items").values().forEach(d -> assertEquals(Set.of("item_id", "embedding"), fields(d), d.toString()));

            JsonNode users = cluster.mappings.get("users").path("mappings").path("properties");
            assertEquals("keyword", users.path("seen_items").path("type").asText(), users.toString());
            assertEquals(4, users.path("embedding").path("dims").asInt());
            assertFalse(cluster.mappings.get("items").path("mappings").path("properties").has("seen_items"));
            // the _bulk bodies themselves carry the field
            assertTrue(cluster.requests.stream().anyMatch(r -> r.path().equals("/users/_bulk") && r.body().contains(
                "\"seen_items\":[\"i10\",\"i2\",\"i3\"]")));
        }
    }

    @Test
    void aStoppedRunResumesOnTheNextRunAndForgetsItsProgressWhenDone() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            cluster.refuseBulkAfter = 1; // users: batch u1,u2 lands, u3's batch is refused
            CliRun stopped = index(cluster, "--only", "users", "--batch-size", "2", "--max-retries", "0", "--concurrency", "1");
            assertEquals(ExitCodes.FAILURE, stopped.code(), stopped.out() + stopped.err());
            Path progress = model.resolve(".index-progress-users.json");
            assertTrue(Files.exists(progress), "the finished prefix is recorded");
            assertEquals(Set.of("u1", "u2"), cluster.documents.get("users").keySet());

            cluster.refuseBulkAfter = Long.MAX_VALUE;
            long before = cluster.bulkRequests();
            CliRun resumed = index(cluster, "--only", "users", "--batch-size", "2", "--recreate");
            assertEquals(0, resumed.code(), resumed.err());
            assertTrue(resumed.err().contains("users: resuming after 2 of 3 documents"), resumed.err());
            assertTrue(resumed.out().contains("users: 3 written to [users], 0 failed, _count 3"), resumed.out());
            assertTrue(resumed.out().contains("resumed after 2"), resumed.out());
            assertEquals(1, cluster.bulkRequests() - before, "only u3 is sent; --recreate does not empty a resumed index");
            // the first run created the index and replaced documents; resumed, the index exists, but the mode stays
            assertFalse(resumed.err().contains("updating documents in place"), resumed.err());
            String lastBulk = cluster.requests.stream().filter(r -> r.path().endsWith("/_bulk")).reduce((a, b) -> b).orElseThrow().body();
            assertTrue(lastBulk.startsWith("{\"index\":{\"_id\":\"u3\""), lastBulk);
            assertFalse(Files.exists(progress), "a finished run leaves no progress behind");

            CliRun again = index(cluster, "--only", "users", "--batch-size", "2");
            assertEquals(0, again.code(), again.err());
            assertFalse(again.err().contains("resuming"), again.err());
            assertEquals(3, cluster.bulkRequests() - before, "a new run sends everything");
        }
    }

    @Test
    void aRunDoesNotResumeIntoAnIndexDeletedAndCreatedAgainSinceTheInterruption() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            cluster.refuseBulkAfter = 1;
            CliRun stopped = index(cluster, "--only", "users", "--batch-size", "2", "--max-retries", "0", "--concurrency", "1");
            assertEquals(ExitCodes.FAILURE, stopped.code(), stopped.out() + stopped.err());
            assertEquals(Set.of("u1", "u2"), cluster.documents.get("users").keySet());
            // someone deletes the index and creates it again with the same mapping: same name, empty, another UUID
            cluster.documents.get("users").clear();
            cluster.uuids.put("users", "recreated-elsewhere");

            cluster.refuseBulkAfter = Long.MAX_VALUE;
            CliRun next = index(cluster, "--only", "users", "--batch-size", "2");
            assertEquals(0, next.code(), next.out() + next.err());
            assertTrue(next.err().contains("users: index [users] is not the one the interrupted run filled"), next.err());
            assertFalse(next.err().contains("resuming after"), next.err());
            assertEquals(Set.of("u1", "u2", "u3"), cluster.documents.get("users").keySet());
        }
    }

    @Test
    void aResumedRunKeepsUpdatingInPlaceWhenTheInterruptedRunDid() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            assertEquals(0, index(cluster, "--only", "users").code());
            for (String id : List.of("u1", "u2", "u3")) {
                ((ObjectNode) cluster.documents.get("users").get(id)).put("segment", "gold");
            }
            cluster.refuseBulkAfter = cluster.bulkRequests() + 1;
            CliRun stopped = index(cluster, "--only", "users", "--batch-size", "2", "--max-retries", "0", "--concurrency", "1");
            assertEquals(ExitCodes.FAILURE, stopped.code(), stopped.out() + stopped.err());
            assertTrue(stopped.err().contains("users: updating documents in place"), stopped.err());

            cluster.refuseBulkAfter = Long.MAX_VALUE;
            CliRun resumed = index(cluster, "--only", "users", "--batch-size", "2");
            assertEquals(0, resumed.code(), resumed.out() + resumed.err());
            assertTrue(resumed.err().contains("users: resuming after 2 of 3 documents"), resumed.err());
            assertTrue(resumed.err().contains("users: updating documents in place"), resumed.err());
            String lastBulk = cluster.requests.stream().filter(r -> r.path().endsWith("/_bulk")).reduce((a, b) -> b).orElseThrow().body();
            assertTrue(lastBulk.startsWith("{\"update\":{\"_id\":\"u3\""), lastBulk);
            assertEquals("gold", cluster.documents.get("users").get("u3").path("segment").asText(), "u3 kept its other field");
        }
    }

    @Test
    void aModelDirectoryWithoutRoomForProgressStillIndexes() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            Path blocked = Files.createDirectories(model.resolve(".index-progress-users.json"));
            Files.writeString(blocked.resolve("keep"), "a directory where the progress file would go, as a read-only directory would refuse it");
            CliRun run = index(cluster, "--only", "users");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.err().contains("users: cannot record progress in"), run.err());
            assertTrue(run.err().contains("if interrupted, this run starts over next time"), run.err());
            assertEquals(Set.of("u1", "u2", "u3"), cluster.documents.get("users").keySet());
        }
    }

    @Test
    void maxSeenKeepsTheLatestItemsAndTheLaterLineOnEqualTimes() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun two = index(cluster, seenOptions(seen, "--max-seen", "2", "--seen-field", "seen", "--only", "users"));
            assertEquals(0, two.code(), two.err());
            assertTrue(two.err().contains("seen items: 3 users, 5 (user, item) pairs in [seen]; 1 users cut to their latest 2"), two.err());
            // u1: i2 at 400 and i3 at 300 are the latest; i10 at 100 goes
            assertEquals(List.of("i2", "i3"), strings(cluster.documents.get("users").get("u1").path("seen")));
            assertEquals(List.of("i10", "i3"), strings(cluster.documents.get("users").get("u2").path("seen")));
            assertEquals("keyword", cluster.mappings.get("users").path("mappings").path("properties").path("seen").path("type").asText());

            CliRun one = index(cluster, seenOptions(seen, "--max-seen", "1", "--seen-field", "seen", "--only", "users"));
            assertEquals(0, one.code(), one.err());
            assertEquals(List.of("i2"), strings(cluster.documents.get("users").get("u1").path("seen")));
            // u2's two items share a time: the later line is the later one
            assertEquals(List.of("i10"), strings(cluster.documents.get("users").get("u2").path("seen")));
        }
    }

    @Test
    void withoutSeenFromNothingChanges() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun run = index(cluster);
            assertEquals(0, run.code(), run.err());
            assertEquals(Set.of("user_id", "embedding"), fields(cluster.mappings.get("users").path("mappings").path("properties")));
            cluster.documents.get("users").values().forEach(d -> assertEquals(Set.of("user_id", "embedding"), fields(d), d.toString()));
            assertTrue(cluster.requests.stream().noneMatch(r -> r.body().contains("seen")));
            assertTrue(cluster.requests.stream().noneMatch(r -> r.method().equals("PUT") && r.path().endsWith("/_mapping")));
            assertFalse(run.err().contains("seen"), run.err());
        }
    }

    @Test
    void anExistingUsersIndexGetsTheKeywordFieldAdded() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            assertEquals(0, index(cluster, "--only", "users").code());
            CliRun run = index(cluster, seenOptions(seen, "--only", "users"));
            assertEquals(0, run.code(), run.err());
            assertTrue(run.err().contains("users: index [users] existing"), run.err());
            assertTrue(run.err().contains("users: added [seen_items] to the mapping of [users] as keyword"), run.err());
            assertEquals("keyword", cluster.mappings.get("users").path("mappings").path("properties").path("seen_items").path("type").asText());
            assertEquals(List.of("i10", "i2", "i3"), strings(cluster.documents.get("users").get("u1").path("seen_items")));

            CliRun again = index(cluster, seenOptions(seen, "--only", "users"));
            assertEquals(0, again.code(), again.err());
            assertFalse(again.err().contains("added [seen_items]"), again.err());
        }
    }

    @Test
    void anExistingIndexIsUpdatedInPlaceSoItsDocumentsKeepTheirOtherFields() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            assertEquals(0, index(cluster, "--only", "items").code());
            ObjectNode catalog = new ObjectMapper().createObjectNode().put("item_id", "i2").put("title", "Red shoes").put("price", 30);
            catalog.putArray("embedding").add(9).add(9).add(9).add(9);
            cluster.documents.get("items").put("i2", catalog);
            cluster.documents.get("items").put("sold-out", new ObjectMapper().createObjectNode().put("item_id", "sold-out").put("title", "Old hat"));

            CliRun run = index(cluster, "--only", "items");
            assertEquals(0, run.code(), run.err() + run.out());
            assertTrue(run.out().contains("[items] also holds 1 documents this model has no vector for; updating in place left them as they were"),
                run.out());
            assertEquals("Old hat", cluster.documents.get("items").get("sold-out").path("title").asText());
            assertTrue(run.err().contains("items: updating documents in place (other fields are kept; missing documents are created)"), run.err());
            JsonNode i2 = cluster.documents.get("items").get("i2");
            assertEquals("Red shoes", i2.path("title").asText(), i2.toString());
            assertEquals(30, i2.path("price").asInt());
            assertFalse(i2.path("embedding").get(0).asDouble() == 9.0, "the vector is the model's: " + i2);
            String lastBulk = cluster.requests.stream().filter(r -> r.path().endsWith("/_bulk")).reduce((a, b) -> b).orElseThrow().body();
            assertTrue(lastBulk.startsWith("{\"update\":{\"_id\":"), lastBulk);
            assertTrue(lastBulk.contains("\"doc_as_upsert\":true"), lastBulk);

            CliRun replace = index(cluster, "--only", "items", "--write", "replace");
            assertEquals(ExitCodes.FAILURE, replace.code(), replace.err());
            assertTrue(replace.errLine().contains("it holds documents from before (use --recreate)"), replace.errLine());
            assertEquals(Set.of("item_id", "embedding"), fields(cluster.documents.get("items").get("i2")), "replace drops other fields");

            CliRun bad = index(cluster, "--only", "items", "--write", "merge");
            assertEquals(2, bad.code());
            assertTrue(bad.errLine().contains("--write must be auto, replace or update but was [merge]"), bad.errLine());
        }
    }

    /** A Mult-DAE output: its items carry the encoder's history vectors (3 dims) beside the decoder's (4 dims). */
    private Path multDae() {
        Path out = dir.resolve("multdae");
        CliRun t = CliRun.of("train", "--algorithm", "multdae", "--data", dir.resolve("train.csv").toString(), "--out", out.toString(), "--dims", "3",
            "--epochs", "1", "--holdout", "none", "--no-early-stopping", "--quiet");
        assertEquals(0, t.code(), t.err());
        return out;
    }

    private static List<Float> floats(JsonNode array) {
        List<Float> out = new ArrayList<>();
        array.forEach(n -> out.add(n.floatValue()));
        return out;
    }

    @Test
    void historyVectorsGoIntoTheirOwnUnsearchedFieldOfTheItemDocuments() throws IOException {
        Path out = multDae();
        Map<String, List<Float>> history = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("history.jsonl"))) {
            JsonNode entry = new ObjectMapper().readTree(line);
            history.put(entry.path("id").asText(), floats(entry.path("vector")));
        }
        assertEquals(Set.of("i10", "i2", "i3"), history.keySet());
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun run = CliRun.of("index", "--model", out.toString(), "--url", cluster.url().toString(), "--quiet");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.err().contains("history vectors: 3 items of 3 dims for [history_embedding]"), run.err());
            JsonNode items = cluster.mappings.get("items").path("mappings").path("properties");
            assertEquals(4, items.path("embedding").path("dims").asInt(), items.toString());
            JsonNode field = items.path("history_embedding");
            assertEquals("embedding", field.path("type").asText(), items.toString());
            assertEquals(3, field.path("dims").asInt());
            assertFalse(field.path("index").asBoolean(true), "read by id, never searched: no graph");
            for (String id : history.keySet()) {
                JsonNode doc = cluster.documents.get("items").get(id);
                assertEquals(Set.of("item_id", "embedding", "history_embedding"), fields(doc), doc.toString());
                assertEquals(history.get(id), floats(doc.path("history_embedding")), id);
                assertEquals(4, doc.path("embedding").size());
            }
            cluster.documents.get("users").values().forEach(d -> assertEquals(Set.of("user_id", "embedding"), fields(d), d.toString()));
            assertFalse(cluster.mappings.get("users").path("mappings").path("properties").has("history_embedding"));

            // an items index from before, without the field: it is added to the mapping, and the documents updated in place
            cluster.mappings.put("clicks", new ObjectMapper().readTree("""
                {"mappings": {"properties": {"item_id": {"type": "keyword"}, "embedding": {"type": "embedding", "dims": 4}}}}"""));
            cluster.documents.put("clicks", new ConcurrentHashMap<>());
            CliRun existing = CliRun.of("index", "--model", out.toString(), "--url", cluster.url().toString(), "--only", "items", "--items-index",
                "clicks", "--history-field", "clicked", "--quiet");
            assertEquals(0, existing.code(), existing.err());
            assertTrue(existing.err().contains("items: added [clicked] to the mapping of [clicks] as an embedding field of 3 dims"), existing.err());
            assertEquals(3, cluster.mappings.get("clicks").path("mappings").path("properties").path("clicked").path("dims").asInt());
            assertEquals(history.get("i2"), floats(cluster.documents.get("clicks").get("i2").path("clicked")));

            // one that maps the field with another dimension is refused before any document is sent
            cluster.mappings.put("wrong", new ObjectMapper().readTree("""
                {"mappings": {"properties": {"item_id": {"type": "keyword"}, "embedding": {"type": "embedding", "dims": 4},
                  "history_embedding": {"type": "embedding", "dims": 5}}}}"""));
            cluster.documents.put("wrong", new ConcurrentHashMap<>());
            CliRun wrong = CliRun.of("index", "--model", out.toString(), "--url", cluster.url().toString(), "--only", "items", "--items-index", "wrong",
                "--quiet");
            assertEquals(ExitCodes.FAILURE, wrong.code(), wrong.err());
            assertTrue(wrong.errLine().contains("index [wrong] maps [history_embedding] as"), wrong.errLine());
            assertTrue(wrong.errLine().contains("but the history vectors have 3 dims"), wrong.errLine());
            assertTrue(cluster.documents.get("wrong").isEmpty());

            // --only users reads no history vectors
            CliRun users = CliRun.of("index", "--model", out.toString(), "--url", cluster.url().toString(), "--only", "users", "--quiet");
            assertEquals(0, users.code(), users.err());
            assertFalse(users.err().contains("history vectors"), users.err());
        }
    }

    @Test
    void aHistoryFieldThatCannotApplyIsAUsageError() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun none = index(cluster, "--history-field", "history_embedding");
            assertEquals(2, none.code());
            assertTrue(none.errLine().contains("--history-field applies to a model with history vectors (files.history in manifest.json)"),
                none.errLine());
            Path out = multDae();
            for (String clash : List.of("embedding", "item_id", " ")) {
                CliRun bad = CliRun.of("index", "--model", out.toString(), "--url", cluster.url().toString(), "--history-field", clash, "--quiet");
                assertEquals(2, bad.code(), clash);
                assertTrue(bad.errLine().contains("--history-field must be a field name other than [embedding] and [item_id]"), bad.errLine());
            }
            CliRun usersOnly = CliRun.of("index", "--model", out.toString(), "--url", cluster.url().toString(), "--only", "users",
                "--history-field", "clicked", "--quiet");
            assertEquals(2, usersOnly.code());
            assertTrue(usersOnly.errLine().contains("--history-field fills the items index, but --only users skips it"), usersOnly.errLine());
            assertTrue(cluster.requests.isEmpty(), "nothing is sent when an option is wrong: " + cluster.requests);
        }
    }

    @Test
    void seenOptionsThatCannotApplyAreUsageErrors() throws IOException {
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun noFile = index(cluster, "--max-seen", "5");
            assertEquals(2, noFile.code());
            assertTrue(noFile.errLine().contains("--max-seen applies to --seen-from, which is not given"), noFile.errLine());
            CliRun format = index(cluster, "--min-rating", "4");
            assertEquals(2, format.code());
            assertTrue(format.errLine().contains("--min-rating applies to --seen-from"), format.errLine());
            CliRun items = index(cluster, seenOptions(seen, "--only", "items"));
            assertEquals(2, items.code());
            assertTrue(items.errLine().contains("--only items skips it"), items.errLine());
            CliRun zero = index(cluster, seenOptions(seen, "--max-seen", "0"));
            assertEquals(2, zero.code());
            assertTrue(zero.errLine().contains("--max-seen must be at least 1 but was 0"), zero.errLine());
            CliRun clash = index(cluster, seenOptions(seen, "--seen-field", "embedding"));
            assertEquals(2, clash.code());
            CliRun delimiter = index(cluster, "--seen-from", seen.toString(), "--delimiter", "ab");
            assertEquals(2, delimiter.code());
            assertTrue(delimiter.errLine().contains("--delimiter must be one character"), delimiter.errLine());
            assertTrue(cluster.requests.isEmpty(), "nothing is sent when an option is wrong: " + cluster.requests);
        }
    }
}
