package org.recommender.tools.parity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.EmbeddingWriter;
import org.recommender.core.rank.TopK;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.tools.cluster.PluginSurfaces.Surface;
import org.recommender.tools.cluster.ScoredItem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parity arithmetic: tolerances, near-ties at the cut, unknown ids, and the reference each surface is held to. */
class ParityTallyTest {
    @TempDir
    Path dir;

    /** Items a..e on one axis, with lengths 5, 4, 3, 2, 1; and f pointing the other way. */
    private OfflineCatalog catalog() throws IOException {
        Path file = dir.resolve("items.jsonl");
        try (EmbeddingWriter w = new EmbeddingWriter(file, 2)) {
            w.write("a", new float[] { 5, 0 });
            w.write("b", new float[] { 4, 0 });
            w.write("c", new float[] { 3, 0 });
            w.write("d", new float[] { 2, 0 });
            w.write("e", new float[] { 1, 0 });
            w.write("f", new float[] { 0, 9 });
        }
        return OfflineCatalog.load(file, 2);
    }

    @Test
    void exactScoresAndTheSameTopKPass() throws IOException {
        OfflineCatalog items = catalog();
        float[] scores = { 5, 4, 3, 2, 1, 0 };
        ParityTally tally = new ParityTally("script", 1e-4, 1e-4);
        tally.add("u", List.of(new ScoredItem("a", 5), new ScoredItem("b", 4.0002)), scores, items, new ReferenceRanking.Expected(TopK.of(scores, 2), null));
        assertTrue(tally.passes(1.0));
        assertEquals(2, tally.items());
        assertEquals(2e-4, tally.maxAbs(), 1e-6);
        assertEquals(5e-5, tally.maxRel(), 1e-6);
        assertEquals(1.0, tally.meanAgreement());
    }

    @Test
    void aScoreBeyondToleranceFails() throws IOException {
        OfflineCatalog items = catalog();
        float[] scores = { 5, 4, 3, 2, 1, 0 };
        ParityTally tally = new ParityTally("endpoint", 1e-4, 1e-4);
        tally.add("u", List.of(new ScoredItem("a", 5.01), new ScoredItem("b", 4)), scores, items, new ReferenceRanking.Expected(TopK.of(scores, 2), null));
        assertFalse(tally.passes(0.0));
        assertEquals(1, tally.scoreMismatches());
        assertTrue(tally.examples().get(0).contains("item [a] scored 5.01000 online, 5.00000 offline"), tally.examples().toString());
    }

    @Test
    void aWrongItemLowersAgreementButANearTieAtTheCutDoesNot() throws IOException {
        OfflineCatalog items = catalog();
        float[] scores = { 5, 4, 3, 3.00001f, 1, 0 };
        ReferenceRanking.Expected reference = new ReferenceRanking.Expected(TopK.of(scores, 3), null); // a, b, d (d beats c by 1e-5)
        ParityTally tie = new ParityTally("rescorer", 1e-4, 1e-4);
        tie.add("u", List.of(new ScoredItem("a", 5), new ScoredItem("b", 4), new ScoredItem("c", 3)), scores, items, reference);
        assertEquals(1.0, tie.minAgreement(), "c is within tolerance of the offline third item");
        ParityTally wrong = new ParityTally("rescorer", 1e-4, 1e-4);
        wrong.add("u", List.of(new ScoredItem("a", 5), new ScoredItem("b", 4), new ScoredItem("e", 1)), scores, items, reference);
        assertEquals(2.0 / 3, wrong.minAgreement(), 1e-9);
        assertTrue(wrong.passes(0.5));
        assertFalse(wrong.passes(1.0));
        ParityTally shortList = new ParityTally("rescorer", 1e-4, 1e-4);
        shortList.add("u", List.of(new ScoredItem("a", 5)), scores, items, reference);
        assertEquals(1.0 / 3, shortList.minAgreement(), 1e-9, "missing items disagree");
    }

    @Test
    void theScriptsScoreTransformIsUndone() {
        for (float raw : new float[] { 0, 0.25f, 7.5f, -0.5f, -40 }) {
            float score = VectorSimilarity.DOT_PRODUCT.toScore(raw); // what the plugin's script returns (PairScorer)
            assertEquals(raw, VectorSimilarity.DOT_PRODUCT.fromScore(score), 1e-5 * Math.max(1, Math.abs(raw)), "raw " + raw);
        }
    }

    @Test
    void anUnknownItemFailsAndScoresOnlyComparisonsHaveNoAgreement() throws IOException {
        OfflineCatalog items = catalog();
        float[] scores = { 5, 4, 3, 2, 1, 0 };
        ParityTally tally = new ParityTally("rescorer", 1e-4, 1e-4);
        tally.add("u", List.of(new ScoredItem("zz", 5), new ScoredItem("c", 3)), scores, items, null);
        assertFalse(tally.passes(0.0));
        assertTrue(Double.isNaN(tally.meanAgreement()));
        assertEquals(1, tally.items());
    }

    @Test
    void eachSurfaceIsHeldToTheStepsItTakes() throws IOException {
        OfflineCatalog items = catalog();
        float[] user = { 1, 0 };
        float[] model = { 0, 1, 2, 3, 4, 5 }; // a model that ranks the other way round: f, e, d, ...
        ReferenceRanking all = new ReferenceRanking(items, "dot_product", 2, 6, true);
        java.util.Set<Surface> every = java.util.EnumSet.allOf(Surface.class);
        java.util.Map<Surface, ReferenceRanking.Expected> full = all.expected(every, user, model);
        assertArrayEquals(new int[] { 5, 4 }, full.get(Surface.SCRIPT).top());
        assertArrayEquals(new int[] { 5, 4 }, full.get(Surface.ENDPOINT).top());
        ReferenceRanking partial = new ReferenceRanking(items, "dot_product", 2, 3, true);
        java.util.Map<Surface, ReferenceRanking.Expected> window = partial.expected(every, user, model);
        // candidates: the 3 nearest by dot product (a, b, c); the model prefers c, then b
        ReferenceRanking.Expected endpoint = window.get(Surface.ENDPOINT);
        assertArrayEquals(new int[] { 2, 1 }, endpoint.top());
        assertTrue(endpoint.allows(0) && endpoint.allows(2) && endpoint.allows(5) == false);
        assertNull(window.get(Surface.RESCORER), "a partial window holds shard-chosen items");
        assertArrayEquals(new int[] { 5, 4 }, window.get(Surface.SCRIPT).top());

        // candidates from match_all instead of kNN (a user that cannot search the field): held to what the rescorer is
        ReferenceRanking query = new ReferenceRanking(items, "dot_product", 2, 3, false);
        assertNull(query.expected(every, user, model).get(Surface.ENDPOINT), "a partial match_all window holds shard-chosen items");
        assertArrayEquals(new int[] { 5, 4 }, new ReferenceRanking(items, "dot_product", 2, 6, false).expected(every, user, model)
            .get(Surface.ENDPOINT).top());

        // an endpoint that skipped its candidate step would return f and e, which outscore its true top: not agreement
        ParityTally skipped = new ParityTally("endpoint", 1e-4, 1e-4);
        skipped.add("u", List.of(new ScoredItem("f", 5), new ScoredItem("e", 4)), model, items, endpoint);
        assertEquals(0.0, skipped.minAgreement());
    }
}
