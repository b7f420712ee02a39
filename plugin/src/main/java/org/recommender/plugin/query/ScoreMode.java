package org.recommender.plugin.query;

import org.recommender.core.model.FiniteScores;

import java.util.Locale;

/** How the recommender rescorer combines the weighted query score q and the weighted model score m. */
public enum ScoreMode {
    /** q + m. */
    TOTAL,
    /** q × m. */
    MULTIPLY,
    /** (q + m) / 2. */
    AVG,
    /** max(q, m). */
    MAX,
    /** min(q, m). */
    MIN,
    /** m only: the query just selects the window. */
    REPLACE;

    /**
     * @return {@code score × weight}, bounded to float's finite range ({@link FiniteScores}): a weight up to float's
     *     largest value times a score can pass it. Each part of a combination is weighted here, and so is the query
     *     score a document without a vector keeps.
     */
    public static float weighted(float weight, float score) {
        return FiniteScores.of(weight * score);
    }

    /** @return the rescored score of a document: its query and model scores each {@link #weighted}, then combined */
    public float combine(float queryWeight, float query, float modelWeight, float model) {
        return combine(weighted(queryWeight, query), weighted(modelWeight, model));
    }

    /**
     * Combines already-{@link #weighted} scores; the result is finite ({@link FiniteScores}) whatever the weights, so a
     * rescored hit never carries an infinite or NaN score.
     */
    public float combine(float query, float model) {
        return FiniteScores.of(switch (this) {
            case TOTAL -> query + model;
            case MULTIPLY -> query * model;
            case AVG -> (query + model) / 2;
            case MAX -> Math.max(query, model);
            case MIN -> Math.min(query, model);
            case REPLACE -> model;
        });
    }

    /** @return the name used in requests */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException listing the accepted names */
    public static ScoreMode fromName(String name) {
        for (ScoreMode mode : values()) {
            if (mode.externalName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("[score_mode] must be one of [total, multiply, avg, max, min, replace] but was [" + name + "]");
    }
}
