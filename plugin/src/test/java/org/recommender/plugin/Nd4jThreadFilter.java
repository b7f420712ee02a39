package org.recommender.plugin;

import com.carrotsearch.randomizedtesting.ThreadFilter;

/**
 * ND4J starts JVM-wide daemon threads (memory deallocators, OpenMP workers) the first time a node loads the
 * backend; they live as long as the JVM by design, so the test framework's leak check must ignore them.
 */
public final class Nd4jThreadFilter implements ThreadFilter {
    @Override
    public boolean reject(Thread t) {
        String name = t.getName();
        return name.startsWith("JavaCPP Deallocator")
            || name.startsWith("DeallocatorServiceThread")
            || name.startsWith("Workspace")
            || name.contains("nd4j")
            || name.contains("ND4J");
    }
}
