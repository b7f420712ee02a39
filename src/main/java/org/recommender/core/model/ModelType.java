package org.recommender.core.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of model a bundle can hold — scoring models (user × item → score) and user encoders (history → user
 * vector); {@code docs/model-format.md} specifies each.
 */
public enum ModelType {
    /** u·v plus optional biases. */
    DOT,
    /** cos(u, v) plus optional biases. */
    COSINE,
    /** Dense layers over a concatenation of u, v and u⊙v. */
    MLP,
    /** Neural matrix factorization: a GMF slice and an MLP tower combined by one output layer. */
    NEUMF,
    /** User encoder: causal self-attention over the history (SASRec). */
    SASREC,
    /** User encoder: a GRU over the history (GRU4Rec). */
    GRU4REC,
    /** User encoder: the encoder half of Mult-DAE over the set of history items. */
    MULTDAE;

    /** @return the name used in bundles, e.g. {@code neumf} */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether the model has dense layers (and so an ND4J kernel) */
    public boolean isNeural() {
        return this == MLP || this == NEUMF;
    }

    /** @return whether the type is a user encoder rather than a scoring model */
    public boolean isEncoder() {
        return this == SASREC || this == GRU4REC || this == MULTDAE;
    }

    /**
     * @param name a type name as written in a bundle header
     * @throws InvalidModelException naming the {@code type} field and the accepted names
     */
    public static ModelType fromName(String name) {
        for (ModelType t : values()) {
            if (t.externalName().equals(name)) {
                return t;
            }
        }
        throw new InvalidModelException(
            "type: unknown model type [" + name + "]; expected one of "
                + Arrays.stream(values()).map(ModelType::externalName).toList()
        );
    }
}
