package org.recommender.tools.tune;

import java.util.Locale;

/** How {@code tune} spends its budget of trials. */
public enum SearchMethod {
    /** Every trial draws its settings at random and trains with the full epoch budget. */
    RANDOM("random"),
    /**
     * Successive halving (Jamieson &amp; Talwalkar 2016) over epochs: every drawn setting trains on a small epoch budget,
     * the best third go on to three times the epochs, until the survivors train with the full budget. Iterative
     * algorithms only.
     */
    HALVING("halving");

    private final String externalName;

    SearchMethod(String externalName) {
        this.externalName = externalName;
    }

    /** @return the name on the command line and in {@code tune.json} */
    public String externalName() {
        return externalName;
    }

    /** @throws IllegalArgumentException listing the known names */
    public static SearchMethod fromName(String name) {
        for (SearchMethod m : values()) {
            if (m.externalName.equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown --search [" + name + "]; expected one of [random, halving]");
    }
}
