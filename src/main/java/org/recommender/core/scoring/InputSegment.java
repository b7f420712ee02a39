package org.recommender.core.scoring;

/**
 * A run of consecutive first-layer input columns that read {@code length} consecutive elements of one
 * {@link InputPart}, starting at element {@code offset}. A layer's input is the concatenation of its segments, in
 * order; e.g. an MLP over {@code [u, v, u⊙v]} with d = 64 is {@code (USER, 0, 64), (ITEM, 0, 64), (PRODUCT, 0, 64)}
 * and a NeuMF tower over the MLP slices {@code [u[g:], v[g:]]} is {@code (USER, g, d−g), (ITEM, g, d−g)}.
 *
 * @param part which vector the columns read
 * @param offset the first element read
 * @param length how many elements (and columns)
 */
public record InputSegment(InputPart part, int offset, int length) {
    /** Validates the range. */
    public InputSegment {
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("bad input segment " + part + "[" + offset + ", +" + length + ")");
        }
    }

    /** @return one past the last element read */
    public int end() {
        return offset + length;
    }
}
