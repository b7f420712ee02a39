package org.recommender.plugin.mapper;

import org.apache.lucene.codecs.lucene95.HasIndexSlice;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.store.IndexInput;

import java.io.IOException;

/**
 * Reads embeddings stored as Lucene float vectors ({@code index: true}, HNSW-searchable). Blocks of a segment in
 * which every document has a vector are read straight from the format's vector file: there, vector ordinal equals
 * document id, and the file holds each vector as {@code dims} little-endian float32 values at {@code doc · dims · 4},
 * so one {@link IndexInput#readFloats} per document fills its row — the same floats
 * {@link FloatVectorValues#vectorValue} returns, without its iterator step, its one-vector buffer and the copy out of
 * it.
 */
final class KnnEmbeddingValues implements EmbeddingValues {
    private final FloatVectorValues values;
    private final KnnVectorValues.DocIndexIterator iterator;
    /** A clone of the segment's vector data when every document has a vector in float32, else {@code null}. */
    private final IndexInput dense;
    private final long vectorBytes;

    /**
     * @param values the segment's vectors of the field
     * @param maxDoc the segment's document count: as many vectors as documents means ordinal = document id
     */
    KnnEmbeddingValues(FloatVectorValues values, int maxDoc) {
        this.values = values;
        this.iterator = values.iterator();
        this.vectorBytes = (long) values.dimension() * Float.BYTES;
        IndexInput slice = values instanceof HasIndexSlice s && values.size() == maxDoc && values.getEncoding() == VectorEncoding.FLOAT32
            ? s.getSlice()
            : null;
        // a clone: the slice's position is shared with the values' own reads
        this.dense = slice == null ? null : slice.clone();
    }

    @Override
    public boolean advanceExact(int doc) throws IOException {
        int current = iterator.docID();
        if (current < doc) {
            current = iterator.advance(doc);
        }
        return current == doc;
    }

    @Override
    public float[] vector() throws IOException {
        return values.vectorValue(iterator.index());
    }

    @Override
    public int readBlock(int[] docs, int count, float[][] rows, int[] found) throws IOException {
        if (dense == null) {
            return EmbeddingValues.super.readBlock(docs, count, rows, found);
        }
        for (int i = 0; i < count; i++) {
            float[] row = rows[i];
            dense.seek(docs[i] * vectorBytes);
            dense.readFloats(row, 0, row.length);
            found[i] = i;
        }
        return count;
    }
}
