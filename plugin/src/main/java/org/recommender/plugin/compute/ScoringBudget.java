package org.recommender.plugin.compute;

import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Setting;
import org.recommender.core.model.ScoringModel;

import java.util.Locale;

/**
 * The most model arithmetic one request may ask of a thread, checked before any of it starts: a rescore window or a
 * {@code _recommend} batch whose model scoring would take more multiply-adds than {@link #MAX_WORK} allows is a 400
 * naming the field that sets its size. Without it a legal request kept a search thread for minutes, uninterruptibly:
 * a 64 MB {@code mlp} bundle holds up to 16 million weights an item passes through, and a 10,000-document window is
 * 1.6 × 10^11 multiply-adds; a batch of 100 users × 10,000 candidates of it, 10^13.
 *
 * <p>Work is counted as {@link ScoringModel#itemWork()} × the item scores the request computes: items × users, a
 * best-score user counting once per example (each is scored against every item). One home for the rule: the
 * {@code recommender} rescorer checks its window, {@code _recommend} its whole batch.
 */
public final class ScoringBudget {
    /**
     * Most multiply-adds of model scoring one request may take on one thread: 2^36 (6.9 × 10^10) by default. The
     * docs/benchmarks.md rescore-window table ("Neural models on rescore windows") measures the SIMD kernel at 1,968 µs
     * for 10,000 items of a 192→128→64→1 MLP (16,448 multiply-adds an item by {@link ScoringModel#itemWork()}), some
     * 8 × 10^10 a second on that machine's one core, so the default is about a second of a core there and tens of
     * seconds on a JVM without the Vector API (that table's item-by-item NeuMF: 774 µs for 1,000 items of 2,608, some
     * 3 × 10^9 a second). It admits 100 users × 10,000 candidates × 5 shards of an item costing up to 13,700
     * multiply-adds. Dynamic, per node: the node that scores checks against its own value.
     */
    public static final Setting<Long> MAX_WORK = Setting.longSetting(
        "recommender.scoring.max_work",
        1L << 36,
        1L << 20,
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    private volatile long maxWork;

    /** A budget at {@code maxWork} multiply-adds that no setting changes (tests, and nodes without a cluster service). */
    public ScoringBudget(long maxWork) {
        this.maxWork = maxWork;
    }

    /** The node's budget, following {@link #MAX_WORK}. */
    public ScoringBudget(ClusterService clusterService) {
        this(MAX_WORK.get(clusterService.getSettings()));
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MAX_WORK, v -> maxWork = v);
    }

    /**
     * @param field the request field that sets how many items are scored (what the 400 names), e.g.
     *     {@code [rescore.window_size]}
     * @param scorer what scores, as the message names it, e.g. {@code model [m] (mlp)}
     * @param itemWork multiply-adds one item's score takes ({@link ScoringModel#itemWork()})
     * @param scores how many item scores the request computes on one thread: items × users (a best-score user
     *     counting once per example)
     * @param described those scores in words, e.g. {@code a window of 10,000 documents}
     * @throws IllegalArgumentException (a 400 naming {@code field}) when the work is over the budget
     */
    public void check(String field, String scorer, long itemWork, long scores, String described) {
        long work = work(itemWork, scores);
        long limit = maxWork;
        if (work > limit) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "%s: scoring %s with %s (%,d multiply-adds an item) takes %s multiply-adds, more than the %,d that [%s] allows;"
                        + " score fewer items, or raise the setting",
                    field,
                    described,
                    scorer,
                    itemWork,
                    work == Long.MAX_VALUE ? "over 9.2 × 10^18" : String.format(Locale.ROOT, "%,d", work),
                    limit,
                    MAX_WORK.getKey()
                )
            );
        }
    }

    /**
     * {@link #check} for one user's window of {@code items} documents scored by {@code model}.
     *
     * @param examples the examples of a best-score user (each scored against every item), 0 for a user vector
     */
    public void checkWindow(String field, String scorer, ScoringModel model, int items, int examples) {
        String described = String.format(Locale.ROOT, "a window of %,d documents", items) + (examples > 1 ? " against " + examples + " examples" : "");
        check(field, scorer, model.itemWork(), work(items, Math.max(1, examples)), described);
    }

    /** @return the product of the factors, {@link Long#MAX_VALUE} where it overflows */
    static long work(long... factors) {
        long product = 1;
        for (long f : factors) {
            long high = Math.multiplyHigh(product, f);
            long low = product * f;
            if (high != 0 || low < 0) {
                return Long.MAX_VALUE;
            }
            product = low;
        }
        return product;
    }
}
