package org.recommender.plugin.recommend;

import org.recommender.plugin.query.VectorSource;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.common.document.DocumentField;
import org.opensearch.search.SearchHit;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.rank.MaximalMarginalRelevance;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.action.recommend.RecommendRequest;
import org.recommender.plugin.action.recommend.RecommendResponse.Item;
import org.recommender.plugin.action.recommend.RecommendResponse.Strategy;
import org.recommender.plugin.action.recommend.RecommendResponse.UserResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns every user's candidates into that user's ranked list on the coordinating node. When the shards did not
 * score them, scores the user × item grid in one batched model call (every user against the union of all users'
 * candidates) and keeps each user's own candidates; then orders them by score and diversifies the top of the list
 * with MMR when asked. Global top-k by construction: the candidates are already the best across all shards.
 */
final class Ranker {
    /** Error metadata marking a failure worth running the whole request again for. */
    static final String RETRYABLE = "opensearch.recommender_retryable";

    /** How each item was scored, for explanations: the model id and version, or the field's similarity. */
    private final String scoredBy;
    private final ScoringModel model;
    private final ItemField field;
    private final RecommendRequest request;
    private long scoringNanos;
    private long diversityNanos;
    private String kernel;

    /** @param model the stored model, or {@code null} to rank by the field's similarity score */
    Ranker(RecommendRequest request, ItemField field, ScoringModel model, String scoredBy) {
        this.request = request;
        this.field = field;
        this.model = model;
        this.scoredBy = scoredBy;
    }

    /** One user's candidates: positions into the shared item table, and each one's search hit. */
    private record Candidates(int[] items, SearchHit[] hits) {}

