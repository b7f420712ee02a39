package org.recommender.core.scoring;

import org.junit.jupiter.api.Test;
import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.ComputeDevice;

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
        assertEquals(Kernel.ND4J, Placement.of(ComputeDevice.AUTO, ready("CPU"), Kernel.SIMD).kernel());
        assertEquals(Kernel.ND4J_GPU, Placement.of(ComputeDevice.AUTO, ready("CUDA"), Kernel.SIMD).kernel());
        assertEquals(Kernel.SIMD, Placement.of(ComputeDevice.AUTO, BackendReport.failed("no natives", 3), Kernel.SIMD).kernel());
        assertNull(Placement.of(ComputeDevice.AUTO, ready("CPU"), Kernel.SIMD).fallback());
    }

    @Test
    void gpuWithoutAGpuFallsBackToTheCpuAndSaysWhy() {
        Placement p = Placement.of(ComputeDevice.GPU, ready("CPU"), Kernel.SIMD);
        assertEquals(Kernel.ND4J, p.kernel());
        assertTrue(p.fallback().startsWith("device [gpu] requested but the loaded ND4J backend is CPU"), p.fallback());
        Placement failed = Placement.of(ComputeDevice.GPU, BackendReport.failed("UnsatisfiedLinkError: libcudart.so.11.0", 3), Kernel.SIMD);
        assertEquals(Kernel.SIMD, failed.kernel());
        assertTrue(failed.fallback().contains("libcudart"), failed.fallback());
    }

    @Test
    void cpuNeverUsesTheGpu() {
        Placement p = Placement.of(ComputeDevice.CPU, ready("CUDA"), Kernel.SIMD);
        assertEquals(Kernel.SIMD, p.kernel());
        assertTrue(p.fallback().contains("CUDA"), p.fallback());
        assertEquals(Kernel.ND4J, Placement.of(ComputeDevice.CPU, ready("CPU"), Kernel.SIMD).kernel());
    }

    @Test
    void withoutANativeKernelBatchesUseTheJvmBatchKernel() {
        assertEquals(Kernel.JAVA, Placement.of(ComputeDevice.AUTO, BackendReport.loading(), Kernel.JAVA).kernel());
        assertEquals("the native backend is still loading", Placement.of(ComputeDevice.GPU, BackendReport.loading(), Kernel.JAVA).fallback());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Placement.of(ComputeDevice.AUTO, ready("CPU"), Kernel.ND4J));
    }

    @Test
    void namesParse() {
        assertEquals(ComputeDevice.GPU, ComputeDevice.fromName("gpu"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ComputeDevice.fromName("tpu"));
        assertEquals("unknown compute device [tpu]; expected one of [auto, cpu, gpu]", e.getMessage());
    }
}
