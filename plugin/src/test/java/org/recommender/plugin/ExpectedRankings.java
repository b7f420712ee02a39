package org.recommender.plugin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Rankings a test computes itself, in double precision, from a user vector and the item vectors it indexed — the
 * documented score transforms and the assertion that a response ranks and scores like them. Shared by the internal
 * cluster tests and the real-node tests of user specs.
 */
public final class ExpectedRankings {
    /** The raw dot product u·v. */
    public static final ToDoubleBiFunction<double[], float[]> RAW_DOT = ExpectedRankings::dot;
    /** The documented {@code dot_product} score: r + 1 for r ≥ 0, else 1 / (1 − r). */
    public static final ToDoubleBiFunction<double[], float[]> DOT_SCORE = (u, v) -> {
        double r = dot(u, v);
        return r < 0 ? 1 / (1 - r) : r + 1;
    };
    /** The documented {@code cosine} score: (1 + cos) / 2. */
    public static final ToDoubleBiFunction<double[], float[]> COSINE_SCORE = (u, v) -> {
        double uu = 0;
        double vv = 0;
        for (int d = 0; d < u.length; d++) {
            uu += u[d] * u[d];
            vv += (double) v[d] * v[d];
        }
        return (1 + dot(u, v) / Math.sqrt(uu * vv)) / 2;
    };

    private ExpectedRankings() {}

    /** @return u·v in double */
    public static double dot(double[] u, float[] v) {
        double r = 0;
        for (int d = 0; d < u.length; d++) {
            r += u[d] * v[d];
        }
        return r;
    }

    /** @return every item of {@code items} but {@code excluded}, best first by {@code score} */
    public static List<Map.Entry<String, Double>> ranking(
        Map<String, float[]> items,
        double[] u,
        Set<String> excluded,
        ToDoubleBiFunction<double[], float[]> score
    ) {
        List<Map.Entry<String, Double>> ranked = new ArrayList<>();
        for (Map.Entry<String, float[]> e : items.entrySet()) {
            if (excluded.contains(e.getKey()) == false) {
                ranked.add(Map.entry(e.getKey(), score.applyAsDouble(u, e.getValue())));
            }
        }
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return ranked;
    }

    /**
     * The documented {@code best_score} of example users, in double from the indexed floats: p and n the best
     * similarities (u·v, or the cosine) of an item to a positive and to a negative example, the score 1 + S(p) when
     * p &gt; n (or there is no negative), else 1 / (2 + S(n)), S the similarity's score transform.
     *
     * @return every item of {@code items} but {@code excluded}, best first
     */
    public static List<Map.Entry<String, Double>> bestScoreRanking(
        Map<String, float[]> items,
        List<String> positive,
        List<String> negative,
        Set<String> excluded,
        boolean cosine
    ) {
        List<Map.Entry<String, Double>> ranked = new ArrayList<>();
        for (Map.Entry<String, float[]> item : items.entrySet()) {
            if (excluded.contains(item.getKey())) {
                continue;
            }
            double p = Double.NEGATIVE_INFINITY;
            for (String id : positive) {
                p = Math.max(p, similarity(items.get(id), item.getValue(), cosine));
            }
            double n = Double.NEGATIVE_INFINITY;
            for (String id : negative) {
                n = Math.max(n, similarity(items.get(id), item.getValue(), cosine));
            }
            double score = p > n ? 1 + transform(p, cosine) : 1 / (2 + transform(n, cosine));
            ranked.add(Map.entry(item.getKey(), score));
        }
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return ranked;
    }

    private static double similarity(float[] e, float[] v, boolean cosine) {
        double dot = 0;
        double ee = 0;
        double vv = 0;
        for (int d = 0; d < e.length; d++) {
            dot += (double) e[d] * v[d];
            ee += (double) e[d] * e[d];
            vv += (double) v[d] * v[d];
        }
        return cosine ? dot / Math.sqrt(ee * vv) : dot;
    }

    private static double transform(double r, boolean cosine) {
        return cosine ? (1 + r) / 2 : r < 0 ? 1 / (1 - r) : r + 1;
    }

    /** Asserts the first {@code k} hits are {@code expected}'s first k, in order, each score within 1e-5 relative. */
    public static void assertRanking(String what, JsonNode hits, List<Map.Entry<String, Double>> expected, int k) {
        assertTrue(what + ": fewer than " + k + " expected items", expected.size() >= k);
        assertEquals(what + ": " + hits, k, hits.size());
        for (int r = 0; r < k; r++) {
            double score = expected.get(r).getValue();
            assertEquals(what + " rank " + r, expected.get(r).getKey(), hits.get(r).path("_id").asText());
            assertEquals(what + " rank " + r, score, hits.get(r).path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(score)));
        }
    }

    /** @return the hits' ids, in order */
    public static List<String> ids(JsonNode hits) {
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }
}
