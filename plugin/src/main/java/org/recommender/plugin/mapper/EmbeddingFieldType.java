package org.recommender.plugin.mapper;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.opensearch.index.mapper.ArraySourceValueFetcher;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.ObjectMapper;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;
import org.opensearch.search.lookup.SearchLookup;
import org.recommender.core.vector.VectorSimilarity;

import java.io.IOException;
import java.util.Map;

/**
 * The search-time view of an {@code embedding} field: its dimension, similarity, and how to read its vectors
 * per segment. Term-level queries are refused with a pointer to the vector surfaces.
 */
public final class EmbeddingFieldType extends MappedFieldType {
    private final int dims;
    private final VectorSimilarity similarity;
    private final boolean indexed;
    private final HnswParameters hnsw;
    /** The mapping type of a field another plugin maps that is read as an embedding (e.g. knn_vector), or null. */
    private final String foreignType;

    /**
     * @param name the full field path
     * @param dims the vector dimension
     * @param similarity how vectors of this field are compared by default
     * @param indexed whether vectors are Lucene float vectors ({@code true}) or binary doc values ({@code false})
     * @param hnsw how the graph is built (used by the {@code recommender} codec); {@code null} for Lucene vectors kept
     *     without a graph ({@code "graph": false}, searched exactly)
     * @param meta user metadata from the mapping
     */
    public EmbeddingFieldType(String name, int dims, VectorSimilarity similarity, boolean indexed, HnswParameters hnsw, Map<String, String> meta) {
        this(name, dims, similarity, indexed, hnsw, meta, null);
    }

    private EmbeddingFieldType(
        String name,
        int dims,
        VectorSimilarity similarity,
        boolean indexed,
        HnswParameters hnsw,
        Map<String, String> meta,
        String foreignType
    ) {
        super(name, indexed, false, indexed == false, TextSearchInfo.NONE, meta);
        this.dims = dims;
        this.similarity = similarity;
        this.indexed = indexed;
        this.hnsw = hnsw;
        this.foreignType = foreignType;
    }

    /**
     * A read-only view of a field another plugin maps whose vectors Lucene holds as float vectors (the k-NN plugin's
     * {@code knn_vector}; see {@link KnnVectorFields}).
     *
     * @param type that field's mapping type, for messages
     * @param graph whether Lucene's own graph search can search the field's vectors ({@link #approximate}); where it
     *     cannot, every query on the field scans exactly
     */
    public static EmbeddingFieldType foreign(String name, int dims, VectorSimilarity similarity, String type, boolean graph) {
        return new EmbeddingFieldType(name, dims, similarity, true, graph ? HnswParameters.DEFAULT : null, Map.of(), type);
    }

    /** @return how this field's HNSW graph is built, {@code null} when its Lucene vectors have no graph */
    public HnswParameters hnsw() {
        return hnsw;
    }

    /**
     * @return whether approximate (graph) search is possible: Lucene vectors in an HNSW graph. Every query on a field
     *     without one scans exactly, whatever it asked for.
     */
    public boolean approximate() {
        return indexed && hnsw != null;
    }

    /** @return the vector dimension */
    public int dims() {
        return dims;
    }

    /** @return the similarity declared in the mapping */
    public VectorSimilarity similarity() {
        return similarity;
    }

    /**
     * @return whether vectors are Lucene float vectors (read from Lucene's vector file), with or without a graph
     *     ({@link #approximate}); {@code false}: binary doc values
     */
    public boolean indexed() {
        return indexed;
    }

    /**
     * Opens this field's vectors in one segment.
     *
     * @param reader the segment
     * @return the segment's embeddings, {@link EmbeddingValues#EMPTY} when no document in it has one
     */
    public EmbeddingValues values(LeafReader reader) throws IOException {
        FieldInfo info = reader.getFieldInfos().fieldInfo(name());
        if (info == null) {
            return EmbeddingValues.EMPTY;
        }
        if (indexed) {
            if (foreignType != null && info.getVectorDimension() == 0) {
                if (info.getDocValuesType() == org.apache.lucene.index.DocValuesType.BINARY) {
                    BinaryDocValues binary = reader.getBinaryDocValues(name());
                    return binary == null ? EmbeddingValues.EMPTY : new BoundedEmbeddingValues(BinaryEmbeddingValues.knnLayout(binary, name(), dims), name());
                }
                // the other plugin keeps these vectors where Lucene cannot see them: scoring them as "no vector" would
                // silently rank every document last
                throw new IllegalArgumentException(
                    "field [" + name() + "] is a " + foreignType + " field whose vectors this segment keeps in a format only its own plugin reads "
                        + "(for knn_vector: use \"method\": {\"engine\": \"lucene\"} or an engine that stores Lucene vectors)"
                );
            }
            FloatVectorValues vectors = reader.getFloatVectorValues(name());
            if (vectors == null) {
                return EmbeddingValues.EMPTY;
            }
            // another plugin's vectors were never checked against our element bound: check them as they are read
            return foreignType == null ? new KnnEmbeddingValues(vectors, reader.maxDoc()) : new BoundedEmbeddingValues(new KnnEmbeddingValues(vectors, reader.maxDoc()), name());
        }
        BinaryDocValues binary = reader.getBinaryDocValues(name());
        return binary == null ? EmbeddingValues.EMPTY : new BinaryEmbeddingValues(binary, dims);
    }

    @Override
    public String typeName() {
        return EmbeddingFieldMapper.CONTENT_TYPE;
    }

    @Override
    public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup searchLookup, String format) {
        if (format != null) {
            throw new IllegalArgumentException("field [" + name() + "] of type [" + typeName() + "] doesn't support formats");
        }
        ValueFetcher fromSource = new ArraySourceValueFetcher(name(), context) {
            @Override
            protected Object parseSourceValue(Object value) {
                return value;
            }
        };
        // under a nested object the vectors are in the nested Lucene documents, not in the hit's own: read the source
        return underNested(context) ? fromSource : new EmbeddingValueFetcher(this, fromSource);
    }

    /** @return whether an object on this field's path is {@code nested} */
    private boolean underNested(QueryShardContext context) {
        String path = name();
        for (int dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
            ObjectMapper object = context.getObjectMapper(path.substring(0, dot));
            if (object != null && object.nested().isNested()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Query existsQuery(QueryShardContext context) {
        return new FieldExistsQuery(name());
    }

    @Override
    public Query termQuery(Object value, QueryShardContext context) {
        throw new QueryShardException(
            context,
            "field [" + name() + "] of type [" + typeName() + "] does not support term queries; rank by it with a script_score "
                + "query using lang [recommender]"
        );
    }
}
