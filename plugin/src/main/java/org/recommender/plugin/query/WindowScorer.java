package org.recommender.plugin.query;

import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.SimdDotKernel;
import org.recommender.core.vector.VectorSimilarity;

/** Scores a rescore window for one user: a compiled model, or a plain similarity. Delegates all math to the core. */
interface WindowScorer {
    /** Raw scores of {@code items[0..count)} into {@code out}. */
    void score(float[] user, float[][] items, int count, float[] out);

    /** @return the kernel that scores a batch of {@code count} items ({@code java} or {@code nd4j}) */
    String kernelFor(int count);

    static WindowScorer of(ScoringModel model) {
        return new WindowScorer() {
            @Override
            public void score(float[] user, float[][] items, int count, float[] out) {
                model.score(user, items, count, out);
            }

            @Override
            public String kernelFor(int count) {
                return model.kernelFor(count);
            }
        };
    }

    static WindowScorer of(String source) {
        if (source.equals("dot")) {
            return new WindowScorer() {
                @Override
                public void score(float[] user, float[][] items, int count, float[] out) {
                    SimdDotKernel.INSTANCE.dot(user, items, count, out);
                }

                @Override
                public String kernelFor(int count) {
                    return "java";
                }
            };
        }
        return new WindowScorer() {
            @Override
            public void score(float[] user, float[][] items, int count, float[] out) {
                for (int i = 0; i < count; i++) {
                    out[i] = VectorSimilarity.COSINE.raw(user, items[i]);
                }
            }

            @Override
            public String kernelFor(int count) {
                return "java";
            }
        };
    }
}
