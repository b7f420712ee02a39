package org.recommender.tools.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.EmbeddingReader;
import org.recommender.core.io.EmbeddingWriter;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster code against {@link FakeOpenSearch} over real HTTP, through opensearch-java's transport. */
class ClusterRoundTripTest {
    @TempDir
    Path dir;

    private FakeOpenSearch cluster;
    private final List<Long> sleeps = new ArrayList<>();
    /** What the connection said before each retry. */
    private final List<String> retries = Collections.synchronizedList(new ArrayList<>());
    private OpenSearchConnection connection;

    @BeforeEach
    void start() throws IOException {
        cluster = new FakeOpenSearch();
        connection = new OpenSearchConnection(cluster.url(), null, RetryPolicy.withRetries(3), sleeps::add, retries::add);
    }

    @AfterEach
    void stop() throws IOException {
        connection.close();
        cluster.close();
    }

    private Path embeddings(String prefix, int count, int dims) throws IOException {
        Path file = dir.resolve(prefix + ".jsonl");
        try (EmbeddingWriter w = new EmbeddingWriter(file, dims)) {
            for (int i = 1; i <= count; i++) {
                float[] v = new float[dims];
                v[i % dims] = i; // item i points along axis i mod dims, with length i
                w.write(prefix + i, v);
            }
        }
        return file;
    }

    private IndexReport index(String index, Path file, int dims, int batch) throws IOException {
        try (EmbeddingReader reader = new EmbeddingReader(file, dims)) {
            return new BulkIndexer(connection, batch, 1).index(index, reader, new BulkBody("item_id", "embedding"), IndexProgress.Position.START, null,
                n -> {});
        }
    }

    @Test
    void createsTheMissingIndexWithManifestDimsAndIndexesEveryDocument() throws IOException {
        assertEquals(IndexPreparer.Outcome.CREATED,
            new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false));
        assertEquals(4, cluster.mappings.get("items").path("mappings").path("properties").path("embedding").path("dims").asInt());

