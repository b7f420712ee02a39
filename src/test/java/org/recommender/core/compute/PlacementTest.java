package org.recommender.core.compute;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlacementTest {
    private static BackendReport ready(String device) {
        return new BackendReport(BackendReport.READY, "backend", device, "OPENBLAS", "generic", "AVX2", 1, Map.of(), 0, 1, null);
    }

    @Test
    void autoUsesWhatLoaded() {
        assertEquals(Placement.Kernel.CPU, Placement.of(ComputeDevice.AUTO, ready("CPU")).kernel());
        assertEquals(Placement.Kernel.GPU, Placement.of(ComputeDevice.AUTO, ready("CUDA")).kernel());
        assertEquals(Placement.Kernel.JVM, Placement.of(ComputeDevice.AUTO, BackendReport.failed("no natives", 3)).kernel());
        assertNull(Placement.of(ComputeDevice.AUTO, ready("CPU")).fallback());
    }

    @Test
    void gpuWithoutAGpuFallsBackToTheCpuAndSaysWhy() {
        Placement p = Placement.of(ComputeDevice.GPU, ready("CPU"));
        assertEquals(Placement.Kernel.CPU, p.kernel());
        assertTrue(p.fallback().startsWith("device [gpu] requested but the loaded ND4J backend is CPU"), p.fallback());
        Placement failed = Placement.of(ComputeDevice.GPU, BackendReport.failed("UnsatisfiedLinkError: libcudart.so.11.0", 3));
        assertEquals(Placement.Kernel.JVM, failed.kernel());
        assertTrue(failed.fallback().contains("libcudart"), failed.fallback());
    }

    @Test
    void cpuNeverUsesTheGpu() {
        Placement p = Placement.of(ComputeDevice.CPU, ready("CUDA"));
        assertEquals(Placement.Kernel.JVM, p.kernel());
        assertTrue(p.fallback().contains("CUDA"), p.fallback());
        assertEquals(Placement.Kernel.CPU, Placement.of(ComputeDevice.CPU, ready("CPU")).kernel());
    }

    @Test
    void namesParse() {
        assertEquals(ComputeDevice.GPU, ComputeDevice.fromName("gpu"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ComputeDevice.fromName("tpu"));
        assertEquals("unknown compute device [tpu]; expected one of [auto, cpu, gpu]", e.getMessage());
    }
}