    /**
     * @param scoredOnShards whether the shards already scored the candidates (hits come best first with their final
     *     score, and with vectors only when MMR needs them)
     */
    List<UserResult> rank(List<ResolvedUser> users, MultiSearchResponse.Item[] searches, boolean scoredOnShards) throws Exception {
        long start = System.nanoTime();
        Map<String, Integer> positions = new HashMap<>();
        List<float[]> table = new ArrayList<>();
        Candidates[] candidates = new Candidates[users.size()];
        List<Integer> scoredUsers = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            if (searches[u].isFailure()) {
                throw searches[u].getFailure();
            }
            ShardSearchFailure[] shardFailures = searches[u].getResponse().getShardFailures();
            if (shardFailures.length > 0) {
                // partial candidates would silently drop items: fail, and let the service run the request again when
                // the shard failed for a passing reason (a node leaving, a replaced model) rather than a bad request
                OpenSearchStatusException failure = new OpenSearchStatusException(
                    "candidate search failed on " + shardFailures.length + " shard(s): " + shardFailures[0].reason(),
                    shardFailures[0].status(),
                    shardFailures[0].getCause()
                );
                int status = shardFailures[0].status().getStatus();
                if (status >= 500 || status == 404 || status == 409 || status == 429) {
                    failure.addMetadata(RETRYABLE, "true");
                }
                throw failure;
            }
            SearchHit[] hits = searches[u].getResponse().getHits().getHits();
            ResolvedUser user = users.get(u);
            if (user.strategy() == Strategy.FALLBACK) {
                continue;
            }
            scoredUsers.add(u);
            boolean needVectors = scoredOnShards == false || request.diversify();
            Set<String> excluded = CandidateSearches.excluded(request, user);
            int[] items = new int[hits.length];
            SearchHit[] kept = new SearchHit[hits.length];
            int n = 0;
            for (SearchHit hit : hits) {
                if (excluded.contains(hit.getId())) {
                    continue; // excluded in the search already; checked again because a leak is never acceptable
                }
                if (needVectors) {
                    String key = hit.getIndex() + '\u0000' + hit.getId();
                    Integer position = positions.get(key);
                    if (position == null) {
                        DocumentField values = hit.field(request.field());
                        float[] vector = VectorSource.vector(values == null ? null : values.getValues());
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
        float[][] scores = scoredOnShards ? null : score(users, scoredUsers, itemVectors);
        scoringNanos = System.nanoTime() - start;

        long diversityStart = System.nanoTime();
        List<UserResult> results = new ArrayList<>(users.size());
        int row = 0;
        for (int u = 0; u < users.size(); u++) {
            ResolvedUser user = users.get(u);
            List<Item> items;
            if (user.strategy() == Strategy.FALLBACK) {
                items = fallbackItems(searches[u].getResponse().getHits().getHits());
            } else {
                Candidates c = candidates[u];
                float[] userScores = new float[c.hits().length];
                for (int i = 0; i < userScores.length; i++) {
                    userScores[i] = scoredOnShards ? c.hits()[i].getScore() : scores[row][c.items()[i]];
                }
                row++;
                items = rankedItems(c, userScores, itemVectors, scoredOnShards == false);
            }
            results.add(new UserResult(user.id(), user.strategy(), items));
        }
        diversityNanos = System.nanoTime() - diversityStart;
        return results;
    }

    /** Scores of every scored user (rows, in order) for every item of the table. */
    private float[][] score(List<ResolvedUser> users, List<Integer> scoredUsers, float[][] items) {
        float[][] out = new float[scoredUsers.size()][items.length];
        if (items.length == 0) {
            return out;
        }
        float[][] vectors = new float[scoredUsers.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = users.get(scoredUsers.get(i)).vector();
        }
        if (model != null) {
            kernel = model.kernelFor(vectors.length, items.length);
            model.score(vectors, items, items.length, out); // one batched call for all users
        } else {
            kernel = ScoringModel.JAVA_KERNEL;
            VectorSimilarity similarity = field.similarity();
            for (int u = 0; u < vectors.length; u++) {
                VectorSimilarity.Prepared user = similarity.prepare(vectors[u]); // cosine: the user's norm once, not per item
                for (int i = 0; i < items.length; i++) {
                    out[u][i] = similarity.toScore(user.raw(items[i]));
                }
            }
        }
        return out;
    }

    /**
     * @param scores each candidate's score, in candidate order
     * @param candidateScores whether the hits' own scores are the candidate search's (shown in explanations)
     */
    private List<Item> rankedItems(Candidates candidates, float[] scores, float[][] vectors, boolean candidateScores) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // best score first; ties keep the candidate order (stable sort)
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int k = Math.min(request.k(), n);
        List<Item> items = new ArrayList<>(k);
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
                    explanation = explanation(candidates.hits()[c], scores[c], selection.order()[r], candidateScores);
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
                items.add(item(candidates.hits()[c], scores[c], request.explain() ? explanation(candidates.hits()[c], scores[c], r, candidateScores) : null));
            }
        }
        return items;
    }

    private Map<String, Object> explanation(SearchHit hit, float score, int rankByScore, boolean candidateScore) {
        Map<String, Object> explanation = new LinkedHashMap<>();
        explanation.put("scored_by", scoredBy);
        explanation.put("score", score);
        explanation.put("rank_by_score", rankByScore + 1);
        if (candidateScore) {
            explanation.put("candidate_score", hit.getScore());
        }
        return explanation;
    }

    private List<Item> fallbackItems(SearchHit[] hits) {
        List<Item> items = new ArrayList<>(hits.length);
        for (int r = 0; r < hits.length; r++) {
            SearchHit hit = hits[r];
            Object sortValue = hit.getSortValues().length > 0 ? hit.getSortValues()[0] : null;
            float score = sortValue instanceof Number n ? n.floatValue() : 0f;
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

    /** The item without its source: {@link ItemSources} adds it for the returned items only. */
    private static Item item(SearchHit hit, float score, Map<String, Object> explanation) {
        return new Item(hit.getIndex(), hit.getId(), score, null, explanation);
    }

    /**
     * @return the kernel that scored the candidates on this node, or {@code null} when the shards scored them or
     *     there was no candidate vector to score
     */
    String kernel() {
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
