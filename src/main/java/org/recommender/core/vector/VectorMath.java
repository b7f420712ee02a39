package org.recommender.core.vector;

import org.recommender.core.compute.VectorApi;

/**
 * The dot product and the squared Euclidean distance of two float vectors: the one home of this arithmetic, called by
 * every scoring path of the core, the plugin and the offline tools (the similarities, the factorization and network
 * kernels, MMR, the evaluators), so that they all round alike.
 *
 * <p>Why not Lucene's {@code VectorUtil}, which this replaces: its Panama kernel sums the SIMD lanes with
 * {@code reduceLanes(ADD)}, whose order the Vector API leaves open, and the interpreted fallback (lane by lane) and the
 * compiled intrinsic (a halving tree) use different ones. The same two vectors then get another result, in the last
 * bits, once the JIT has compiled the caller: of 4,096 seeded Gaussian rows at d = 64 (AVX2, JDK 25), 2,261 results
 * changed between a fresh JVM's first, cold pass and a compiled one ({@code VectorMathBenchmark}'s setup prints it). One document could then get two scores on
 * one node (per-document and block paths, a request during warm-up and one after), which reorders ties and breaks
 * {@code search_after} paging. The Panama kernel here uses only lane-wise, exactly rounded operations (fused
 * multiply-add, add, sub, lane rotation) and sums the lanes in one fixed order, so its results are the same bits
 * interpreted and compiled ({@code VectorMathTest} compares an {@code -Xint} JVM with a warm one). That fixed order is
 * the halving tree the compiled intrinsic uses, and the loop has VectorUtil's shape (four accumulators above two
 * vectors' length, scalar tail not fused), so the results also equal compiled {@code VectorUtil}'s on the machines
 * measured (printed by {@code VectorMathBenchmark}'s setup): scores seen after warm-up did not change.
 *
 * <p>Without the Vector API ({@link VectorApi#present()} false) a scalar loop of multiply-adds in index order
 * runs instead: also reproducible, in other last bits. The lane count follows the CPU's preferred vector width, so
 * machines with another width (AVX-512, 128-bit NEON) may differ from this one in the last bits, as with VectorUtil.
 */
public final class VectorMath {
    private static final boolean PANAMA = VectorApi.present();

    private VectorMath() {}

    /**
     * @param a a vector
     * @param b a vector of the same length
     * @return Σ a[i]·b[i] in float, the same bits on every call on this JVM
     * @throws IllegalArgumentException if the lengths differ
     */
    public static float dot(float[] a, float[] b) {
        checkLengths(a, b);
        return PANAMA ? PanamaVectorMath.dot(a, b) : ScalarVectorMath.dot(a, b);
    }

    /**
     * @param a a vector
     * @param b a vector of the same length
     * @return Σ (a[i] − b[i])² in float, the same bits on every call on this JVM
     * @throws IllegalArgumentException if the lengths differ
     */
    public static float squareDistance(float[] a, float[] b) {
        checkLengths(a, b);
        return PANAMA ? PanamaVectorMath.squareDistance(a, b) : ScalarVectorMath.squareDistance(a, b);
    }

    private static void checkLengths(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " != " + b.length);
        }
    }
}
