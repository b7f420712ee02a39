package org.recommender.plugin.compute;

import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Setting;
import org.recommender.core.model.ScoringModel;

import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The most model arithmetic one request may ask of one thread, checked before any of it starts: a rescore window, or
 * the ranking {@code _recommend} does on its coordinating node, whose arithmetic would take more multiply-adds than
 * {@link #MAX_WORK} allows is a 400 naming the field that sets its size. Without it a legal request kept a thread for
 * minutes, uninterruptibly: a 64 MB {@code mlp} bundle holds up to 16 million weights an item passes through, and a
 * 10,000-document window is 1.6 × 10^11 multiply-adds; a batch of 100 users × 10,000 candidates of it, 10^13.
 *
 * <p>Work is counted as {@link ScoringModel#itemWork()} × the items one thread scores (a best-score user counting
 * once per example, each scored against every item), plus, for {@code _recommend}'s ranking, MMR's comparisons. One
 * home for the rule: the {@code recommender} rescorer checks its window, {@code _recommend} each shard window and its
 * own ranking thread.
 */
public final class ScoringBudget {
    /**
     * Most multiply-adds of model arithmetic one request may take on one thread: 2^36 (6.9 × 10^10) by default. The
     * docs/benchmarks.md rescore-window table ("Neural models on rescore windows") measures the SIMD kernel at 1,968 µs
     * for 10,000 items of a 192→128→64→1 MLP (16,448 multiply-adds an item by {@link ScoringModel#itemWork()}), some
     * 8 × 10^10 a second on that machine's one core, so the default is about a second of a core there; a JVM without
     * the Vector API scores item by item, several times slower (not measured for this count). Dynamic, per node: the
     * node that does the work checks against its own value.
     */
    public static final Setting<Long> MAX_WORK = Setting.longSetting(
        "recommender.scoring.max_work",
        1L << 36,
        1L,
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    private volatile long maxWork;

    /** What each shard search has charged so far ({@link #charge}); keys held weakly. */
    private final Map<Object, long[]> charged = new WeakHashMap<>();

    /** A budget at {@code maxWork} multiply-adds that no setting changes (tests). */
    public ScoringBudget(long maxWork) {
        this.maxWork = maxWork;
    }

    /** The node's budget, following {@link #MAX_WORK}. */
    public ScoringBudget(ClusterService clusterService) {
        this(MAX_WORK.get(clusterService.getSettings()));
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MAX_WORK, v -> maxWork = v);
    }

    /**
     * @param field the request field that sets the work's size (what the 400 names), e.g. {@code [rescore.window_size]}
     * @param work the multiply-adds ({@link #product}, {@link #sum}: {@link Long#MAX_VALUE} where they overflow)
     * @param what the work in words, e.g. {@code scoring a window of 10,000 documents with model [m] (mlp, 16,448
     *     multiply-adds an item)}
     * @throws IllegalArgumentException (a 400 naming {@code field}) when the work is over the budget
     */
    public void check(String field, long work, String what) {
        long limit = maxWork;
        if (work > limit) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "%s: %s takes %s multiply-adds, more than the %,d that [%s] allows; ask for less, or raise the setting",
                    field,
                    what,
                    work == Long.MAX_VALUE ? "over 9.2 × 10^18" : String.format(Locale.ROOT, "%,d", work),
                    limit,
                    MAX_WORK.getKey()
                )
            );
        }
    }

    /**
     * {@link #check} for one window of {@code items} documents that {@code model} scores on one thread.
     *
     * @param scorer what scores, as the message names it, e.g. {@code model [m]}
     * @param examples the examples of a best-score user (each scored against every item), 0 for a user vector
     */
    public void checkWindow(String field, String scorer, ScoringModel model, long items, int examples) {
        checkWindow(field, scorer, model.itemWork(), items, examples);
    }

    /** {@link #checkWindow(String, String, ScoringModel, long, int)} for a scorer of {@code itemWork} multiply-adds an item. */
    public void checkWindow(String field, String scorer, long itemWork, long items, int examples) {
        check(field, product(itemWork, items, Math.max(1, examples)), windowWhat(scorer, itemWork, items, examples));
    }

    /** @return a window's work in words: {@code scoring a window of 10 documents [against each of 3 examples] with …} */
    private static String windowWhat(String scorer, long itemWork, long items, int examples) {
        return String.format(Locale.ROOT, "scoring a window of %,d documents", items) + against(examples) + " with " + describe(scorer, itemWork);
    }

    /** @return {@code " against each of N examples"} for a best-score user of several examples, else nothing */
    public static String against(int examples) {
        return examples > 1 ? " against each of " + examples + " examples" : "";
    }

    /**
     * {@link #checkWindow} for one of a shard search's rescore windows, which one search thread scores one after
     * another: the window alone must fit, and so must the search's rescore work so far with it ({@link #charge}), so a
     * search cannot spread one thread's work over many rescorers each within the budget.
     *
     * @param search what identifies the shard search (its {@code QueryShardContext}, one per search and shard)
     */
    public void chargeWindow(Object search, String field, String scorer, ScoringModel model, long items, int examples) {
        checkWindow(field, scorer, model, items, examples);
        charge(search, field, product(model.itemWork(), items, Math.max(1, examples)), windowWhat(scorer, model.itemWork(), items, examples));
    }

    /**
     * Adds {@code work} to what {@code search} has charged so far and checks the sum: work one shard search does on
     * one thread in parts (a best-score scan, its rescore windows — again for each {@code top_hits} bucket — then the
     * explanation of each fetched hit).
     *
     * @param search what identifies the shard search (its {@code QueryShardContext}), held weakly: its entry goes with it
     * @throws IllegalArgumentException (a 400 naming {@code field}) when the sum is over the budget
     */
    public void charge(Object search, String field, long work, String what) {
        long before;
        synchronized (charged) {
            long[] sofar = charged.computeIfAbsent(search, k -> new long[1]);
            before = sofar[0];
            sofar[0] = sum(before, work);
        }
        check(
            field,
            sum(before, work),
            before == 0 ? what : what + String.format(Locale.ROOT, " after the search's earlier work (%,d multiply-adds)", before)
        );
    }

    /** @return how a message names a scorer and its cost: {@code model [m] (268 multiply-adds an item)} */
    public static String describe(String scorer, long itemWork) {
        return String.format(Locale.ROOT, "%s (%,d multiply-adds an item)", scorer, itemWork);
    }

    /** @return the product of non-negative factors, {@link Long#MAX_VALUE} where it overflows */
    public static long product(long... factors) {
        long product = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException("a work factor is negative: " + f);
            }
            long high = Math.multiplyHigh(product, f);
            long low = product * f;
            if (high != 0 || low < 0) {
                return Long.MAX_VALUE;
            }
            product = low;
        }
        return product;
    }

    /** @return the sum of non-negative terms, {@link Long#MAX_VALUE} where it overflows */
    public static long sum(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
