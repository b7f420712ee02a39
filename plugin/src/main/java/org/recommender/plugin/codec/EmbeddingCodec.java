package org.recommender.plugin.codec;

import org.recommender.plugin.mapper.HnswParameters;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.opensearch.index.codec.CodecAliases;

import java.util.Set;

/**
 * The {@code recommender} codec ({@code "index.codec": "recommender"}): OpenSearch's default codec, except that each
 * {@code embedding} field's HNSW graph is built with the field's own {@code m} and {@code ef_construction}, and a field
 * mapped with {@code "graph": false} gets no graph ({@link FlatEmbeddingVectorsFormat}).
 *
 * <p>Only writing needs the mapping. Segments name their vector format per field, and Lucene reads them without
 * its parameters, so the instance Lucene creates by name to read a segment (a subclass's no-argument constructor)
 * delegates to Lucene's codec of the same generation: every format the default codec writes is found by name again.
 *
 * <p>One subclass per Lucene codec generation, because a segment records the codec name it was written with and
 * must be read by exactly the formats that wrote it: {@link EmbeddingCodec104} (Lucene 10.4 and 10.5: OpenSearch
 * 3.6–3.9) and {@link EmbeddingCodec103} (Lucene 10.3: OpenSearch 3.5; on newer Lucene it reads such segments
 * through Lucene's backward codecs). A build registers the generations its Lucene can read
 * ({@code META-INF/services}, filled in by the build from {@code codec.generations}).
 */
public abstract class EmbeddingCodec extends FilterCodec implements CodecAliases {
    /** What {@code index.codec} is set to. */
    public static final String ALIAS = HnswParameters.CODEC;

    private final KnnVectorsFormat vectors;

    /**
     * @param name the codec's name in segments and in Lucene's codec registry
     * @param delegate the index's default codec (writing) or Lucene's codec of this generation (reading)
     * @param vectors the per-field vector format
     */
    EmbeddingCodec(String name, Codec delegate, KnnVectorsFormat vectors) {
        super(name, delegate);
        this.vectors = vectors;
    }

    /** The vector format of a codec Lucene creates by name to read: per-field formats found by name. */
    static KnnVectorsFormat forReading() {
        return new EmbeddingVectorsFormat(field -> null);
    }

    /**
     * Lucene's codec of one generation, by class: {@code Codec.forName} may not be called while Lucene loads its codecs
     * (which is when it creates ours), and naming the class in code would tie this build to one Lucene.
     *
     * @param classNames where the codec lives, in order of preference (core, then backward codecs)
     */
    static Codec luceneCodec(String... classNames) {
        for (String className : classNames) {
            try {
                return (Codec) Class.forName(className, true, EmbeddingCodec.class.getClassLoader()).getConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                // not in this Lucene: try the next place
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create Lucene's codec " + className, e);
            }
        }
        throw new IllegalStateException("this Lucene has none of " + java.util.Arrays.toString(classNames));
    }

    /**
     * @param delegate the index's default codec
     * @param vectors the per-field vector format that knows the mapping
     * @return the codec that writes new segments on this node's Lucene
     */
    static EmbeddingCodec forWriting(Codec delegate, KnnVectorsFormat vectors) {
        return LUCENE_104 ? new EmbeddingCodec104(delegate, vectors) : new EmbeddingCodec103(delegate, vectors);
    }

    /** @return the name new segments get on this node's Lucene */
    public static String writtenName() {
        return LUCENE_104 ? EmbeddingCodec104.NAME : EmbeddingCodec103.NAME;
    }

    /**
     * Whether this node's Lucene has the 104 codec generation (10.4 and later), which it then writes. Decided by the
     * class, not by {@code Codec.getDefault()}, which tests randomise.
     */
    private static final boolean LUCENE_104 = exists("org.apache.lucene.codecs.lucene104.Lucene104Codec");

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, EmbeddingCodec.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** @return the Lucene codec this one delegates every format but the vectors' to */
    Codec delegate() {
        return delegate;
    }

    @Override
    public final KnnVectorsFormat knnVectorsFormat() {
        return vectors;
    }

    @Override
    public final Set<String> aliases() {
        return Set.of(ALIAS);
    }
}
