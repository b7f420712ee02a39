package org.recommender.plugin.stats;

import org.recommender.core.model.ScoringModel;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many batched scoring calls each kernel ran, for one surface (the rescorer, or {@code _recommend}). */
final class KernelCounts {
    private final LongAdder java = new LongAdder();
    private final LongAdder simd = new LongAdder();
    private final LongAdder nd4j = new LongAdder();
    private final LongAdder gpu = new LongAdder();

    /** @param kernel a {@link ScoringModel#kernelFor} name */
    void count(String kernel) {
        switch (kernel) {
            case ScoringModel.SIMD_KERNEL -> simd.increment();
            case ScoringModel.ND4J_KERNEL -> nd4j.increment();
            case ScoringModel.GPU_KERNEL -> gpu.increment();
            default -> java.increment();
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
