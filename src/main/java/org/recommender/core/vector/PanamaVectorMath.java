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
    /** Rotations by half, a quarter, ... of the lanes, down to one: the steps of the lane sum. */
    private static final VectorShuffle<Float>[] WIDE = wideRotations();
    private static final VectorShuffle<Float> ROTATE_8 = rotation(8);
    private static final VectorShuffle<Float> ROTATE_4 = rotation(4);
    private static final VectorShuffle<Float> ROTATE_2 = rotation(2);
    private static final VectorShuffle<Float> ROTATE_1 = rotation(1);

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

    /**
     * The SIMD part of {@link #dot}, {@code [0, bound)}. A method of its own, as in VectorUtil, so the small
     * {@code dot} inlines into every caller while this body is compiled once.
     */
    private static float dotBody(float[] a, float[] b, int bound) {
        int i = 0;
        // four independent accumulators hide the multiply-add latency
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        for (int unrolled = bound - 3 * LANES; i < unrolled; i += 4 * LANES) { // a counted loop C2 unrolls
            s0 = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), s0);
            s1 = FloatVector.fromArray(SPECIES, a, i + LANES).fma(FloatVector.fromArray(SPECIES, b, i + LANES), s1);
            s2 = FloatVector.fromArray(SPECIES, a, i + 2 * LANES).fma(FloatVector.fromArray(SPECIES, b, i + 2 * LANES), s2);
            s3 = FloatVector.fromArray(SPECIES, a, i + 3 * LANES).fma(FloatVector.fromArray(SPECIES, b, i + 3 * LANES), s3);
        }
        for (; i < bound; i += LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), s0);
        }
        // the lanes summed as a halving tree (lane j plus lane j + L/2, then the same on the first half, ...): the order
        // compiled reduceLanes(ADD) uses on the machines measured, but from lane-wise adds of rotated copies, which
        // round the same interpreted and compiled. Written out here, not in a helper: a FloatVector passed to a method
        // the JIT does not inline is boxed on the heap, once per call. The LANES tests fold away once compiled.
        FloatVector v = s0.add(s1).add(s2.add(s3));
        for (VectorShuffle<Float> rotation : WIDE) { // empty below 32 lanes
            v = v.add(v.rearrange(rotation));
        }
        if (LANES >= 16) {
            v = v.add(v.rearrange(ROTATE_8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(ROTATE_4));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(ROTATE_2));
        }
        if (LANES >= 2) {
            v = v.add(v.rearrange(ROTATE_1));
        }
        return v.lane(0);
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

    /** The SIMD part of {@link #squareDistance}, {@code [0, bound)}, a method of its own as {@link #dotBody}. */
    private static float squareDistanceBody(float[] a, float[] b, int bound) {
        int i = 0;
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        for (int unrolled = bound - 3 * LANES; i < unrolled; i += 4 * LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
            FloatVector d1 = FloatVector.fromArray(SPECIES, a, i + LANES).sub(FloatVector.fromArray(SPECIES, b, i + LANES));
            FloatVector d2 = FloatVector.fromArray(SPECIES, a, i + 2 * LANES).sub(FloatVector.fromArray(SPECIES, b, i + 2 * LANES));
            FloatVector d3 = FloatVector.fromArray(SPECIES, a, i + 3 * LANES).sub(FloatVector.fromArray(SPECIES, b, i + 3 * LANES));
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
            s2 = d2.fma(d2, s2);
            s3 = d3.fma(d3, s3);
        }
        for (; i < bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
            s0 = d.fma(d, s0);
        }
        // the lanes summed as a halving tree (lane j plus lane j + L/2, then the same on the first half, ...): the order
        // compiled reduceLanes(ADD) uses on the machines measured, but from lane-wise adds of rotated copies, which
        // round the same interpreted and compiled. Written out here, not in a helper: a FloatVector passed to a method
        // the JIT does not inline is boxed on the heap, once per call. The LANES tests fold away once compiled.
        FloatVector v = s0.add(s1).add(s2.add(s3));
        for (VectorShuffle<Float> rotation : WIDE) { // empty below 32 lanes
            v = v.add(v.rearrange(rotation));
        }
        if (LANES >= 16) {
            v = v.add(v.rearrange(ROTATE_8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(ROTATE_4));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(ROTATE_2));
        }
        if (LANES >= 2) {
            v = v.add(v.rearrange(ROTATE_1));
        }
        return v.lane(0);
    }

    /** The rotations by 16 lanes or more, widest first: only vectors of 32 lanes or more (1024 bits) need them. */
    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] wideRotations() {
        int count = Math.max(0, Integer.numberOfTrailingZeros(LANES) - 4);
        VectorShuffle<Float>[] rotations = new VectorShuffle[count];
        for (int k = 0; k < count; k++) {
            rotations[k] = rotation(LANES >> (k + 1));
        }
        return rotations;
    }

    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(SPECIES, lane -> (lane + by) % LANES);
    }
}
