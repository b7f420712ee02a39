package org.recommender.plugin.codec;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;

/**
 * The {@code recommender} codec over Lucene's {@code Lucene103} codec: what OpenSearch 3.5 (Lucene 10.3) writes, and
 * what newer builds read such segments with (Lucene's backward codecs provide {@code Lucene103} there).
 */
public final class EmbeddingCodec103 extends EmbeddingCodec {
    /** The codec's name in segments and in Lucene's codec registry. */
    public static final String NAME = "RecommenderEmbedding103";

    /** For reading, by name: Lucene 10.3's own codec, or on newer Lucene the same one from its backward codecs. */
    public EmbeddingCodec103() {
        super(NAME, luceneCodec("org.apache.lucene.codecs.lucene103.Lucene103Codec", "org.apache.lucene.backward_codecs.lucene103.Lucene103Codec"), forReading());
    }

    EmbeddingCodec103(Codec delegate, KnnVectorsFormat vectors) {
        super(NAME, delegate, vectors);
    }
}
