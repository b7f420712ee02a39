package org.recommender.plugin.recommend;

import org.apache.lucene.index.LeafReaderContext;
import org.opensearch.common.document.DocumentField;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.search.SearchExtBuilder;
import org.opensearch.search.fetch.FetchContext;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhaseProcessor;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingFields;
import org.recommender.plugin.mapper.EmbeddingValues;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Returns each hit's vector of a candidate search, read from the field's Lucene values, as the hit's field of that
 * name, as one {@code float[]} value: what {@code _recommend} scores on the coordinating node (batches, MMR, candidate queries). The {@code fields}
 * option would serve it only where the index keeps {@code _source} (OpenSearch refuses it otherwise), and a
 * {@code knn_vector}'s values would come from {@code _source} — missing where {@code _source} leaves the vector out —
 * while the shards score the same field's Lucene values; this reads what they read ({@link EmbeddingFields}).
 *
 * <p>Asked for with the search extension {@value #NAME} ({@code {"field": "…"}}), which only the plugin's own candidate
 * searches set (a request body naming it is a 400). An index where the field is unmapped returns no vectors (its hits are skipped as candidates without
 * one).
 */
public final class CandidateVectors {
    /** The search extension's name. */
    public static final String NAME = "recommender_candidate_vectors";

    private CandidateVectors() {}

    /** The extension: the field whose vectors the hits carry. */
    public static final class Ext extends SearchExtBuilder {
        private final String field;

        /** @param field the vector field to return */
        public Ext(String field) {
            this.field = Objects.requireNonNull(field);
        }

        /** Reads the extension from the wire. */
        public Ext(StreamInput in) throws IOException {
            this.field = in.readString();
        }

        /**
         * Refuses the extension in a request body: only {@code _recommend}'s own candidate searches carry it (built in
         * Java, sent over the wire), which reserve the vectors' bytes before they go out; a plain search naming it would
         * make each shard copy up to {@code size} vectors outside that reservation.
         *
         * @throws IllegalArgumentException (a 400) always
         */
        public static Ext parse(XContentParser parser) throws IOException {
            throw new IllegalArgumentException("[" + NAME + "] is internal to _recommend and cannot be set in a search request");
        }

        /** @return the vector field the hits carry */
        public String field() {
            return field;
        }

        @Override
        public String getWriteableName() {
            return NAME;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(field);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            return builder.startObject(NAME).field("field", field).endObject();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ext other && field.equals(other.field);
        }

        @Override
        public int hashCode() {
            return field.hashCode();
        }
    }

    /** The fetch sub-phase that fills each hit's vector when the search carries {@link Ext}. */
    public static final class Fetch implements FetchSubPhase {
        @Override
        public FetchSubPhaseProcessor getProcessor(FetchContext context) {
            if (!(context.getSearchExt(NAME) instanceof Ext ext)) {
                return null;
            }
            if (context.mapperService().fieldType(ext.field) == null) {
                return null;
            }
            EmbeddingFieldType field = EmbeddingFields.require(context.mapperService(), ext.field, "[field]");
            return new FetchSubPhaseProcessor() {
                private EmbeddingValues values;

                @Override
                public void setNextReader(LeafReaderContext leaf) throws IOException {
                    values = field.values(leaf.reader());
                }

                @Override
                public void process(HitContext hit) throws IOException {
                    if (values.advanceExact(hit.docId()) == false) {
                        return;
                    }
                    // one float[] value (written and read as one array on the wire), not a boxed Float per element: a
                    // batch holds up to 100 users × 10,000 candidates of them; a copy, as readers reuse their array
                    hit.hit().setDocumentField(ext.field, new DocumentField(ext.field, List.of(values.vector().clone())));
                }
            };
        }
    }
}
