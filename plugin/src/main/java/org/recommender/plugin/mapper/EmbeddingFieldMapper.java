package org.recommender.plugin.mapper;

import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.engine.EngineConfig;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.core.vector.InvalidEmbeddingException;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.stats.RecommenderStats;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The {@code embedding} field type: one dense float32 vector per document.
 *
 * <pre>
 * "embedding": { "type": "embedding", "dims": 64, "similarity": "dot_product", "index": true }
 * </pre>
 * With {@code "index.codec": "recommender"}, {@code m} and {@code ef_construction} set how the HNSW graph is built
 * ({@link HnswParameters}), and {@code "graph": false} keeps Lucene vectors without a graph (exact scoring only, up to
 * {@value EmbeddingValidator#MAX_DIMENSIONS} dims, no graph to build).
 * {@code index: true} stores a Lucene float vector (HNSW graph, approximate search possible, at most
 * {@value #MAX_INDEXED_DIMS} dims); {@code index: false} stores binary doc values for exact scoring only. Vectors of the
 * wrong dimension, with NaN or infinite elements, or that are not arrays of numbers are rejected with a 400
 * naming the field; the document is not indexed.
 */
public final class EmbeddingFieldMapper extends ParametrizedFieldMapper {
    /** The mapping type name. */
    public static final String CONTENT_TYPE = "embedding";
    /** The k-NN plugin's index setting that makes its codec write the index's segments (read here by name only). */
    static final String KNN_INDEX_SETTING = "index.knn";
    /** Lucene's default HNSW vector format refuses more dimensions than this. */
    public static final int MAX_INDEXED_DIMS = 1024;

    private final int dims;
    private final String similarityName;
    private final boolean indexed;
    private final boolean graph;
    private final int m;
    private final int efConstruction;
    private final VectorSimilarity similarity;
    private final RecommenderStats stats;

    private EmbeddingFieldMapper(String simpleName, EmbeddingFieldType type, CopyTo copyTo, Builder builder) {
        super(simpleName, type, MultiFields.empty(), copyTo);
        this.dims = builder.dims.getValue();
        this.similarityName = builder.similarity.getValue();
        this.indexed = builder.index.getValue();
        this.graph = builder.graph.getValue();
        this.m = builder.m.getValue();
        this.efConstruction = builder.efConstruction.getValue();
        this.similarity = VectorSimilarity.fromName(similarityName);
        this.stats = builder.stats;
    }

    private static EmbeddingFieldMapper toType(FieldMapper in) {
        return (EmbeddingFieldMapper) in;
    }

    /** Parses {@code "type": "embedding"} mappings. */
    public static ParametrizedFieldMapper.TypeParser parser(RecommenderStats stats) {
        return new ParametrizedFieldMapper.TypeParser((name, context) -> new Builder(name, stats));
    }

    @Override
    public EmbeddingFieldType fieldType() {
        return (EmbeddingFieldType) super.fieldType();
    }

    @Override
    public boolean parsesArrayValue() {
        return true;
    }

    @Override
    protected void parseCreateField(ParseContext context) throws IOException {
        XContentParser parser = context.parser();
        if (parser.currentToken() == XContentParser.Token.VALUE_NULL) {
            return;
        }
        String field = fieldType().name();
        float[] vector;
        try {
            vector = readVector(field, parser);
            EmbeddingValidator.check(field, vector, dims);
            similarity.requireComparable(field, vector);
            if (context.doc().getByKey(field) != null) {
                throw new InvalidEmbeddingException("[" + field + "] accepts one vector per document but got several");
            }
        } catch (IllegalArgumentException e) {
            stats.vectorRejected();
            throw e;
        }
        IndexableField luceneField = indexed
            ? new KnnFloatVectorField(field, vector, luceneSimilarity(similarity))
            : new BinaryDocValuesField(field, new org.apache.lucene.util.BytesRef(EmbeddingBytes.encode(vector)));
        context.doc().addWithKey(field, luceneField);
        stats.vectorIndexed();
    }

    /** Reads {@code [n1, n2, ...]}, leaving the parser on the closing bracket. */
    private float[] readVector(String field, XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new InvalidEmbeddingException(
                "[" + field + "] must be an array of " + dims + " numbers but was " + describe(parser.currentToken())
            );
        }
        float[] values = new float[dims];
        int count = 0;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_ARRAY; token = parser.nextToken()) {
            if (token != XContentParser.Token.VALUE_NUMBER) {
                throw new InvalidEmbeddingException(
                    "[" + field + "] element [" + count + "] must be a number but was " + describe(token)
                );
            }
            if (count < dims) {
                values[count] = parser.floatValue();
            }
            count++;
        }
        if (count != dims) {
            throw new InvalidEmbeddingException("[" + field + "] has " + count + " dimensions but " + dims + " were expected");
        }
        return values;
    }

    private static String describe(XContentParser.Token token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_BOOLEAN -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "[" + token + "]";
        };
    }

    /** Lucene's plain DOT_PRODUCT assumes unit vectors; recommendation embeddings are not, hence MIP. */
    static VectorSimilarityFunction luceneSimilarity(VectorSimilarity similarity) {
        return switch (similarity) {
            case DOT_PRODUCT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
            case COSINE -> VectorSimilarityFunction.COSINE;
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
        };
    }

    /**
     * With {@code index.derived_source.enabled} an index keeps no {@code _source} and OpenSearch rebuilds it from each
     * field (a vector index's largest saving: the vector's JSON text is most of its source). An embedding can always be
     * rebuilt, from the float32 values it holds in either layout — as float32, the values queries score with, not the
     * request's text. {@code copy_to} is refused as OpenSearch refuses it for every field (the copy's origin is lost).
     */
    @Override
    public void canDeriveSource() {
        if (copyTo() != null && copyTo().copyToFields().isEmpty() == false) {
            throw new UnsupportedOperationException("Unable to derive source for fields with copy_to parameter set");
        }
    }

    @Override
    public void deriveSource(XContentBuilder builder, LeafReader reader, int docId) throws IOException {
        EmbeddingValues values = fieldType().values(reader);
        if (values.advanceExact(docId)) {
            builder.array(simpleName(), values.vector());
        }
    }

    @Override
    public ParametrizedFieldMapper.Builder getMergeBuilder() {
        return new Builder(simpleName(), stats).init(this);
    }

    @Override
    protected String contentType() {
        return CONTENT_TYPE;
    }

    /**
     * Builds the mapper from {@code dims}, {@code similarity}, {@code index}, {@code graph}, {@code m},
     * {@code ef_construction} and {@code meta}.
     */
    public static final class Builder extends ParametrizedFieldMapper.Builder {
        private final Parameter<Integer> dims = Parameter.intParam("dims", false, m -> toType(m).dims, -1)
            .setValidator(d -> {
                if (d == -1) {
                    throw new MapperParsingException("[dims] is required for fields of type [" + CONTENT_TYPE + "]");
                }
            })
            .alwaysSerialize();
        private final Parameter<String> similarity = Parameter.restrictedStringParam(
            "similarity",
            false,
            m -> toType(m).similarityName,
            "dot_product",
            "cosine",
            "l2"
        ).alwaysSerialize();
        private final Parameter<Boolean> index = Parameter.indexParam(m -> toType(m).indexed, true).alwaysSerialize();
        private final Parameter<Boolean> graph = Parameter.boolParam("graph", false, f -> toType(f).graph, true);
        private final Parameter<Integer> m = Parameter.intParam("m", false, f -> toType(f).m, HnswParameters.DEFAULT.m());
        private final Parameter<Integer> efConstruction = Parameter.intParam(
            "ef_construction",
            false,
            f -> toType(f).efConstruction,
            HnswParameters.DEFAULT.efConstruction()
        );
        private final Parameter<Map<String, String>> meta = Parameter.metaParam();
        private final RecommenderStats stats;

        Builder(String name, RecommenderStats stats) {
            super(name);
            this.stats = stats;
        }

        @Override
        protected List<Parameter<?>> getParameters() {
            return List.of(dims, similarity, index, graph, m, efConstruction, meta);
        }

        @Override
        public EmbeddingFieldMapper build(BuilderContext context) {
            String fullName = buildFullName(context);
            try {
                EmbeddingValidator.checkDimensions(fullName, dims.getValue());
            } catch (InvalidEmbeddingException e) {
                throw new MapperParsingException(e.getMessage());
            }
            if (multiFieldsBuilder.getMapperBuilders().isEmpty() == false) {
                // core parses [fields] for every field type; an embedding indexes no sub-field, so they would be
                // accepted and then exist nowhere
                throw new MapperParsingException(
                    "[" + fullName + "] an [embedding] field takes no multi-fields [fields] but has " + multiFieldsBuilder.getMapperBuilders().keySet()
                );
            }
            if (index.getValue() && graph.getValue() && dims.getValue() > MAX_INDEXED_DIMS) {
                throw new MapperParsingException(
                    "[" + fullName + "] dims must be at most " + MAX_INDEXED_DIMS + " when [index] is true (HNSW limit) but was "
                        + dims.getValue() + "; set [graph] to false (with \"index.codec\": \"" + HnswParameters.CODEC
                        + "\") or [index] to false to store larger vectors for exact scoring"
                );
            }
            EmbeddingFieldType type = new EmbeddingFieldType(
                fullName,
                dims.getValue(),
                VectorSimilarity.fromName(similarity.getValue()),
                index.getValue(),
                hnsw(fullName, context),
                meta.getValue()
            );
            return new EmbeddingFieldMapper(name, type, copyTo.build(), this);
        }

        /**
         * The graph parameters ({@code null}: Lucene vectors without a graph), refused where they could not take effect
         * rather than silently ignored.
         */
        private HnswParameters hnsw(String fullName, BuilderContext context) {
            if (graph.getValue() == false && index.getValue() == false) {
                // [index]: false keeps binary doc values, which never have a graph: the setting would mean nothing
                throw new MapperParsingException("[" + fullName + "] [graph]: false keeps Lucene vectors without a graph, but [index]: false "
                    + "stores no Lucene vectors (binary doc values have no graph); leave [graph] out, or set [index] to true");
            }
            if (graph.getValue() == false) {
                if (m.getValue() != HnswParameters.DEFAULT.m() || efConstruction.getValue() != HnswParameters.DEFAULT.efConstruction()) {
                    throw new MapperParsingException("[" + fullName + "] [m] and [ef_construction] shape the HNSW graph, which [graph]: false does not build");
                }
                requireCodec(fullName, "[graph]: false takes", context);
                return null;
            }
            HnswParameters hnsw;
            try {
                hnsw = new HnswParameters(m.getValue(), efConstruction.getValue());
            } catch (IllegalArgumentException e) {
                throw new MapperParsingException("[" + fullName + "] " + e.getMessage());
            }
            if (hnsw.equals(HnswParameters.DEFAULT)) {
                return hnsw;
            }
            if (index.getValue() == false) {
                throw new MapperParsingException("[" + fullName + "] [m] and [ef_construction] shape the HNSW graph, which [index]: false does not build");
            }
            requireCodec(fullName, "[m] and [ef_construction] take", context);
            return hnsw;
        }

        /**
         * The segments of an index with another codec would get Lucene's default graph whatever the mapping says, and so
         * would those of a k-NN index: with {@code "index.knn": true} the k-NN plugin's codec service wraps the named
         * codec and writes every vector field with its own per-field format.
         */
        private static void requireCodec(String fullName, String what, BuilderContext context) {
            String codec = EngineConfig.INDEX_CODEC_SETTING.get(context.indexSettings());
            if (HnswParameters.CODEC.equals(codec) == false) {
                throw new MapperParsingException(
                    "[" + fullName + "] " + what + " effect only in an index with \"index.codec\": \"" + HnswParameters.CODEC
                        + "\" (this index uses [" + codec + "])"
                );
            }
            if (context.indexSettings().getAsBoolean(KNN_INDEX_SETTING, false)) {
                throw new MapperParsingException(
                    "[" + fullName + "] " + what + " no effect in an index with \"" + KNN_INDEX_SETTING + "\": true, whose segments the k-NN "
                        + "plugin's codec writes with its own vector formats; keep such fields in an index without it"
                );
            }
        }
    }
}
