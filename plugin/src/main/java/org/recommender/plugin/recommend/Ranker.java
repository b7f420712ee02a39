package org.recommender.plugin.recommend;

import org.recommender.plugin.query.BestScoreUsers;
import org.recommender.plugin.query.VectorSource;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.common.document.DocumentField;
import org.opensearch.search.SearchHit;
import org.recommender.core.model.FiniteScores;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.rank.MaximalMarginalRelevance;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.vector.VectorSimilarity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns every user's candidates into that user's ranked list on the coordinating node. When the shards did not
 * score them, scores each user's own candidates in one batched model call per user (at most
 * {@code index.max_result_window} items, so a call's memory is bounded as a rescore window's is; scoring every user
 * against the union of all users' candidates, as this did before, made 100 users with disjoint candidates a grid of
 * a million items per user, hundreds of MB on the heap and more in ND4J's workspace, which a search thread keeps);
 * then orders them by score and diversifies the top of the list with MMR when asked. Global top-k by construction: the candidates are already the best across all shards. A
 * best-score example user's candidates always come scored by their search ({@link ResolvedUser#scoredByItsSearch}).
 */
final class Ranker {
    /** How each item was scored, for explanations: the model id and version, or the field's similarity. */
    private final String scoredBy;
    private final ScoringModel model;
    private final ItemField field;
    private final RecommendQuery request;
    private final boolean scoredOnShards;
    private long scoringNanos;
    private long diversityNanos;
    private Kernel kernel;

    /** A ranker for {@code plan}: its model (or the field's similarity) and its scoring site. */
    Ranker(RecommendPlan plan) {
        this.request = plan.query();
        this.field = plan.field();
        this.model = plan.scorer();
        this.scoredBy = plan.scoredBy();
        this.scoredOnShards = plan.scoreOnShards();
    }

    /** One user's candidates: positions into the shared item table, and each one's search hit. */
    private record Candidates(int[] items, SearchHit[] hits) {}

    /**
     * @param searches each user's candidate search, in user order; when the plan scores on the shards, hits come best
     *     first with their final score, and with vectors only when MMR needs them
     */
    List<UserRanking> rank(List<ResolvedUser> users, MultiSearchResponse.Item[] searches) throws Exception {
        long start = System.nanoTime();
        Map<ItemKey, Integer> positions = new HashMap<>();
        List<float[]> table = new ArrayList<>();
        Candidates[] candidates = new Candidates[users.size()];
        List<Integer> scoredUsers = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            if (searches[u].isFailure()) {
                throw searches[u].getFailure();
            }
            ShardSearchFailure[] shardFailures = searches[u].getResponse().getShardFailures();
            if (shardFailures.length > 0) {
                throw RetryPolicy.partialCandidates(shardFailures);
            }
            SearchHit[] hits = searches[u].getResponse().getHits().getHits();
            ResolvedUser user = users.get(u);
            if (user.strategy() == Strategy.FALLBACK) {
                continue;
            }
            boolean scoredHere = scoredHere(user);
            if (scoredHere) {
                scoredUsers.add(u);
            }
            boolean needVectors = scoredHere || request.diversify();
            Set<String> excluded = user.excluded();
            int[] items = new int[hits.length];
            SearchHit[] kept = new SearchHit[hits.length];
            int n = 0;
            for (SearchHit hit : hits) {
                if (excluded.contains(hit.getId())) {
                    continue; // excluded in the search already; checked again because a leak is never acceptable
                }
                if (needVectors) {
                    ItemKey key = new ItemKey(hit.getIndex(), hit.getId());
                    Integer position = positions.get(key);
                    if (position == null) {
                        DocumentField values = hit.field(request.field());
                        float[] vector = VectorSource.vector(values == null ? null : values.getValues(), hit.getIndex(), hit.getId(), request.field());
                        if (vector == null) {
                            continue; // a candidate without a vector cannot be scored
                        }
                        position = table.size();
                        table.add(vector);
                        positions.put(key, position);
                    }
                    items[n] = position;
                }
                kept[n++] = hit;
            }
            candidates[u] = new Candidates(Arrays.copyOf(items, n), Arrays.copyOf(kept, n));
        }
        float[][] itemVectors = table.toArray(float[][]::new);
        float[][] scores = score(users, scoredUsers, candidates, itemVectors);
        scoringNanos = System.nanoTime() - start;

