package org.recommender.core.scoring;

/**
 * One call's host arrays for staging data that ND4J copies to its backend, kept between calls. ND4J copies a
 * {@code float[]} into an array only whole, so each array must be exactly as long as the data: an array is reused
 * while its slot is asked for the same length again (the common case: a query's rescore window, and the users of a
 * request, keep their size from call to call) and replaced otherwise. An array over {@link #MAX_KEPT} floats is
 * handed out but not kept, so a rare huge call does not pin its memory to the model. Not thread-safe: one call at a
 * time (a kernel keeps them in {@link Workspaces}).
 */
final class StagingArrays {
    /**
     * The longest array a slot keeps: 32 Ki floats (128 KiB), the items of a 500-item rescore window at 64 dims.
     * Kept arrays are charged to the breaker with the model (slots × this × {@link Workspaces#RETAINED}), so the
     * bound stays small; larger calls stage in fresh arrays, whose allocation costs less than the copy into them.
     */
    static final int MAX_KEPT = 1 << 15;

    private final float[][] slots;

    /** @param slots how many arrays the caller stages at once */
    StagingArrays(int slots) {
        this.slots = new float[slots][];
    }

    /**
     * @param slot which of the caller's arrays, {@code 0 <= slot < slots}
     * @param length the exact length needed
     * @return an array of exactly {@code length} floats; its contents are whatever the slot held last
     */
    float[] get(int slot, int length) {
        float[] array = slots[slot];
        if (array == null || array.length != length) {
            array = new float[length];
            if (length <= MAX_KEPT) {
                slots[slot] = array;
            }
        }
        return array;
    }
}
