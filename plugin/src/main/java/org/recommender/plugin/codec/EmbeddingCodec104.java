package org.recommender.plugin.codec;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;

/** The {@code recommender} codec over Lucene's {@code Lucene104} codec (Lucene 10.4 and 10.5). */
public final class EmbeddingCodec104 extends EmbeddingCodec {
    /** The codec's name in segments and in Lucene's codec registry. */
    public static final String NAME = "RecommenderEmbedding104";

    /** For reading, by name. */
    public EmbeddingCodec104() {
        super(NAME, luceneCodec("org.apache.lucene.codecs.lucene104.Lucene104Codec"), forReading());
    }

    EmbeddingCodec104(Codec delegate, KnnVectorsFormat vectors) {
        super(NAME, delegate, vectors);
    }
}
