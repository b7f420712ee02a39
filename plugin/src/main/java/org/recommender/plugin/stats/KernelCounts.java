package org.recommender.plugin.stats;

import org.recommender.core.scoring.Kernel;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many batched scoring calls each kernel ran, for one surface (the rescorer, or {@code _recommend}). */
final class KernelCounts {
    private final LongAdder java = new LongAdder();
    private final LongAdder simd = new LongAdder();
    private final LongAdder nd4j = new LongAdder();
    private final LongAdder gpu = new LongAdder();

    /** @param kernel the kernel that scored the batch */
    void count(Kernel kernel) {
        switch (kernel) {
            case JAVA -> java.increment();
            case SIMD -> simd.increment();
            case ND4J -> nd4j.increment();
            case ND4J_GPU -> gpu.increment();
        }
    }

    /** Adds {@code <prefix>_java}, {@code _simd}, {@code _nd4j} and {@code _gpu} to {@code counters}. */
    void putInto(Map<String, Long> counters, String prefix) {
        counters.put(prefix + "_java", java.sum());
        counters.put(prefix + "_simd", simd.sum());
        counters.put(prefix + "_nd4j", nd4j.sum());
        counters.put(prefix + "_gpu", gpu.sum());
    }
}
