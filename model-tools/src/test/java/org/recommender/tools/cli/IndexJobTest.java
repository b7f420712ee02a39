package org.recommender.tools.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.EmbeddingWriter;
import org.recommender.tools.cluster.FakeOpenSearch;
import org.recommender.tools.cluster.IndexMapping;
import org.recommender.tools.cluster.IndexPreparer;
import org.recommender.tools.cluster.IndexProgress;
import org.recommender.tools.cluster.BulkIndexer;
import org.recommender.tools.cluster.OpenSearchConnection;
import org.recommender.tools.cluster.RetryPolicy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The resume policy where the progress file cannot be written or removed: the run goes on and says so. */
class IndexJobTest {
    @TempDir
    Path dir;

    private FakeOpenSearch cluster;
    private OpenSearchConnection connection;

    @BeforeEach
    void start() throws IOException {
        cluster = new FakeOpenSearch();
        connection = new OpenSearchConnection(cluster.url(), null, RetryPolicy.withRetries(1), ms -> {});
    }

    @AfterEach
    void stop() throws IOException {
        dir.toFile().setWritable(true);
        connection.close();
        cluster.close();
    }

    @Test
    void restartInAReadOnlyDirectoryIgnoresTheOldProgressAndSendsEverything() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes into read-only directories");
        Path file = dir.resolve("items.jsonl");
        try (EmbeddingWriter w = new EmbeddingWriter(file, 2)) {
            for (int i = 1; i <= 30; i++) {
                w.write("i" + i, new float[] { i, 1 });
            }
        }
        Path progressFile = dir.resolve("progress-items.json");
        IndexJob.Options options = new IndexJob.Options("embedding", 2, "replace", false, true, true);
        // an interrupted run of the same shape saved that 20 documents were done
        Map<String, String> shape = new TreeMap<>(Map.of("field", "embedding", "id_field", "item_id", "write", "replace"));
        new IndexProgress(progressFile, cluster.url().toString(), "items", file, shape).writer(IndexProgress.Snapshot.NONE)
            .save(new IndexProgress.Position(20, 0));
        assertTrue(dir.toFile().setWritable(false));

        StringWriter err = new StringWriter();
        IndexJob job = new IndexJob(new IndexJob.Target("items", "items", "item_id", file, 30), IndexMapping.bundled("items"), progressFile, options,
            null, null, new PrintWriter(err, true));
        IndexJob.Result result = job.run(cluster.url().toString(), new IndexPreparer(connection), new BulkIndexer(connection, 10, 1));

        assertEquals(30, result.report().written(), err.toString());
        assertEquals(0, result.report().resumedFrom(), "--restart does not resume from the file it could not remove");
        assertEquals(30, cluster.documents.get("items").size());
        assertTrue(err.toString().contains("cannot remove"), err.toString());
        assertTrue(Files.exists(progressFile));
    }
}
