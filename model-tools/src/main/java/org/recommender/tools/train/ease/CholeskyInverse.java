package org.recommender.tools.train.ease;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The inverse of a symmetric positive-definite float32 matrix by LAPACK's Cholesky routines on OpenBLAS (all cores):
 * {@code spotrf} factors {@code A = L·Lᵀ} in place, {@code spotri} turns the factor into {@code A⁻¹} in place — about
 * items³ flops in all, a third of an LU inverse's. They are called through the LAPACKE bindings of the OpenBLAS build
 * that ND4J itself runs on ({@code org.bytedeco.openblas}, on the classpath with {@code nd4j-native}): ND4J's own
 * {@code Lapack} wrapper has {@code potrf} but no {@code potri}, its {@code getri} returns its input unchanged on the
 * CPU backend, and it reports a failed factorisation as a {@link Error}, where LAPACK's {@code info} says which
 * minor was not positive.
 */
final class CholeskyInverse {
    /** The side of a tile when the computed triangle is mirrored: 64 × 64 floats, 16 KiB, stays in L1/L2. */
    private static final int TILE = 64;

    private CholeskyInverse() {}

    /**
     * Thrown when the factorisation meets a minor that is not positive definite in float32.
     */
    static final class NotPositiveDefinite extends IllegalStateException {
        NotPositiveDefinite(String message) {
            super(message);
        }
    }

    /**
     * @param matrix row-major {@code n × n}, symmetric and positive definite; copied into native memory at once and not
     *     read afterwards, so a caller that passes it without keeping a reference lets the heap copy be collected
     *     while LAPACK runs
     * @param n the order
     * @param phase told, in words, before each step that may take long (factor, invert, mirror)
     * @return the inverse, row-major {@code n × n}, both triangles filled
     * @throws NotPositiveDefinite when {@code spotrf} finds a leading minor that is not positive (LAPACK {@code info > 0})
     * @throws IllegalStateException for any other LAPACK failure
     */
    static float[] invert(float[] matrix, int n, Consumer<String> phase) {
        long cells = (long) n * n;
        if (matrix.length != cells) {
            throw new IllegalArgumentException("a " + n + " × " + n + " matrix has " + cells + " cells, not " + matrix.length);
        }
        float[] inverse;
        try (FloatPointer a = new FloatPointer(cells)) {
            a.put(matrix, 0, matrix.length);
            matrix = null; // the native copy is the one LAPACK works on: the heap array may go
            // symmetric, so the row-major array read column-major is the same matrix; 'L' there is the row-major upper triangle
            phase.accept("Cholesky factor (LAPACK spotrf)");
            int info = openblas.LAPACKE_spotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', n, a, n);
            if (info > 0) {
                throw new NotPositiveDefinite(String.format(Locale.ROOT, "the leading minor of order %,d is not positive definite in float32", info));
            }
            check("spotrf", info);
            phase.accept("inverse from the factor (LAPACK spotri)");
            check("spotri", openblas.LAPACKE_spotri(openblas.LAPACK_COL_MAJOR, (byte) 'L', n, a, n));
            inverse = new float[(int) cells];
            a.get(inverse, 0, inverse.length);
        }
        phase.accept("mirroring the inverse's triangle");
        mirrorUpperToLower(inverse, n);
        return inverse;
    }

    private static void check(String routine, int info) {
        if (info != 0) {
            throw new IllegalStateException("LAPACK " + routine + " failed (info " + info + ")");
        }
    }

    /** Copies the upper triangle of the row-major {@code m} onto its lower one, tile by tile so reads stay in cache. */
    private static void mirrorUpperToLower(float[] m, int n) {
        int tiles = (n + TILE - 1) / TILE;
        // each task writes the lower part of its own tile row and reads only upper parts, which nobody writes
        IntStream.range(0, tiles).parallel().forEach(ti -> {
            int r0 = ti * TILE;
            int r1 = Math.min(n, r0 + TILE);
            for (int c0 = 0; c0 <= r0; c0 += TILE) {
                for (int r = r0; r < r1; r++) {
                    int c1 = Math.min(r, c0 + TILE);
                    int row = r * n;
                    for (int c = c0; c < c1; c++) {
                        m[row + c] = m[c * n + r];
                    }
                }
            }
        });
    }
}
