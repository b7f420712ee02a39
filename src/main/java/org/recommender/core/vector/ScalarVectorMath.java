package org.recommender.core.vector;

/** {@link VectorMath} without the Vector API: multiply and add in index order. */
final class ScalarVectorMath {
    private ScalarVectorMath() {}

    static float dot(float[] a, float[] b) {
        float sum = 0f;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static float squareDistance(float[] a, float[] b) {
        float sum = 0f;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
