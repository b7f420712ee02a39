package org.recommender.tools.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mean top-K metrics of one model over the evaluated users.
 *
 * @param model the model's name
 * @param k the cut-off
 * @param users how many users were evaluated
 * @param hitRate mean HR@K
 * @param ndcg mean NDCG@K
 */
public record EvaluationResult(String model, int k, int users, double hitRate, double ndcg) {
    /** @return the metrics by name, e.g. {@code hr@10} and {@code ndcg@10}, for the manifest */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@" + k, hitRate);
        m.put("ndcg@" + k, ndcg);
        return m;
    }
}
