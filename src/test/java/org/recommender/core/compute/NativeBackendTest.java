package org.recommender.core.compute;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeBackendTest {
    @Test
    void loadsTheNativeCpuBackendAndProvesItWithAComputation() {
        BackendReport report = NativeBackend.load(Path.of("target", "javacpp-cache"));
        assertEquals(BackendReport.READY, report.status(), report.error());
        assertEquals("org.nd4j.linalg.cpu.nativecpu.CpuBackend", report.backendClass());
        assertEquals("CPU", report.device());
        assertNotNull(report.blasVendor());
        assertTrue(report.probeMaxAbsError() < 1e-3, "probe error " + report.probeMaxAbsError());
        assertTrue(report.threads() >= 1);
        assertTrue(report.libraryNames().contains("nd4jcpu"), report.libraryNames().toString());
        assertSame(report, NativeBackend.load(null), "a JVM loads the backend once");
        assertSame(report, NativeBackend.current());
    }

    @Test
    void aCapHoldsForItsScopeAndTheEarlierLimitComesBack() {
        assertEquals(BackendReport.READY, NativeBackend.load(Path.of("target", "javacpp-cache")).status());
        assertTrue(NativeThreads.limit(2));
        try (NativeThreads.Scope scope = NativeThreads.cap(1)) {
            assertEquals(1, NativeThreads.blasThreads());
        }
        assertEquals(2, NativeThreads.blasThreads());
    }
}
