package org.recommender.tools.parity;

import org.recommender.tools.cluster.ScoredItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far one surface's rankings are from the offline ones, over every user checked. A score agrees when
 * |online − offline| ≤ atol + rtol·|offline| (the rule of NumPy's {@code isclose}). An item in the online top k agrees
 * in rank when the offline ranking has it in its top k too, or scores it within tolerance of the offline k-th item
 * (a near-tie at the cut may fall either way); rank agreement is the share of online items that do, and a list
 * shorter than expected counts its missing items as disagreeing.
 */
public final class ParityTally {
    /** Scores with a smaller offline magnitude are left out of the relative difference, where it says nothing. */
    public static final double RELATIVE_FLOOR = 1e-2;

    private final String surface;
    private final double atol;
    private final double rtol;
    private int users;
    private long items;
    private long scoreMismatches;
    private long unknownIds;
    private double maxAbs;
    private double maxRel;
    private double agreementSum;
    private double minAgreement = 1;
    private int rankedUsers;
    private final List<String> examples = new ArrayList<>();

    /**
     * @param surface what is compared, for the report
     * @param atol absolute tolerance
     * @param rtol relative tolerance
     */
    public ParityTally(String surface, double atol, double rtol) {
        this.surface = surface;
        this.atol = atol;
        this.rtol = rtol;
    }

    /**
     * Adds one user's online list.
     *
     * @param user the user id, for examples of mismatches
     * @param online the surface's items, best first, with raw scores
     * @param offlineScores every item's offline score, by catalog position
     * @param catalog the items
     * @param expected the offline top k the surface should return and the items it may return, or {@code null} when the
     *     surface saw only part of the catalog and only its scores can be compared
     */
    public void add(String user, List<ScoredItem> online, float[] offlineScores, OfflineCatalog catalog, ReferenceRanking.Expected expected) {
        int[] reference = expected == null ? null : expected.top();
        users++;
        int agreeing = 0;
        for (ScoredItem item : online) {
            int p = catalog.position(item.id());
            if (p < 0) {
                unknownIds++;
                example(String.format(Locale.ROOT, "user %s: item [%s] is not in the offline catalog", user, item.id()));
                continue;
            }
            items++;
            double offline = offlineScores[p];
            double abs = Math.abs(item.score() - offline);
            maxAbs = Math.max(maxAbs, abs);
            if (Math.abs(offline) >= RELATIVE_FLOOR) {
                maxRel = Math.max(maxRel, abs / Math.abs(offline));
            }
            if (abs > atol + rtol * Math.abs(offline)) {
                scoreMismatches++;
                example(String.format(Locale.ROOT, "user %s: item [%s] scored %.6g online, %.6g offline", user, item.id(), item.score(), offline));
            }
            if (reference != null && reference.length > 0) {
                double kth = offlineScores[reference[reference.length - 1]];
                // a near-tie at the cut counts, but only among the items the surface could return (its candidates)
                if (contains(reference, p) || (expected.allows(p) && offline >= kth - (atol + rtol * Math.abs(kth)))) {
                    agreeing++;
                }
            }
        }
        if (reference != null) {
            double agreement = reference.length == 0 ? (online.isEmpty() ? 1 : 0) : (double) agreeing / Math.max(reference.length, online.size());
            if (agreement < 1) {
                example(String.format(Locale.ROOT, "user %s: %d of %d items agree with the offline top %d", user, agreeing, online.size(), reference.length));
            }
            agreementSum += agreement;
            minAgreement = Math.min(minAgreement, agreement);
            rankedUsers++;
        }
    }

    /** A linear scan: {@code top} holds k positions, and a catalog-sized flag array per user would cost more. */
    private static boolean contains(int[] top, int position) {
        for (int p : top) {
            if (p == position) {
                return true;
            }
        }
        return false;
    }

    private void example(String text) {
        if (examples.size() < 5) {
            examples.add(text);
        }
    }

    /** @return whether every score was within tolerance, every id known, and rank agreement at least {@code minimum} */
    public boolean passes(double minimum) {
        return scoreMismatches == 0 && unknownIds == 0 && (rankedUsers == 0 || minAgreement >= minimum);
    }

    /** @return the surface name */
    public String surface() {
        return surface;
    }

    /** @return users compared */
    public int users() {
        return users;
    }

    /** @return items compared */
    public long items() {
        return items;
    }

    /** @return the largest absolute score difference */
    public double maxAbs() {
        return maxAbs;
    }

    /** @return the largest relative score difference among items whose offline score is at least {@link #RELATIVE_FLOOR} in magnitude */
    public double maxRel() {
        return maxRel;
    }

    /** @return scores outside tolerance */
    public long scoreMismatches() {
        return scoreMismatches;
    }

    /** @return the mean rank agreement, or NaN when no ranking could be compared */
    public double meanAgreement() {
        return rankedUsers == 0 ? Double.NaN : agreementSum / rankedUsers;
    }

    /** @return the lowest rank agreement of any user, or NaN when no ranking could be compared */
    public double minAgreement() {
        return rankedUsers == 0 ? Double.NaN : minAgreement;
    }

    /** @return up to five examples of what disagreed */
    public List<String> examples() {
        return List.copyOf(examples);
    }
}
