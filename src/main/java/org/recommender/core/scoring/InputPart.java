package org.recommender.core.scoring;

import java.util.Arrays;
import java.util.Locale;

/**
 * A vector a neural model's first layer can read: the user vector u, the item vector v, or their element-wise
 * product u⊙v. Model bundles name them {@code user}, {@code item} and {@code product}.
 */
public enum InputPart {
    /** The user vector u. */
    USER,
    /** The item vector v. */
    ITEM,
    /** The element-wise product u⊙v (needs equal user and item dimensions over the range read). */
    PRODUCT;

    /** @return the name used in model bundles, e.g. {@code product} */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a name as written in a model bundle
     * @return the matching part
     * @throws IllegalArgumentException listing the accepted names
     */
    public static InputPart fromName(String name) {
        for (InputPart p : values()) {
            if (p.externalName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
            "unknown input [" + name + "]; expected one of " + Arrays.stream(values()).map(InputPart::externalName).toList()
        );
    }
}
