package org.recommender.plugin.query;

import org.apache.lucene.util.SetOnce;
import org.opensearch.common.lease.Releasable;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryRewriteContext;
import org.recommender.core.encoder.UserEncoder;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.stats.RecommenderStats;
import org.recommender.plugin.store.ModelStoreService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What resolving users needs from the node, for every surface that takes a user spec:
 * <ul>
 *   <li>user encoders ({@code "encoder": "<model id>"} beside a history): the encoder is a model in the store, pinned
 *       once per request through the store's one pinning API ({@link ModelStoreService#pinEncoder}: the same cache,
 *       compiler and memory limits as scoring models), and run on the coordinating node with its transient memory
 *       ({@link UserEncoder#encodeBytesBound}) reserved in the plugin's circuit breaker first;</li>
 *   <li>that breaker for what a lookup holds (the user documents and item vectors it reads: {@link #reserve});</li>
 *   <li>the per-search budget of lookups ({@link #MAX_USERS_PER_SEARCH}, {@link UserLookup#MAX_HISTORY_READS}), which
 *       {@code embedding_knn} and the rescorer charge as their rewrite registers each lookup, and the batch each
 *       rewrite round reads its lookups in ({@link #lookUp}).</li>
 * </ul>
 * Handed to the parsers and stream readers the plugin registers (search extensions exist before node components, so
 * the plugin fills this in when it creates them).
 */
public final class UserServices {
    /**
     * Most users one search may look up (Lucene's default limit on a query's clauses): each is a lookup on the
     * coordinating node — reads sent at once, a vector held until the search ends — so a body of short stored-user
     * specs cannot make the node look up millions of users. {@code script_score}'s {@code params.user} has the same
     * limit ({@code ScriptSearches}); {@code _recommend} has its own setting ({@code recommender.recommend.max_users}).
     */
    public static final int MAX_USERS_PER_SEARCH = 1_024;

    private final SetOnce<ModelStoreService> store = new SetOnce<>();
    private final SetOnce<ScoringBudget> budget = new SetOnce<>();
    private final RecommenderStats stats;

    /**
     * Each search's lookups as its coordinating rewrite registers them. A search's rewrite runs all its rounds with
     * one context object, and no rewrite context defines equality, so the map is keyed by identity; a key is held
     * weakly, so an entry goes with its search.
     */
    private final Map<QueryRewriteContext, SearchLookups> searches = new WeakHashMap<>();

    /**
     * One search's lookups: what it has charged so far, and the batch its current rewrite round is filling — every
     * lookup a round registers is read in one {@link UserLookup#resolve} (one multi-get, one item read per index),
     * so a search of 1,024 stored-user clauses sends one read, not 1,024 at once into the node's get pool.
     */
    private static final class SearchLookups {
        long users;
        long reads;
        /** the round's batch, {@code null} once its read went out (a later round opens another) */
        List<UserSpec> specs;
        List<SetOnce<UserSpec.Resolved>> results;
    }

    /** @param stats the node's counters ({@code user_encodes}) */
    public UserServices(RecommenderStats stats) {
        this.stats = stats;
    }

    /** Called once from the plugin's component creation. */
    public void init(ModelStoreService modelStore, ScoringBudget scoringBudget) {
        store.set(modelStore);
        budget.set(scoringBudget);
    }

    /** @return the node's limit on one request's arithmetic per thread, {@code null} before the node's services started */
    ScoringBudget budget() {
        return budget.get();
    }

    /**
     * Bounds a lookup's encodings together before any runs (they run one after another on one generic thread), by
     * the node's {@link ScoringBudget}: each encoder's own count ({@link UserEncoder#encodeWork}) of its history.
     * Nothing to check before the node's services started (no lookup runs then).
     *
     * @param field the request field that names the encoder ({@code [user.encoder]}, {@code [cold_start.encoder]})
     * @param work the encodings' multiply-adds together
     * @param what the encodings in words
     */
    void checkEncodeWork(String field, long work, String what) {
        ScoringBudget b = budget.get();
        if (b != null) {
            b.check(field, work, what);
        }
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
     * Looks {@code spec} up for a query or rescorer's rewrite of the search that {@code ctx} rewrites: charged first to
     * the search — at most {@link #MAX_USERS_PER_SEARCH} lookups, and at most {@link UserLookup#MAX_HISTORY_READS}
     * history and example items over all of them ({@code script_score}'s user limit and the item limit of any one
     * lookup, so that splitting users over many clauses gains nothing) — then added to the batch the rewrite round
     * reads together, by the rules of {@link UserSpec#resolveAll} (one failed user fails the round, as a failed
     * lookup of its own did).
     *
     * @param where how the 400 names the surface ({@code [embedding_knn]}, {@code [rescore.recommender]})
     * @return where the resolved user will be once the round's async actions have run
     * @throws IllegalArgumentException when the search asks for more, before the lookup is sent
     */
    SetOnce<UserSpec.Resolved> lookUp(QueryRewriteContext ctx, UserSpec spec, String where) {
        long reads = UserLookup.itemReads(spec);
        SetOnce<UserSpec.Resolved> result = new SetOnce<>();
        List<UserSpec> batch = null;
        List<SetOnce<UserSpec.Resolved>> results = null;
        long users;
        long items;
        synchronized (searches) {
            SearchLookups search = searches.computeIfAbsent(ctx, c -> new SearchLookups());
            users = ++search.users;
            items = search.reads += reads;
            if (users <= MAX_USERS_PER_SEARCH && items <= UserLookup.MAX_HISTORY_READS) {
                if (search.specs == null) {
                    // the round's first lookup: it registers the one read of the batch the round fills
                    search.specs = batch = new ArrayList<>();
                    search.results = results = new ArrayList<>();
                }
                search.specs.add(spec);
                search.results.add(result);
            }
        }
        if (users > MAX_USERS_PER_SEARCH) {
            throw new IllegalArgumentException(
                where + " [user]: one search may look up at most " + MAX_USERS_PER_SEARCH + " users, but this one has more"
            );
        }
        if (items > UserLookup.MAX_HISTORY_READS) {
            throw new IllegalArgumentException(
                where + " [user]: one search may read at most " + UserLookup.MAX_HISTORY_READS
                    + " history and example items (distinct items per user, over all its users), but this one asks for " + items
            );
        }
        if (batch != null) {
            List<UserSpec> specs = batch;
            List<SetOnce<UserSpec.Resolved>> answers = results;
            ctx.registerAsyncAction((client, listener) -> {
                synchronized (searches) {
                    SearchLookups search = searches.get(ctx);
                    if (search != null && search.specs == specs) {
                        search.specs = null; // the round's rewrites are done: what a later round registers is its own batch
                        search.results = null;
                    }
                }
                UserSpec.resolveAll(client, this, specs, ActionListener.map(listener, resolved -> {
                    for (int i = 0; i < resolved.size(); i++) {
                        answers.get(i).set(resolved.get(i));
                    }
                    return null;
                }));
            });
        }
        return result;
    }

    /**
     * Reserves memory a user lookup holds (the user documents and the item vectors of histories and examples, as each read arrives) in
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
