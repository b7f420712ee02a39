package org.recommender.core.model;

import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;

/**
 * A compiled model, ready to score: validated, immutable, safe to share between threads. Obtained from
 * {@link ModelBundle#compile()}. Scores are the model's raw output and may be negative; turning them into
 * non-negative search scores is the caller's business.
 *
 * <p>Both methods allocate nothing on the Java heap once a thread has scored with the model once (each thread keeps
 * small scratch buffers per model). Vectors are not checked for finiteness here: callers validate embeddings once
 * where they enter the system.
 */
public interface ScoringModel {
    /** @return {@code dot}, {@code cosine}, {@code mlp} or {@code neumf} */
    String type();

    /** @return the dimension user vectors must have */
    int userDims();

    /** @return the dimension item vectors must have */
    int itemDims();

    /**
     * @return an estimate of the bytes the compiled weights keep resident (heap plus ND4J's off-heap copy), for a
     *     cache's byte limit; per-thread scratch buffers are not included
     */
    long memoryBytes();

    /**
     * @return the multiply-adds scoring one item takes once per-user work is done, an upper bound over the kernels:
     *     {@code dot} its item dimension, {@code cosine} twice that (the item's norm too), {@code mlp} / {@code neumf}
     *     their network's count ({@link org.recommender.core.scoring.Network#itemWork()}). What a caller multiplies by
     *     the items it scores to bound a request's CPU before it starts.
     */
    long itemWork();

    /**
     * Scores one item on the Java kernel.
     *
     * @param user {@link #userDims()} values
     * @param item {@link #itemDims()} values
     * @return the raw model score
     * @throws IllegalArgumentException when a vector has the wrong dimension
     */
    float score(float[] user, float[] item);

    /**
     * Scores a batch: {@code out[i] = score(user, items[i])} for {@code i < count}, on the kernel
     * {@link #kernelFor kernelFor(count)} names (the {@link KernelProvider} the model was compiled with chooses it). Results agree with {@link #score(float[], float[])} to 1e-5
     * relative whichever kernel runs; if the ND4J kernel fails at run time the batch is scored on the Java kernel
     * instead and the model stops using ND4J.
     *
     * @param user {@link #userDims()} values
     * @param items item vectors; only the first {@code count} are read
     * @param count how many items to score
     * @param out receives the scores; only {@code out[0..count)} is written
     * @throws IllegalArgumentException when a vector has the wrong dimension or {@code out} is too short
     */
    void score(float[] user, float[][] items, int count, float[] out);

    /**
     * Scores every item for every user: {@code out[u][i] = score(users[u], items[i])} for {@code i < count}. Neural
     * models run the whole {@code users × count} grid as one batched ND4J call (the users' first layers side by
     * side) once it reaches the crossover, so serving many users costs one pass, not one call per user; similarity
     * models stay on the JVM kernel, which no batched product beats for a dot product. Same agreement and fallback
     * as {@link #score(float[], float[][], int, float[])}.
     *
     * @param users user vectors, each {@link #userDims()} long
     * @param items item vectors; only the first {@code count} are read
     * @param count how many items to score for each user
     * @param out one row per user, each receiving {@code count} scores
     * @throws IllegalArgumentException when a vector has the wrong dimension or {@code out} is too small
     */
    void score(float[][] users, float[][] items, int count, float[][] out);

    /**
     * @param count a batch size
     * @return the kernel {@link #score(float[], float[][], int, float[])} uses for a batch of {@code count} items
     *     right now
     */
    Kernel kernelFor(int count);

    /**
     * @param users how many users one call scores
     * @param count how many items each of them
     * @return the kernel {@link #score(float[][], float[][], int, float[][])} uses for such a call right now
     */
    Kernel kernelFor(int users, int count);

    /**
     * @return why the ND4J kernel was switched off for this model after failing at run time, or {@code null} when
     *     it has not failed (for stats)
     */
    default String nd4jFailure() {
        return null;
    }
}
