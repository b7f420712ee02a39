package org.recommender.core.compute;

import java.util.List;
import java.util.Map;

/**
 * What the native compute backend turned out to be on this machine, as measured by {@link NativeBackend#load}:
 * never a configured or assumed value.
 *
 * @param status {@code ready} (a probe computation ran and matched the JVM result), {@code failed}, or
 *     {@code loading}
 * @param backendClass the ND4J backend class that loaded, e.g. {@code org.nd4j.linalg.cpu.nativecpu.CpuBackend}
 * @param device {@code CPU} or {@code CUDA}, as ND4J reports it
 * @param blasVendor the BLAS library ND4J linked, e.g. {@code OPENBLAS}
 * @param binaryLevel the instruction set the native binary was built for (e.g. {@code generic x86}, {@code AVX2})
 * @param cpuLevel the best instruction set this CPU offers (e.g. {@code AVX512})
 * @param threads OpenMP / BLAS threads
 * @param nativeLibraries native libraries loaded, name → path
 * @param probeMaxAbsError largest |ND4J − JVM| over the probe's matrix product
 * @param loadMillis time to load the backend and run the probe
 * @param error why loading failed, or {@code null}
 */
public record BackendReport(
    String status,
    String backendClass,
    String device,
    String blasVendor,
    String binaryLevel,
    String cpuLevel,
    int threads,
    Map<String, String> nativeLibraries,
    double probeMaxAbsError,
    long loadMillis,
    String error
) {
    /** Status while the backend is still loading. */
    public static final String LOADING = "loading";
    /** Status after a successful probe. */
    public static final String READY = "ready";
    /** Status after a failed load or probe. */
    public static final String FAILED = "failed";

    /** @return the report shown before loading finished */
    public static BackendReport loading() {
        return new BackendReport(LOADING, null, null, null, null, null, 0, Map.of(), Double.NaN, 0, null);
    }

    /** @return a report for a backend that could not be loaded */
    public static BackendReport failed(String error, long loadMillis) {
        return new BackendReport(FAILED, null, null, null, null, null, 0, Map.of(), Double.NaN, loadMillis, error);
    }

    /** @return whether the native backend is usable */
    public boolean ready() {
        return READY.equals(status);
    }

    /** @return the names of the native libraries loaded, sorted */
    public List<String> libraryNames() {
        return nativeLibraries.keySet().stream().sorted().toList();
    }
}
