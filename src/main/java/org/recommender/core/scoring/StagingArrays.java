package org.recommender.core.scoring;

/**
 * One thread's host arrays for staging data that ND4J copies to its backend, kept between calls. ND4J copies a
 * {@code float[]} into an array only whole, so each array must be exactly as long as the data: an array is reused
 * while its slot is asked for the same length again (the common case: a query's rescore window, and the users of a
 * request, keep their size from call to call) and replaced otherwise. An array over {@link #MAX_KEPT} floats is
 * handed out but not kept, so a rare huge call does not pin its memory to the thread. Not thread-safe: one instance
 * per thread.
 */
final class StagingArrays {
    /** The longest array a slot keeps: 4 MiB of floats. */
    static final int MAX_KEPT = 1 << 20;

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
