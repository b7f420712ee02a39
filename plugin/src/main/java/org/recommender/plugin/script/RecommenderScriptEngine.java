package org.recommender.plugin.script;

import org.opensearch.script.ScoreScript;
import org.opensearch.script.ScriptContext;
import org.opensearch.script.ScriptEngine;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.stats.RecommenderStats;

import java.util.Map;
import java.util.Set;

/**
 * {@code lang: "recommender"} for {@code script_score}. The script {@code source} names the scoring function
 * rather than holding code:
 * <ul>
 *   <li>{@code dot} — inner product of {@code params.vector} with the document's {@code params.field};</li>
 *   <li>{@code cosine} — cosine similarity of the two;</li>
 *   <li>{@code model} — the stored model {@code params.model} (MLP, NeuMF, …) applied to the pair, per document on
 *       the Java kernel; raw model scores go through the {@code dot} transform.</li>
 * </ul>
 * Scores go through {@link VectorSimilarity#toScore} so they are never negative; documents without the field
 * score 0.
 */
public final class RecommenderScriptEngine implements ScriptEngine {
    /** The {@code lang} this engine answers to. */
    public static final String NAME = "recommender";

    /** The {@code source} that scores with the stored model {@code params.model}. */
    static final String MODEL = "model";

    private final RecommenderStats stats;
    private final ScriptModels models;

    /**
     * @param stats where searches and errors are counted
     * @param models resolves {@code params.model} for {@code source: model}
     */
    public RecommenderScriptEngine(RecommenderStats stats, ScriptModels models) {
        this.stats = stats;
        this.models = models;
    }

    @Override
    public String getType() {
        return NAME;
    }

    @Override
    public <FactoryType> FactoryType compile(String name, String code, ScriptContext<FactoryType> context, Map<String, String> params) {
        if (context.equals(ScoreScript.CONTEXT) == false) {
            stats.scriptError();
            throw new IllegalArgumentException(
                "lang [" + NAME + "] can only be used in script_score queries, not in the [" + context.name + "] context"
            );
        }
        if (code.equals("dot") == false && code.equals("cosine") == false && code.equals(MODEL) == false) {
            stats.scriptError();
            throw new IllegalArgumentException("unknown source [" + code + "] for lang [" + NAME + "]; expected one of [dot, cosine, model]");
        }
        ScoreScript.Factory factory = (scriptParams, lookup, searcher) -> {
            try {
                EmbeddingFieldType field = VectorScoreScriptFactory.resolveField(scriptParams, lookup);
                PairScorer scorer = switch (code) {
                    case "dot" -> PairScorer.of(VectorSimilarity.DOT_PRODUCT);
                    case "cosine" -> PairScorer.of(VectorSimilarity.COSINE);
                    default -> models.scorer(scriptParams, field);
                };
                VectorScoreScriptFactory leafFactory = new VectorScoreScriptFactory(
                    code, scorer, code.equals("cosine"), field, scriptParams, lookup, searcher, stats
                );
                stats.scriptSearch();
                return ScriptLeafFactories.of(leafFactory);
            } catch (IllegalArgumentException e) {
                stats.scriptError();
                throw e;
            }
        };
        return context.factoryClazz.cast(factory);
    }

    @Override
    public Set<ScriptContext<?>> getSupportedContexts() {
        return Set.of(ScoreScript.CONTEXT);
    }
}
