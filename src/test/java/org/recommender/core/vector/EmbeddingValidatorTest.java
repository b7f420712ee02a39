package org.recommender.core.vector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingValidatorTest {
    @Test
    void acceptsFiniteVectorOfTheRightDimension() {
        float[] v = { 1f, -2f, 0f };
        assertSame(v, EmbeddingValidator.check("emb", v, 3));
    }

    @Test
    void wrongDimensionNamesFieldExpectedAndActual() {
        InvalidEmbeddingException e = assertThrows(
            InvalidEmbeddingException.class,
            () -> EmbeddingValidator.check("item_vec", new float[] { 1f, 2f }, 4)
        );
        assertEquals("[item_vec] has 2 dimensions but 4 were expected", e.getMessage());
    }

    @Test
    void nanAndInfinityAreRejectedWithTheirIndex() {
        InvalidEmbeddingException nan = assertThrows(
            InvalidEmbeddingException.class,
            () -> EmbeddingValidator.check("v", new float[] { 1f, Float.NaN, 3f }, 3)
        );
        assertTrue(nan.getMessage().contains("[v] element [1] is NaN"), nan.getMessage());
        InvalidEmbeddingException inf = assertThrows(
            InvalidEmbeddingException.class,
            () -> EmbeddingValidator.check("v", new float[] { 1f, 2f, Float.NEGATIVE_INFINITY }, 3)
        );
        assertTrue(inf.getMessage().contains("element [2] is -Infinity"), inf.getMessage());
    }

    @Test
    void elementsAreBoundedSoThatTheWidestDotProductStaysFinite() {
        float[] widest = new float[EmbeddingValidator.MAX_DIMENSIONS];
        java.util.Arrays.fill(widest, EmbeddingValidator.MAX_MAGNITUDE);
        EmbeddingValidator.check("v", widest, widest.length); // the bound itself is allowed
        float dot = 0f;
        for (float x : widest) {
            dot += x * x; // the largest dot product and squared norm two valid vectors can have
        }
        assertTrue(Float.isFinite(dot), "largest dot product " + dot);
        InvalidEmbeddingException over = assertThrows(
            InvalidEmbeddingException.class,
            () -> EmbeddingValidator.check("v", new float[] { 3e38f, -3e38f }, 2)
        );
        assertTrue(over.getMessage().contains("[v] element [0] is 3.0E38; embedding elements must be at most 1.0E16"), over.getMessage());
    }

    @Test
    void dimensionsAreBounded() {
        assertEquals(8, EmbeddingValidator.checkDimensions("f", 8));
        assertThrows(InvalidEmbeddingException.class, () -> EmbeddingValidator.checkDimensions("f", 0));
        assertThrows(
            InvalidEmbeddingException.class,
            () -> EmbeddingValidator.checkDimensions("f", EmbeddingValidator.MAX_DIMENSIONS + 1)
        );
    }

    @Test
    void zeroVectorIsRejectedForCosine() {
        EmbeddingValidator.checkNonZero("f", new float[] { 0f, 1e-18f });
        InvalidEmbeddingException e = assertThrows(
            InvalidEmbeddingException.class,
            () -> EmbeddingValidator.checkNonZero("f", new float[] { 0f, 0f })
        );
        assertTrue(e.getMessage().contains("zero vector"));
    }

    /**
     * A vector this short has a squared norm of zero in float (1e-30² underflows), so Lucene's cosine divides by zero:
     * an infinite or NaN score. Refused like the zero vector; the smallest accepted one has a float norm.
     */
    @Test
    void aVectorTooShortForFloatCosineIsRejected() {
        float[] tiny = { 1e-30f, 1e-30f };
        assertEquals(0f, org.apache.lucene.util.VectorUtil.dotProduct(tiny, tiny), "the premise: its squared norm underflows in float");
        InvalidEmbeddingException e = assertThrows(InvalidEmbeddingException.class, () -> EmbeddingValidator.checkNonZero("user vector", tiny));
        assertTrue(e.getMessage().startsWith("[user vector] has a squared norm of "), e.getMessage());
        float[] smallest = { (float) Math.sqrt(EmbeddingValidator.MIN_SQUARED_NORM) * 1.0001f, 0f };
        EmbeddingValidator.checkNonZero("f", smallest);
        float[] other = { 1f, 1f };
        float cosine = org.apache.lucene.util.VectorUtil.cosine(smallest, other);
        assertTrue(Float.isFinite(cosine), "the smallest accepted vector has a finite float cosine: " + cosine);
    }
}
