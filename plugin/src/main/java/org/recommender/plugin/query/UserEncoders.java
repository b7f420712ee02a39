package org.recommender.plugin.query;

import org.apache.lucene.util.SetOnce;
import org.opensearch.common.lease.Releasable;
import org.opensearch.core.action.ActionListener;
import org.recommender.core.encoder.UserEncoder;
import org.recommender.plugin.stats.RecommenderStats;
import org.recommender.plugin.store.ModelStoreService;

/**
 * The node's way to a user encoder ({@code "encoder": "<model id>"} beside a history): the encoder is a model in the
 * store, pinned once per request through the store's one pinning API ({@link ModelStoreService#pinEncoder}: the
 * same cache, compiler and memory limits as scoring models), and run on the coordinating node with its transient
 * memory ({@link UserEncoder#encodeBytesBound}) reserved in the plugin's circuit breaker first; the item vectors a
 * user lookup reads go through the same breaker ({@link #reserve}). Handed to the parsers
 * and stream readers the plugin registers (search extensions exist before node components, so the plugin fills
 * this in when it creates them).
 */
public final class UserEncoders {
    private final SetOnce<ModelStoreService> store = new SetOnce<>();
    private final RecommenderStats stats;

    /** @param stats the node's counters ({@code user_encodes}) */
    public UserEncoders(RecommenderStats stats) {
        this.stats = stats;
    }

    /** Called once from the plugin's component creation. */
    public void init(ModelStoreService modelStore) {
        store.set(modelStore);
    }

    /**
     * A pinned, compiled encoder.
     *
     * @param id the model id
     * @param version the pinned version
     * @param encoder the compiled encoder of that version
     */
    public record Pinned(String id, long version, UserEncoder encoder) {
        /** @return how explanations name it */
        public String label() {
            return "encoder [" + id + "] version [" + version + "] (" + encoder.type() + ")";
        }
    }

    /**
     * How a shard's explanation ({@code embedding_knn}, the rescorer) names the encoder that made its user vector; the
     * shard sees only the vector, so the label travels with it ({@link UserSpec.Resolved#encodedBy()}).
     * {@code _recommend} names it in its own field, {@code user_encoded_by}, with the same label.
     *
     * @param label {@link Pinned#label()} of the encoder the coordinating node pinned
     */
    static String explain(String label) {
        return "the user vector made of [user.history] by " + label;
    }

    /**
     * @param label {@link Pinned#label()} of the encoder that made the user vector
     * @param modelLabel how an explanation names what scored the user
     * @return {@code modelLabel} followed by which encoder made the user, as example users get theirs
     *     ({@code BestScoreUsers.describe})
     */
    static String describe(String label, String modelLabel) {
        return modelLabel + " (" + explain(label) + ")";
    }

    /**
     * Pins the current version of encoder {@code id}: 404 when there is no such model, 400 when it is a scoring model.
     *
     * @param field where the request named it ({@code [user.encoder]}, {@code [cold_start.encoder]})
     */
    void pin(String id, String field, ActionListener<Pinned> listener) {
        ModelStoreService s = store.get();
        if (s == null) {
            listener.onFailure(new IllegalArgumentException(field + " is not available on this node yet: the model store has not started"));
            return;
        }
        s.pinEncoder(id, field, ActionListener.map(listener, entry -> new Pinned(id, entry.version(), entry.encoder())));
    }

    /**
     * Encodes one history, its transient memory reserved in the plugin's breaker first (429 when it does not fit).
     *
     * @param history item vectors, oldest first (distinct items for an unordered encoder)
     */
    float[] encode(Pinned pinned, float[][] history, int length) {
        long start = System.nanoTime();
        try (Releasable scratch = store.get().reserve(pinned.encoder().encodeBytesBound(length), "encode a history with model [" + pinned.id() + "]")) {
            float[] user = pinned.encoder().encode(history, length);
            stats.userEncoded(length, System.nanoTime() - start);
            return user;
        }
    }

    /**
     * Reserves memory a user lookup holds (the item vectors of histories and examples, as each read arrives) in
     * the plugin's breaker, which the model store owns.
     *
     * @param what what the memory is for, as the 429's message shows it
     * @return releases the reservation; nothing to release before the store has started (no lookup runs then)
     * @throws org.opensearch.core.common.breaker.CircuitBreakingException when it does not fit
     */
    Releasable reserve(long bytes, String what) {
        ModelStoreService s = store.get();
        return s == null ? () -> {} : s.reserve(bytes, what);
    }
}
