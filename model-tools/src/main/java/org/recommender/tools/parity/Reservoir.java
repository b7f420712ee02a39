package org.recommender.tools.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded uniform sample of at most {@code size} elements of a stream of unknown length (reservoir sampling,
 * Vitter's algorithm R): one pass, memory for the sample only. The same stream and seed give the same sample —
 * what {@code parity} draws its users with, from a users file or a histories file alike.
 *
 * @param <T> the elements
 */
public final class Reservoir<T> {
    private final int size;
    private final Random random;
    private final List<T> sample = new ArrayList<>();
    private long seen;

    /**
     * @param size the most elements kept
     * @param seed the sample's seed
     */
    public Reservoir(int size, long seed) {
        this.size = size;
        this.random = new Random(seed);
    }

    /** Offers the stream's next element. */
    public void offer(T element) {
        if (sample.size() < size) {
            sample.add(element);
        } else {
            long slot = (long) (random.nextDouble() * (seen + 1));
            if (slot < size) {
                sample.set((int) slot, element);
            }
        }
        seen++;
    }

    /** @return the sample, in reservoir order */
    public List<T> sample() {
        return List.copyOf(sample);
    }
}
