package org.recommender.core.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorMath} on the Panama Vector API; loaded only when {@code jdk.incubator.vector} is present. Every
 * operation is lane-wise and exactly rounded, and the lanes are summed in a fixed order, never by
 * {@code reduceLanes}, so interpreted and compiled code give the same bits.
 */
final class PanamaVectorMath {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Rotations by half the lanes, a quarter, ..., one lane: the steps of the lane sum, widest first. */
    private static final VectorShuffle<Float>[] HALVINGS = halvings();

    private PanamaVectorMath() {}

    static float dot(float[] a, float[] b) {
        int n = a.length;
        int i = 0;
        float sum = 0f;
        // below three vectors the setup costs more than it saves (and VectorUtil stays scalar there too)
        if (n > 2 * LANES) {
            i = SPECIES.loopBound(n);
            sum = dotBody(a, b, i);
        }
        for (; i < n; i++) {
            sum += a[i] * b[i]; // not fused, as VectorUtil's scalar part on x86: the same bits as before this class
        }
        return sum;
    }

    static float squareDistance(float[] a, float[] b) {
        int n = a.length;
        int i = 0;
        float sum = 0f;
        if (n > 2 * LANES) {
            i = SPECIES.loopBound(n);
            sum = squareDistanceBody(a, b, i);
        }
        for (; i < n; i++) {
            float d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    /*
     * The SIMD bodies below are methods of their own, as in VectorUtil: the small entry methods inline into every
     * caller, and each body stays under the JIT's limit for inlining hot methods (FreqInlineSize, 325 bytes of
     * bytecode; dotBody is 276, squareDistanceBody 321 — keep them under it), so it is inlined into hot loops too.
     * Measured (docs/benchmarks.md, "One dot product that rounds alike"): a 360-496-byte body never was, and ran 1.3x
     * slower than VectorUtil at d = 64-256; under the limit it ran 1.7x faster. Every FloatVector stays inside its
     * body: one passed to a method the JIT does not inline is boxed on the heap, once per call (a lane-sum helper made
     * script_score bimodal on a node, 5-8 ms slower in two of four runs). The lane sum is a halving tree (lane j plus
     * lane j + L/2, then the same on the first half, ...): the order compiled reduceLanes(ADD) uses on the machines
     * measured, but from lane-wise adds of rotated copies, which round the same interpreted and compiled.
     */

    /** Σ a·b over {@code [0, bound)}, {@code bound} a multiple of the lane count. */
    private static float dotBody(float[] a, float[] b, int bound) {
        int i = 0;
        // the static fields read once into locals: each use of a field is a 3-byte read in bytecode, and this method
        // must stay small (above)
        VectorSpecies<Float> sp = SPECIES;
        int l = LANES, l2 = 2 * LANES, l3 = 3 * LANES;
        // four independent accumulators hide the multiply-add latency
        FloatVector s0 = FloatVector.zero(sp), s1 = s0, s2 = s0, s3 = s0;
        for (int unrolled = bound - l3; i < unrolled; i += 4 * l) { // a counted loop C2 unrolls
            s0 = FloatVector.fromArray(sp, a, i).fma(FloatVector.fromArray(sp, b, i), s0);
            s1 = FloatVector.fromArray(sp, a, i + l).fma(FloatVector.fromArray(sp, b, i + l), s1);
            s2 = FloatVector.fromArray(sp, a, i + l2).fma(FloatVector.fromArray(sp, b, i + l2), s2);
            s3 = FloatVector.fromArray(sp, a, i + l3).fma(FloatVector.fromArray(sp, b, i + l3), s3);
        }
        for (; i < bound; i += l) {
            s0 = FloatVector.fromArray(sp, a, i).fma(FloatVector.fromArray(sp, b, i), s0);
        }
        FloatVector v = s0.add(s1).add(s2.add(s3));
        for (VectorShuffle<Float> rotation : HALVINGS) {
            v = v.add(v.rearrange(rotation));
        }
        return v.lane(0);
    }

    /** Σ (a − b)² over {@code [0, bound)}, {@code bound} a multiple of the lane count. */
    private static float squareDistanceBody(float[] a, float[] b, int bound) {
        int i = 0;
        // the static fields read once into locals: each use of a field is a 3-byte read in bytecode, and this method
        // must stay small (above)
        VectorSpecies<Float> sp = SPECIES;
        int l = LANES, l2 = 2 * LANES, l3 = 3 * LANES;
        FloatVector s0 = FloatVector.zero(sp), s1 = s0, s2 = s0, s3 = s0;
        for (int unrolled = bound - l3; i < unrolled; i += 4 * l) {
            FloatVector d0 = FloatVector.fromArray(sp, a, i).sub(FloatVector.fromArray(sp, b, i));
            FloatVector d1 = FloatVector.fromArray(sp, a, i + l).sub(FloatVector.fromArray(sp, b, i + l));
            FloatVector d2 = FloatVector.fromArray(sp, a, i + l2).sub(FloatVector.fromArray(sp, b, i + l2));
            FloatVector d3 = FloatVector.fromArray(sp, a, i + l3).sub(FloatVector.fromArray(sp, b, i + l3));
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
            s2 = d2.fma(d2, s2);
            s3 = d3.fma(d3, s3);
        }
        for (; i < bound; i += l) {
            FloatVector d = FloatVector.fromArray(sp, a, i).sub(FloatVector.fromArray(sp, b, i));
            s0 = d.fma(d, s0);
        }
        FloatVector v = s0.add(s1).add(s2.add(s3));
        for (VectorShuffle<Float> rotation : HALVINGS) {
            v = v.add(v.rearrange(rotation));
        }
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halvings() {
        VectorShuffle<Float>[] rotations = new VectorShuffle[Integer.numberOfTrailingZeros(LANES)];
        for (int k = 0; k < rotations.length; k++) {
            rotations[k] = rotation(LANES >> (k + 1));
        }
        return rotations;
    }

    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(SPECIES, lane -> (lane + by) % LANES);
    }
}
