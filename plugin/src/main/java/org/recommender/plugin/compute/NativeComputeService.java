package org.recommender.plugin.compute;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.threadpool.ThreadPool;
import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.ComputeDevice;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.compute.NativeThreads;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.scoring.NativeMemoryBudget;
import org.recommender.core.scoring.Placement;

import java.nio.file.Path;

/**
 * Loads ND4J's native backend in the background when the node starts, so the first search never pays for it, and
 * keeps the resulting {@link BackendReport} for stats. If loading fails the node keeps serving on the JVM kernels.
 * Also the one place the node's settings configure kernel choice: {@link #kernelProvider(Settings)}.
 */
public final class NativeComputeService {
    /**
     * Where JavaCPP extracts ND4J's native libraries (~400 MB). Empty means {@code <first path.data>/recommender-native},
     * which the node may write and which survives restarts (extraction then costs nothing). A JVM-wide
     * {@code -Dorg.bytedeco.javacpp.cachedir} wins over both.
     */
    public static final Setting<String> NATIVE_CACHE_DIR = Setting.simpleString(
        "recommender.native.cache_dir",
        Setting.Property.NodeScope
    );

    /**
     * Threads each native (BLAS / OpenMP) call may use. 1 by default: a node serves concurrent requests, and on a
     * busy machine multi-threaded BLAS calls were measured 10-20x slower (docs/benchmarks.md).
     */
    public static final Setting<Integer> NATIVE_THREADS = Setting.intSetting(
        "recommender.native.threads",
        1,
        1,
        Setting.Property.NodeScope
    );

    /**
     * Where batched neural scoring runs: {@code auto} (the GPU when the CUDA build loaded, else the CPU), {@code cpu},
     * or {@code gpu} (falls back to the CPU, with the reason in stats, when no GPU backend loaded).
     */
    public static final Setting<ComputeDevice> COMPUTE_DEVICE = new Setting<>(
        "recommender.compute.device",
        ComputeDevice.AUTO.externalName(),
        ComputeDevice::fromName,
        Setting.Property.NodeScope
    );

    /**
     * The smallest batch (users × items) a compiled MLP / NeuMF model sends to ND4J (CPU or GPU); smaller batches stay
     * on the JVM. {@code 0} (the default) lets the {@link KernelProvider} choose per call from the kernels the node
     * has ({@link KernelProvider#AUTO_CROSSOVER}). Read when a model is compiled.
     */
    public static final Setting<Integer> ND4J_MIN_BATCH = Setting.intSetting(
        "recommender.scoring.nd4j_min_batch",
        KernelProvider.AUTO_CROSSOVER,
        KernelProvider.AUTO_CROSSOVER,
        Setting.Property.NodeScope
    );

    private static final Logger LOG = LogManager.getLogger(NativeComputeService.class);

    private final Path cacheDir;
    private final int nativeThreads;
    private final KernelProvider kernels;

    /**
     * Starts loading on the generic thread pool.
     *
     * @param settings node settings
     * @param environment node paths
     * @param threadPool where the load runs
     */
    public NativeComputeService(Settings settings, Environment environment, ThreadPool threadPool, NativeMemoryBudget workspaces) {
        String configured = NATIVE_CACHE_DIR.get(settings);
        this.nativeThreads = NATIVE_THREADS.get(settings);
        this.kernels = kernelProvider(settings).withWorkspaceBudget(workspaces);
        this.cacheDir = configured.isEmpty() ? environment.dataFiles()[0].resolve("recommender-native") : Path.of(configured);
        threadPool.generic().execute(this::load);
    }

    /**
     * @param settings node settings
     * @return the kernel provider they describe: {@link #COMPUTE_DEVICE} and {@link #ND4J_MIN_BATCH}
     */
    public static KernelProvider kernelProvider(Settings settings) {
        return KernelProvider.of(COMPUTE_DEVICE.get(settings), ND4J_MIN_BATCH.get(settings));
    }

    /** Loads (once per JVM) and logs the outcome; later calls return the same report. */
    public BackendReport load() {
        // ND4J finds its backend and ops through the context class loader; on a node's pool threads that is the
        // server's loader, which cannot see this plugin's jars.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        BackendReport report;
        try {
            thread.setContextClassLoader(NativeComputeService.class.getClassLoader());
            report = NativeBackend.load(cacheDir);
            if (report.ready()) {
                NativeThreads.limit(nativeThreads);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (report.ready()) {
            LOG.info(
                "ND4J native backend ready: {} ({}, BLAS {}, binary {}, cpu {}) in {} ms",
                report.backendClass(),
                report.device(),
                report.blasVendor(),
                report.binaryLevel(),
                report.cpuLevel(),
                report.loadMillis()
            );
        } else {
            LOG.warn("ND4J native backend unavailable, scoring stays on the JVM: {}", report.error());
        }
        Placement placement = kernels.placement();
        if (placement.fallback() != null) {
            LOG.warn("recommender.compute.device [{}]: {}", placement.requested().externalName(), placement.fallback());
        }
        return report;
    }

    /** @return where batched scoring runs now, given the requested device and what loaded */
    public Placement placement() {
        return kernels.placement();
    }

    /** @return the node's kernel provider, {@link #kernelProvider(Settings) from its settings} */
    public KernelProvider kernels() {
        return kernels;
    }

    /** @return the report now: {@code loading} until the background load has finished */
    public BackendReport report() {
        return NativeBackend.current();
    }
}
