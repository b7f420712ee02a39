package org.recommender.core.compute;

import java.util.Locale;

/** Where a node asks batched model scoring to run ({@code recommender.compute.device}). */
public enum ComputeDevice {
    /** The GPU when the CUDA build of ND4J loaded, else ND4J's CPU backend, else the JVM. */
    AUTO,
    /** Never the GPU: ND4J's CPU backend when it loaded, else the JVM. */
    CPU,
    /** The GPU; when there is none the node falls back to the CPU, says why in stats, and keeps serving. */
    GPU;

    /** @return the name used in settings */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ComputeDevice fromName(String name) {
        for (ComputeDevice d : values()) {
            if (d.externalName().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown compute device [" + name + "]; expected one of [auto, cpu, gpu]");
    }
}