        long diversityStart = System.nanoTime();
        List<UserRanking> results = new ArrayList<>(users.size());
        int row = 0;
        for (int u = 0; u < users.size(); u++) {
            ResolvedUser user = users.get(u);
            List<RankedItem> items;
            if (user.strategy() == Strategy.FALLBACK) {
                items = fallbackItems(searches[u].getResponse().getHits().getHits());
            } else {
                Candidates c = candidates[u];
                boolean scoredHere = scoredHere(user);
                float[] userScores = new float[c.hits().length];
                for (int i = 0; i < userScores.length; i++) {
                    userScores[i] = scoredHere ? scores[row][i] : c.hits()[i].getScore();
                }
                if (scoredHere) {
                    row++;
                }
                String by = user.examples() == null ? scoredBy : BestScoreUsers.describe(user.examples(), scoredBy);
                items = rankedItems(c, userScores, itemVectors, scoredHere, by);
                if (request.explain() && user.encodedBy() != null) {
                    for (RankedItem item : items) {
                        item.explanation().put("user_encoded_by", user.encodedBy()); // the encoder's id and version, as the model's
                    }
                }
            }
            results.add(new UserRanking(user.id(), user.strategy(), items));
        }
        diversityNanos = System.nanoTime() - diversityStart;
        return results;
    }

    /** @return whether this node scores {@code user}'s candidates (else its search returned their final scores) */
    private boolean scoredHere(ResolvedUser user) {
        return scoredOnShards == false && user.scoredByItsSearch() == false;
    }

    /**
     * @return for every scored user (rows, in order), the scores of that user's own candidates, in candidate order:
     *     one batched call per user; {@link #kernel} becomes the kernel of the largest call
     */
    private float[][] score(List<ResolvedUser> users, List<Integer> scoredUsers, Candidates[] candidates, float[][] table) {
        float[][] out = new float[scoredUsers.size()][];
        int largest = 0;
        for (int row = 0; row < out.length; row++) {
            int u = scoredUsers.get(row);
            int[] positions = candidates[u].items();
            float[][] items = new float[positions.length][];
            for (int i = 0; i < items.length; i++) {
                items[i] = table[positions[i]];
            }
            out[row] = new float[items.length];
            if (items.length == 0) {
                continue;
            }
            float[] vector = users.get(u).vector();
            if (model != null) {
                if (items.length > largest) {
                    kernel = model.kernelFor(1, items.length);
                    largest = items.length;
                }
                model.score(vector, items, items.length, out[row]);
            } else {
                kernel = Kernel.JAVA; // a field's own similarity: VectorMath, as dot and cosine models
                VectorSimilarity similarity = field.similarity();
                VectorSimilarity.Prepared prepared = similarity.prepare(vector); // cosine: the user's norm once, not per item
                for (int i = 0; i < items.length; i++) {
                    out[row][i] = similarity.toScore(prepared.raw(items[i]));
                }
            }
        }
        return out;
    }

    /**
     * @param scores each candidate's score, in candidate order
     * @param candidateScores whether the hits' own scores are the candidate search's (shown in explanations)
     */
    private List<RankedItem> rankedItems(Candidates candidates, float[] scores, float[][] vectors, boolean candidateScores, String by) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // best score first; ties keep the candidate order (stable sort)
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int k = Math.min(request.k(), n);
        List<RankedItem> items = new ArrayList<>(k);
        if (request.diversify()) {
            int pool = Math.min(request.mmrPool(), n);
            float[] poolScores = new float[pool];
            float[][] poolVectors = new float[pool][];
            for (int i = 0; i < pool; i++) {
                poolScores[i] = scores[order[i]];
                poolVectors[i] = vectors[candidates.items()[order[i]]];
            }
            MaximalMarginalRelevance.Selection selection = new MaximalMarginalRelevance(request.mmrLambda()).select(poolScores, poolVectors, k);
            for (int r = 0; r < selection.order().length; r++) {
                int c = order[selection.order()[r]];
                Map<String, Object> explanation = null;
                if (request.explain()) {
                    explanation = explanation(candidates.hits()[c], scores[c], selection.order()[r], candidateScores, by);
                    Map<String, Object> mmr = new LinkedHashMap<>();
                    mmr.put("lambda", request.mmrLambda());
                    mmr.put("relevance", selection.relevance()[r]);
                    mmr.put("max_similarity_to_selected", selection.maxSimilarity()[r]);
                    mmr.put("value", selection.value()[r]);
                    explanation.put("mmr", mmr);
                }
                items.add(item(candidates.hits()[c], scores[c], explanation));
            }
        } else {
            for (int r = 0; r < k; r++) {
                int c = order[r];
                items.add(item(candidates.hits()[c], scores[c], request.explain() ? explanation(candidates.hits()[c], scores[c], r, candidateScores, by) : null));
            }
        }
        return items;
    }

    /** How a 429 names what a request's explanations hold. */
    static final String EXPLANATIONS_HELD = "_recommend explanations";

    /**
     * What one item's explanation holds at most: a map of up to six entries with boxed numbers, and MMR's map of four
     * more — about 700 bytes by object layout (estimated, not measured), rounded up.
     */
    static final long EXPLANATION_BYTES = 1_024;

    /**
     * @return the bytes the explanations of {@code users} users' {@code k} items hold (100 users × 1,000 items: about
     *     100 MB), reserved before the ranking makes them
     */
    static long explanationBytes(int users, int k) {
        return (long) users * k * EXPLANATION_BYTES;
    }

    private Map<String, Object> explanation(SearchHit hit, float score, int rankByScore, boolean candidateScore, String by) {
        Map<String, Object> explanation = new LinkedHashMap<>();
        explanation.put("scored_by", by);
        explanation.put("score", score);
        explanation.put("rank_by_score", rankByScore + 1);
        if (candidateScore) {
            explanation.put("candidate_score", hit.getScore());
        }
        return explanation;
    }

    private List<RankedItem> fallbackItems(SearchHit[] hits) {
        List<RankedItem> items = new ArrayList<>(hits.length);
        for (int r = 0; r < hits.length; r++) {
            SearchHit hit = hits[r];
            Object sortValue = hit.getSortValues().length > 0 ? hit.getSortValues()[0] : null;
            if (sortValue != null && sortValue instanceof Number == false) {
                throw new IllegalArgumentException(
                    "[cold_start.fallback_field] field [" + request.fallbackField() + "] must be numeric, but its values sort as text in index ["
                        + hit.getIndex() + "]"
                );
            }
            // an item without the field sorts last with the type's least value (-Infinity for floating point,
            // Integer.MIN_VALUE for integer, short and byte, Long.MIN_VALUE for long and date): each is -1e30, as
            // documented; a double beyond float's range reads as infinity: every score stays finite
            float score = sortValue == null || missing(sortValue)
                ? -FiniteScores.MAX
                : FiniteScores.of(((Number) sortValue).floatValue());
            Map<String, Object> explanation = null;
            if (request.explain()) {
                explanation = new LinkedHashMap<>();
                explanation.put("scored_by", "fallback field [" + request.fallbackField() + "]");
                explanation.put("score", score);
                explanation.put("rank_by_score", r + 1);
            }
            items.add(item(hit, score, explanation));
        }
        return items;
    }

    /** @return whether a fallback field's sort value is what OpenSearch sorts a missing value as, last in descending order */
    private static boolean missing(Object sortValue) {
        return (sortValue instanceof Long l && l == Long.MIN_VALUE) || (sortValue instanceof Integer i && i == Integer.MIN_VALUE);
    }

    /** The item without its source: {@link ItemSources} adds it for the returned items only. */
    private static RankedItem item(SearchHit hit, float score, Map<String, Object> explanation) {
        return new RankedItem(hit.getIndex(), hit.getId(), score, null, explanation);
    }

    /**
     * @return the kernel that scored the candidates on this node, or {@code null} when the shards scored them or
     *     there was no candidate vector to score
     */
    Kernel kernel() {
        return kernel;
    }

    /** @return time spent reading vectors and scoring, in nanoseconds */
    long scoringNanos() {
        return scoringNanos;
    }

    /** @return time spent ordering, diversifying and building the lists, in nanoseconds */
    long diversityNanos() {
        return diversityNanos;
    }
}
