package org.recommender.plugin.recommend;

import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.index.IndexSettings;
import org.recommender.core.model.ScoringModel;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.store.ModelCache;
import org.recommender.plugin.store.ModelPin;

import java.util.List;
import java.util.Locale;

/**
 * One {@code _recommend} run as decided on the coordinating node, before any user or item is read: what was asked,
 * where the items are, which model version scores them, and where the scoring happens. Every later stage reads its
 * decisions here instead of deciding again.
 *
 * @param query what was asked
 * @param indices the indices as the request named them (searches resolve them with {@code indicesOptions})
 * @param concreteIndices those indices resolved, in the cluster state the plan was made from
 * @param field the items' embedding field, as every target index maps it
 * @param model the pinned, compiled model, or {@code null} when the field's similarity ranks
 * @param scoreOnShards whether each shard scores its candidates (the {@code recommender} rescorer) and returns only
 *     its best, rather than every candidate coming back with its vector to be scored on this node
 * @param shards how many shards the request targets
 */
record RecommendPlan(
    RecommendQuery query,
    String[] indices,
    IndicesOptions indicesOptions,
    String[] concreteIndices,
    ItemField field,
    ModelCache.Entry model,
    boolean scoreOnShards,
    int shards
) {
    /**
     * Decides where candidates are scored. On the shards (the {@code recommender} rescorer, one batched call per
     * shard window) only the best few documents are loaded per user, which is what keeps a single user fast: loading
     * hundreds of documents costs more than all the scoring. A batch of users with knn candidates is scored on this
     * node instead, one batched model call per user over that user's candidates — unless {@code num_candidates} from every shard is more than
     * one page of {@code index.max_result_window}. A candidate query without a model is ranked here by the field's
     * similarity, which needs the vectors anyway.
     *
     * @throws IllegalArgumentException when the model scores items of another dimension than the field holds
     */
    static RecommendPlan of(
        RecommendQuery query,
        String[] indices,
        IndicesOptions indicesOptions,
        Metadata metadata,
        String[] concreteIndices,
        ItemField field,
        ModelCache.Entry model
    ) {
        if (model != null && model.model().itemDims() != field.dims()) {
            throw new IllegalArgumentException(
                "[model] [" + query.model() + "] scores items of " + model.model().itemDims() + " dimensions but [field] [" + query.field() + "] has "
                    + field.dims()
            );
        }
        int shards = 0;
        int maxResultWindow = Integer.MAX_VALUE;
        for (String index : concreteIndices) {
            shards += metadata.index(index).getNumberOfShards();
            maxResultWindow = Math.min(maxResultWindow, IndexSettings.MAX_RESULT_WINDOW_SETTING.get(metadata.index(index).getSettings()));
        }
        boolean onShards;
        if (query.candidateQuery() != null) {
            onShards = model != null;
        } else {
            onShards = query.users().size() == 1 || (long) query.numCandidates() * shards > maxResultWindow;
        }
        return new RecommendPlan(query, indices, indicesOptions, concreteIndices, field, model, onShards, shards);
    }

    /**
     * Bounds the run's arithmetic per thread before any candidate search goes out ({@link ScoringBudget}): each
     * shard's rescore window (num_candidates documents by the model, × a best-score user's examples: one search thread
     * each), and this node's ranking thread — every candidate it scores by the model or the field's similarity, for
     * every user, and MMR's k × pool comparisons per diversified user. What a knn search itself scores is the search's
     * own work and not counted.
     *
     * @throws IllegalArgumentException (a 400 naming {@code [candidates.num_candidates]}, or {@code [diversity.mmr.pool]}
     *     when MMR is most of it) when either is over {@code budget}
     */
    void checkWork(List<ResolvedUser> users, ScoringBudget budget) {
        long itemWork = model != null ? model.model().itemWork() : field.similarity().work(field.dims());
        int mostExamples = 0; // a shard window's, over the users scored on the shards
        long scores = 0; // candidates × examples this node scores
        long mostPerUser = 0;
        int scoredHere = 0;
        int diversified = 0;
        boolean examples = false;
        for (ResolvedUser user : users) {
            if (user.strategy() == Strategy.FALLBACK) {
                continue; // a fallback list is sorted by a field, not scored
            }
            int perItem = user.examples() == null ? 1 : user.examples().count();
            if (scoreOnShards || user.scoredByItsSearch()) {
                if (model != null) {
                    mostExamples = Math.max(mostExamples, perItem); // CandidateSearches: a rescore window of num_candidates
                }
            } else {
                // knn brings num_candidates from every shard, a candidate query num_candidates in all (CandidateSearches)
                long perUser = query.candidateQuery() == null ? (long) query.numCandidates() * shards : query.numCandidates();
                mostPerUser = Math.max(mostPerUser, perUser);
                scores += perUser * perItem;
                scoredHere++;
                examples |= user.examples() != null;
            }
            if (query.diversify()) {
                diversified++;
            }
        }
        if (mostExamples > 0) {
            budget.checkWindow("[candidates.num_candidates]", "model [" + query.model() + "]", model.model(), query.numCandidates(), mostExamples);
        }
        long scoring = ScoringBudget.product(itemWork, scores);
        // MMR compares each of k choices with the rest of its pool (MaximalMarginalRelevance: O(k · pool · dims))
        long mmr = diversified == 0 ? 0 : ScoringBudget.product(diversified, query.k(), query.mmrPool(), field.dims()); // mmrPool: -1 unless diversifying
        if (scoredHere > 0 || diversified > 0) {
            String what = scoredHere == 0 ? "" : String.format(Locale.ROOT, "scoring up to %,d candidates for each of %d users", mostPerUser, scoredHere)
                + (examples ? " (a best-score user once per example)" : "") + " with " + ScoringBudget.describe(scoredBy(), itemWork);
            if (diversified > 0) {
                what += (what.isEmpty() ? "" : " and ") + String.format(
                    Locale.ROOT, "diversifying %d users' pools of %,d by MMR (k %d, %d dimensions)", diversified, query.mmrPool(), query.k(), field.dims());
            }
            budget.check(
                mmr > scoring ? "[diversity.mmr.pool]" : "[candidates.num_candidates]",
                ScoringBudget.sum(scoring, mmr),
                "ranking on the coordinating node (" + what + ")"
            );
        }
    }

    /** @return the scorer: the pinned model, or {@code null} for the field's similarity */
    ScoringModel scorer() {
        return model == null ? null : model.model();
    }

    /** @return the pinned model's pin; only with a model */
    ModelPin pin() {
        return model.pin(query.model());
    }

    /** @return the dimension a user vector must have: the model's user side, else the field's */
    int userDims() {
        return model == null ? field.dims() : model.model().userDims();
    }

    /** @return how items were scored, for explanations */
    String scoredBy() {
        return model == null
            ? "field similarity [" + field.similarity().externalName() + "] of [" + query.field() + "]"
            : "model [" + query.model() + "] version [" + model.version() + "]";
    }

    /** @return what scored the items, for the answer */
    Recommendations.ScoredBy scoredByInfo() {
        return model == null
            ? new Recommendations.ScoredBy(null, -1, field.similarity().externalName())
            : new Recommendations.ScoredBy(query.model(), model.version(), model.model().type());
    }
}
