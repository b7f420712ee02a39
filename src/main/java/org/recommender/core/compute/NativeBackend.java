package org.recommender.core.compute;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Loads ND4J's native backend once per JVM and proves it works by computing a seeded matrix product natively and
 * comparing it with the same product computed on the JVM. The resulting {@link BackendReport} is what stats show, and
 * what {@code scoring.KernelProvider} reads to decide which native kernels exist.
 */
public final class NativeBackend {
    /** System property JavaCPP reads for the directory it extracts native libraries into. */
    public static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private static final int PROBE_ROWS = 48;
    private static final int PROBE_INNER = 64;
    private static final int PROBE_COLS = 32;
    private static final double PROBE_TOLERANCE = 1e-3;

    private static volatile BackendReport report;

    private NativeBackend() {}

    /**
     * Loads the backend if this JVM has not yet, and returns the report. Thread-safe; later calls return the
     * first result.
     *
     * @param cacheDir where JavaCPP may extract native libraries when {@value #CACHE_DIR_PROPERTY} is not set
     *     already; {@code null} leaves JavaCPP's default ({@code ~/.javacpp/cache})
     */
    public static BackendReport load(Path cacheDir) {
        BackendReport r = report;
        if (r != null) {
            return r;
        }
        synchronized (NativeBackend.class) {
            if (report == null) {
                report = doLoad(cacheDir);
            }
            return report;
        }
    }

    /** @return the report if loading has finished, else a {@link BackendReport#loading()} report */
    public static BackendReport current() {
        BackendReport r = report;
        return r == null ? BackendReport.loading() : r;
    }

    private static BackendReport doLoad(Path cacheDir) {
        long start = System.nanoTime();
        try {
            if (cacheDir != null && System.getProperty(CACHE_DIR_PROPERTY) == null) {
                System.setProperty(CACHE_DIR_PROPERTY, cacheDir.toAbsolutePath().toString());
            }
            String backendClass = Nd4j.getBackend().getClass().getName();
            double error = probe();
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            long millis = (System.nanoTime() - start) / 1_000_000;
            if ((error <= PROBE_TOLERANCE) == false) {
                return BackendReport.failed("native matrix product differs from the JVM result by " + error, millis);
            }
            return new BackendReport(
                BackendReport.READY,
                backendClass,
                String.valueOf(env.getOrDefault("backend", "unknown")),
                String.valueOf(env.getOrDefault("blas.vendor", "unknown")),
                levelName(ops.binaryLevel()),
                levelName(ops.optimalLevel()),
                ops.ompGetMaxThreads(),
                new TreeMap<>(Map.copyOf(Loader.getLoadedLibraries())),
                error,
                millis,
                null
            );
        } catch (Throwable t) {
            // UnsatisfiedLinkError and friends: the node must keep serving on the JVM kernels.
            return BackendReport.failed(describe(t), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The whole cause chain in one line: initializer errors hide the useful message in a cause. */
    private static String describe(Throwable t) {
        StringBuilder chain = new StringBuilder();
        for (Throwable c = t; c != null && chain.length() < 2000; c = c.getCause()) {
            if (chain.length() > 0) {
                chain.append(" <- caused by ");
            }
            chain.append(c.getClass().getName()).append(": ").append(c.getMessage());
        }
        return chain.toString();
    }

    /** Multiplies two seeded matrices natively and returns the largest difference from a JVM triple loop. */
    private static double probe() {
        SplittableRandom random = new SplittableRandom(42);
        float[] a = new float[PROBE_ROWS * PROBE_INNER];
        float[] b = new float[PROBE_INNER * PROBE_COLS];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextDouble(-1, 1);
        }
        INDArray na = Nd4j.create(a, new long[] { PROBE_ROWS, PROBE_INNER }, DataType.FLOAT);
        INDArray nb = Nd4j.create(b, new long[] { PROBE_INNER, PROBE_COLS }, DataType.FLOAT);
        float[] product = na.mmul(nb).data().asFloat();
        double maxError = 0;
        for (int r = 0; r < PROBE_ROWS; r++) {
            for (int c = 0; c < PROBE_COLS; c++) {
                double expected = 0;
                for (int k = 0; k < PROBE_INNER; k++) {
                    expected += (double) a[r * PROBE_INNER + k] * b[k * PROBE_COLS + c];
                }
                maxError = Math.max(maxError, Math.abs(expected - product[r * PROBE_COLS + c]));
            }
        }
        return maxError;
    }

    private static String levelName(int level) {
        return switch (level) {
            case 1 -> "generic x86";
            case 2 -> "AVX2";
            case 3 -> "AVX512";
            default -> "unknown (" + level + ")";
        };
    }
}