        IndexReport report = index("items", embeddings("i", 25, 4), 4, 10);
        assertTrue(report.complete(), report.toString());
        assertEquals(25, report.read());
        assertEquals(25, report.written());
        assertEquals(25, report.count());
        assertEquals(3, cluster.bulkRequests());
        assertEquals("i7", cluster.documents.get("items").get("i7").path("item_id").asText());
        assertEquals(7.0, cluster.documents.get("items").get("i7").path("embedding").get(3).asDouble());
        for (FakeOpenSearch.Received r : cluster.requests) {
            if (r.path().endsWith("/_bulk")) {
                assertTrue(r.contentType().startsWith("application/x-ndjson"), r.contentType());
                assertTrue(r.body().endsWith("\n"));
            }
        }
        assertTrue(sleeps.isEmpty());
        assertEquals(IndexPreparer.Outcome.EXISTING,
            new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false));
    }

    @Test
    void retriesBusyAndUnavailableResponsesWithBackOff() throws IOException {
        new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false);
        cluster.bulkStatuses.add(429);
        cluster.bulkStatuses.add(503);
        cluster.busyOnce.add("i3");
        IndexReport report = index("items", embeddings("i", 5, 4), 4, 100);
        assertTrue(report.complete(), report.toString());
        // 429 and 503 on the whole request (250, 500 ms), then i3 refused alone and re-sent (250 ms)
        assertEquals(List.of(250L, 500L, 250L), sleeps);
        String at = "OpenSearch at " + cluster.url();
        assertEquals(3, retries.size(), retries.toString());
        assertTrue(retries.get(0).startsWith(at + " answered 429 ("), retries.get(0));
        assertTrue(retries.get(0).endsWith(") on POST /items/_bulk: attempt 1 of 4 failed, retrying in 250 ms"), retries.get(0));
        assertTrue(retries.get(1).startsWith(at + " answered 503 ("), retries.get(1));
        assertTrue(retries.get(1).endsWith(") on POST /items/_bulk: attempt 2 of 4 failed, retrying in 500 ms"), retries.get(1));
        assertTrue(retries.get(2).startsWith(at + " refused 1 of 5 documents (the first: 429 "), retries.get(2));
        assertTrue(retries.get(2).endsWith(" on POST /items/_bulk: attempt 1 of 4 failed, retrying in 250 ms"), retries.get(2));
        assertEquals(4, cluster.bulkRequests());
        String lastBulk = cluster.requests.stream().filter(r -> r.path().endsWith("/_bulk")).reduce((a, b) -> b).orElseThrow().body();
        assertEquals(2, lastBulk.split("\n").length, "only the refused document is sent again");
    }

    @Test
    void permanentFailuresAndCountMismatchesAreReported() throws IOException {
        new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false);
        cluster.rejected.add("i2");
        IndexReport report = index("items", embeddings("i", 4, 4), 4, 100);
        assertFalse(report.complete());
        assertEquals(3, report.written());
        assertEquals(1, report.failed());
        assertEquals(List.of(new BulkItemFailure("i2", 400, "mapper_parsing_exception: [embedding] has 3 dimensions but 4 were expected")),
            report.firstFailures());

        cluster.rejected.clear();
        cluster.countDeficit = 1;
        IndexReport lost = index("items", embeddings("i", 4, 4), 4, 100);
        assertEquals(0, lost.failed());
        assertEquals(3, lost.count());
        assertFalse(lost.complete());
    }

    @Test
    void concurrentBatchesIndexEveryDocumentOnce() throws IOException {
        new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false);
        Path file = embeddings("i", 103, 4);
        List<Long> steps = new ArrayList<>();
        IndexReport report;
        try (EmbeddingReader reader = new EmbeddingReader(file, 4)) {
            report = new BulkIndexer(connection, 10, 4).index("items", reader, new BulkBody("item_id", "embedding"), IndexProgress.Position.START, null,
                n -> { synchronized (steps) { steps.add(n); } });
        }
        assertTrue(report.complete(), report.toString());
        assertEquals(103, cluster.documents.get("items").size());
        assertEquals(11, cluster.bulkRequests());
        assertEquals(103L, steps.stream().mapToLong(Long::longValue).sum(), "progress adds up to the documents");
        assertEquals(103.0, cluster.documents.get("items").get("i103").path("embedding").get(3).asDouble());
    }

    @Test
    void aSlowBatchHoldsBackTheOnesAfterIt() throws IOException {
        new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false);
        Path file = embeddings("i", 100, 4);
        cluster.slowBulkId = "i1"; // in the first batch
        cluster.slowBulkMillis = 400;
        IndexProgress progress = new IndexProgress(dir.resolve("progress.json"), "http://x", "items", file, java.util.Map.of());
        IndexReport report;
        try (EmbeddingReader reader = new EmbeddingReader(file, 4)) {
            report = new BulkIndexer(connection, 10, 3).index("items", reader, new BulkBody("item_id", "embedding"), IndexProgress.Position.START,
                progress.writer(IndexProgress.Snapshot.NONE), n -> {});
        }
        assertTrue(report.complete(), report.toString());
        assertEquals(100, cluster.documents.get("items").size());
        // while the first batch is out, the saved prefix is stuck at 0: only the next two may be sent, however fast
        // they come back, so a kill then would re-send at most 3 batches
        assertEquals(3, cluster.bulkRequestsWhenSlowAnswered, "requests sent while the first batch was pending");
    }

    @Test
    void anInterruptedRunResumesAfterTheBatchesItFinished() throws IOException {
        new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false);
        Path file = embeddings("i", 45, 4);
        IndexProgress progress = new IndexProgress(dir.resolve("progress.json"), "http://x", "items", file, java.util.Map.of());
        cluster.refuseBulkAfter = 2;
        try (EmbeddingReader reader = new EmbeddingReader(file, 4)) {
            BulkIndexer indexer = new BulkIndexer(connection, 10, 1);
            ClusterException e = assertThrows(ClusterException.class,
                () -> indexer.index("items", reader, new BulkBody("item_id", "embedding"), IndexProgress.Position.START,
                    progress.writer(IndexProgress.Snapshot.NONE), n -> {}));
            assertTrue(e.getMessage().contains("failed with 400"), e.getMessage());
        }
        IndexProgress.Snapshot saved = progress.read();
        assertEquals(new IndexProgress.Position(20, 0), saved.position());
        assertEquals(20, cluster.documents.get("items").size());

        cluster.refuseBulkAfter = Long.MAX_VALUE;
        long before = cluster.bulkRequests();
        IndexReport report;
        try (EmbeddingReader reader = new EmbeddingReader(file, 4)) {
            report = new BulkIndexer(connection, 10, 1).index("items", reader, new BulkBody("item_id", "embedding"), saved.position(),
                progress.writer(saved), n -> {});
        }
        assertTrue(report.complete(), report.toString());
        assertEquals(20, report.resumedFrom());
        assertEquals(45, report.written());
        assertEquals(45, cluster.documents.get("items").size());
        assertEquals(3, cluster.bulkRequests() - before, "only the 25 unfinished documents are sent, in 3 batches");
        String resent = cluster.requests.stream().filter(r -> r.path().endsWith("/_bulk")).skip(before).map(FakeOpenSearch.Received::body)
            .reduce("", String::concat);
        assertFalse(resent.contains("\"_id\":\"i20\""), "a finished document is not sent again");
        assertTrue(resent.contains("\"_id\":\"i21\""));
    }

    @Test
    void progressOfAnotherFileIndexOrClusterIsNotTrusted() throws IOException {
        Path file = embeddings("i", 5, 4);
        Path state = dir.resolve("progress.json");
        IndexProgress.Writer writer = new IndexProgress(state, "http://x", "items", file, java.util.Map.of()).writer(IndexProgress.Snapshot.NONE);
        writer.recordPartialUpdates(true);
        writer.recordIndexUuid("uuid-1");
        writer.save(new IndexProgress.Position(3, 1));
        assertEquals(new IndexProgress.Snapshot(new IndexProgress.Position(3, 1), java.util.Optional.of(true), java.util.Optional.of("uuid-1")),
            new IndexProgress(state, "http://x", "items", file, java.util.Map.of()).read());
        // a writer starts with what the snapshot it resumes recorded, until its run records its own
        IndexProgress same = new IndexProgress(state, "http://x", "items", file, java.util.Map.of());
        same.writer(same.read()).save(new IndexProgress.Position(4, 1));
        assertEquals(new IndexProgress.Snapshot(new IndexProgress.Position(4, 1), java.util.Optional.of(true), java.util.Optional.of("uuid-1")), same.read());
        assertEquals(IndexProgress.Snapshot.NONE, new IndexProgress(state, "http://y", "items", file, java.util.Map.of()).read());
        assertEquals(IndexProgress.Snapshot.NONE, new IndexProgress(state, "http://x", "other", file, java.util.Map.of()).read());
        assertEquals(IndexProgress.Snapshot.NONE, new IndexProgress(state, "http://x", "items", file, java.util.Map.of("write", "update")).read(),
            "other options shape other documents");
        embeddings("i", 6, 4); // retrained: same path, other content
        assertEquals(IndexProgress.Snapshot.NONE, new IndexProgress(state, "http://x", "items", file, java.util.Map.of()).read());
        java.nio.file.Files.writeString(state, "{\"identity\":");
        assertEquals(IndexProgress.Snapshot.NONE, new IndexProgress(state, "http://x", "items", file, java.util.Map.of()).read(), "a torn file is ignored");
    }

    @Test
    void existingIndexWithOtherDimsIsRefusedUnlessRecreated() throws IOException {
        IndexPreparer preparer = new IndexPreparer(connection);
        preparer.prepare("items", IndexMapping.bundled("items"), "embedding", 8, false);
        ClusterException e = assertThrows(ClusterException.class,
            () -> preparer.prepare("items", IndexMapping.bundled("items"), "embedding", 4, false));
        assertEquals("index [items] maps [embedding] with 8 dims but the embeddings have 4; pass --recreate to replace the index, "
            + "or choose another index name", e.getMessage());
        assertEquals(IndexPreparer.Outcome.RECREATED, preparer.prepare("items", IndexMapping.bundled("items"), "embedding", 4, true));
        assertEquals(4, cluster.mappings.get("items").path("mappings").path("properties").path("embedding").path("dims").asInt());
    }

    @Test
    void recommendationsComeFromTheUserVectorAndTheScriptScoreSearch() throws IOException {
        IndexPreparer preparer = new IndexPreparer(connection);
        preparer.prepare("items", IndexMapping.bundled("items"), "embedding", 4, false);
        preparer.prepare("users", IndexMapping.bundled("users"), "embedding", 4, false);
        index("items", embeddings("i", 12, 4), 4, 5);
        try (EmbeddingReader reader = new EmbeddingReader(embeddings("u", 2, 4), 4)) {
            new BulkIndexer(connection, 10, 1).index("users", reader, new BulkBody("user_id", "embedding"), IndexProgress.Position.START, null, n -> {});
        }
        RecommendationClient client = new RecommendationClient(connection);
        float[] u2 = client.userVector("users", "u2", "embedding");
        assertArrayEquals(new float[] { 0, 0, 2, 0 }, u2);
        List<ScoredItem> top = client.search("items", new ScriptScoreQuery("embedding", u2, "dot", 3));
        // items on axis 2 are i2, i6, i10: dot = 2 * length, so the longest first; score = dot + 1
        assertEquals(List.of(new ScoredItem("i10", 21), new ScoredItem("i6", 13), new ScoredItem("i2", 5)), top);

        assertEquals("user [nobody] not found in index [users]",
            assertThrows(ClusterException.class, () -> client.userVector("users", "nobody", "embedding")).getMessage());
        assertTrue(assertThrows(ClusterException.class, () -> client.userVector("nope", "u1", "embedding")).getMessage()
            .startsWith("index [nope] does not exist"));
        assertEquals("user [u1] in index [users] has no vector in field [vec]",
            assertThrows(ClusterException.class, () -> client.userVector("users", "u1", "vec")).getMessage());
    }

    @Test
    void anUnreachableClusterFailsAfterBoundedRetries() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        URI url = URI.create("http://127.0.0.1:" + port);
        try (OpenSearchConnection dead = new OpenSearchConnection(url, null, RetryPolicy.withRetries(2), sleeps::add, retries::add)) {
            ClusterException e = assertThrows(ClusterException.class, () -> dead.sendJson("GET", "/", null));
            assertTrue(e.getMessage().startsWith("OpenSearch at " + url + " could not be reached ("), e.getMessage());
            assertTrue(e.getMessage().endsWith(") on GET / after 2 retries"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertEquals(List.of(250L, 500L), sleeps);
        // one line before each wait: what failed, which attempt of how many, how long until the next
        assertEquals(2, retries.size(), retries.toString());
        for (int i = 0; i < 2; i++) {
            String line = retries.get(i);
            assertTrue(line.startsWith("OpenSearch at " + url + " could not be reached ("), line);
            assertTrue(line.endsWith(") on GET /: attempt " + (i + 1) + " of 3 failed, retrying in " + sleeps.get(i) + " ms"), line);
            assertFalse(line.contains("\n"), line);
        }
    }

    @Test
    void aStatusThatStaysRetryableFailsWithTheClustersReason() throws IOException {
        new IndexPreparer(connection).prepare("items", IndexMapping.bundled("items"), "embedding", 4, false);
        for (int i = 0; i < 4; i++) {
            cluster.bulkStatuses.add(503);
        }
        ClusterException e = assertThrows(ClusterException.class, () -> index("items", embeddings("i", 2, 4), 4, 10));
        assertEquals("OpenSearch at " + cluster.url() + " answered 503 (rejected_execution_exception: injected 503) on POST /items/_bulk "
            + "after 3 retries", e.getMessage());
    }

    @Test
    void badUrlsAreRefused() {
        assertEquals("--url must look like http://host:9200 but was [ftp://x]",
            assertThrows(IllegalArgumentException.class, () -> new OpenSearchConnection(URI.create("ftp://x"), null, RetryPolicy.withRetries(0), Sleeper.SYSTEM))
                .getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new OpenSearchConnection(cluster.url(), "no-colon", RetryPolicy.withRetries(0), Sleeper.SYSTEM));
        assertEquals("a%20b%2Fc", OpenSearchConnection.encode("a b/c"));
    }
}
