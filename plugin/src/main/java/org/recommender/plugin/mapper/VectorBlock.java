package org.recommender.plugin.mapper;

import java.io.IOException;

/**
 * A block of documents of one segment whose vectors are read with one {@link EmbeddingValues#readBlock} call and
 * scored with one call of a block kernel — the one home of the read-a-block-then-score-it loop that every exact
 * surface runs (the {@code embedding_knn} exact scan, best-score queries, {@code script_score}'s bulk scorer). Nothing
 * is allocated per document or per block. One instance serves one scan on one thread.
 *
 * <p>Use: {@link #add} documents in increasing order until it returns {@code true} (or the candidates end), then
 * {@link #score} the block and read each scored row's document and score, then {@link #clear}.
 */
public final class VectorBlock {
    /**
     * Most documents per block (fewer at higher dimensions: {@link #rows}). At d = 64 the size barely matters, measured: one 200,000 × 64 segment of binary doc values
     * (MMapDirectory, JDK 25 with the vector module, median of 30 JIT-warm scans, three rounds, on this 2-core
     * machine at load 4–5) took 10.7–13.2 ms at 16 rows, 12.5–13.7 ms at 64, 12.7–13.6 ms at 256, 13.1–13.6 ms at
     * 1,024, and 12.3–13.4 ms one document at a time (one outlier round of 25.6 ms): the cost is Lucene's read of
     * each document's bytes, not the loop around the kernel.
     */
    public static final int SIZE = 64;

    /**
     * The most a block's rows take, 16 KiB: 64 rows up to d = 64, 16 at d = 256, 4 from d = 1,024 on (never fewer),
     * so the rows just read are still in L1 (32–48 KiB) when the kernel scores them. Measured with 64 rows at every
     * dimension, on binary doc values: {@code script_score} in blocks took 28–29 ms per query against 21–23.5 one
     * document at a time at 200,000 × 256 (and 133–164 against 89–129 ms at 1,000,000 × 256), while at d = 64 blocks
     * were the faster (13 against 16 ms); with this cap, 21–22 ms in blocks and {@code embedding_knn} exact 15 ms
     * instead of 18–20 (docs/benchmarks.md, "1,000,000 × 256 on binary doc values").
     */
    static final int MAX_BLOCK_BYTES = 16 * 1024;

    /** The fewest rows a block has, whatever the dimension. */
    private static final int MIN_ROWS = 4;

    /** @return how many documents a block of vectors of {@code dims} holds: {@link #SIZE} at most */
    public static int rows(int dims) {
        return Math.max(MIN_ROWS, Math.min(SIZE, MAX_BLOCK_BYTES / (Float.BYTES * Math.max(1, dims))));
    }

    /** Scores rows of vectors in one call, e.g. {@code VectorSimilarity.Prepared::raw}. */
    @FunctionalInterface
    public interface Kernel {
        /**
         * @param rows the vectors, {@code rows[i]} for {@code i < count}
         * @param count how many rows to score
         * @param out receives the score of {@code rows[i]} at {@code out[i]}
         */
        void score(float[][] rows, int count, float[] out);
    }

    private final int[] docs;
    private final int[] found;
    private final float[][] rows;
    private final float[] scores;
    private int count;

    /**
     * @param dims the field's dimension
     * @return the bytes a block of that dimension holds in its arrays (about 16 KiB of rows up to d = 1,024, 64 KiB at
     *     4,096 dimensions), for a
     *     circuit breaker's accounting before it is made; array headers counted as 16 bytes, the object itself not
     */
    public static long bytes(int dims) {
        long header = 16;
        int n = rows(dims);
        long rows = n * (header + (long) dims * Float.BYTES) + header + (long) n * 8; // the rows and the array of them
        return rows + 3 * header + (long) n * (2 * Integer.BYTES + Float.BYTES); // docs, found, scores
    }

    /** @param dims the field's dimension */
    public VectorBlock(int dims) {
        int n = rows(dims);
        this.docs = new int[n];
        this.found = new int[n];
        this.rows = new float[n][dims];
        this.scores = new float[n];
    }

    /**
     * @param doc a segment-local document id, greater than the one added before it
     * @return whether the block is now full (score and clear it before adding more)
     */
    public boolean add(int doc) {
        docs[count++] = doc;
        return count == docs.length;
    }

    /** @return how many documents were added since the last {@link #clear} */
    public int size() {
        return count;
    }

    /** @return the {@code i}-th document added, {@code i < size()} */
    public int doc(int i) {
        return docs[i];
    }

    /**
     * Reads the vectors of the added documents and scores those that have one.
     *
     * @param values the segment's embeddings, positioned before the first added document
     * @param kernel scores the rows
     * @return how many of the documents have a vector: rows {@code 0..n)} are scored
     */
    public int score(EmbeddingValues values, Kernel kernel) throws IOException {
        int n = values.readBlock(docs, count, rows, found);
        kernel.score(rows, n, scores);
        return n;
    }

    /** @return the index into the added documents (see {@link #doc}) of scored row {@code j}, increasing in {@code j} */
    public int indexOfRow(int j) {
        return found[j];
    }

    /** @return the document of scored row {@code j} */
    public int docOfRow(int j) {
        return docs[found[j]];
    }

    /** @return the kernel's score of row {@code j} */
    public float score(int j) {
        return scores[j];
    }

    /** Empties the block for the next documents. */
    public void clear() {
        count = 0;
    }
}
