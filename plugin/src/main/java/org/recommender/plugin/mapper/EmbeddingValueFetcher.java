package org.recommender.plugin.mapper;

import org.apache.lucene.index.LeafReaderContext;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.search.lookup.SourceLookup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves an {@code embedding} field to the {@code fields} option of a search from the vectors Lucene stores (the
 * same float32 values every query scores with), not from {@code _source}: returning hundreds of candidate vectors
 * then costs a binary read per document instead of parsing and re-serialising each document's JSON. When the fetch
 * phase has not said which segment it is in, the source value is used instead.
 */
final class EmbeddingValueFetcher implements ValueFetcher {
    private final EmbeddingFieldType type;
    private final ValueFetcher fromSource;
    private LeafReaderContext leaf;
    private EmbeddingValues values;
    private int lastDoc = -1;

    EmbeddingValueFetcher(EmbeddingFieldType type, ValueFetcher fromSource) {
        this.type = type;
        this.fromSource = fromSource;
    }

    @Override
    public void setNextReader(LeafReaderContext context) {
        leaf = context;
        values = null;
        fromSource.setNextReader(context);
    }

    @Override
    public List<Object> fetchValues(SourceLookup lookup) throws IOException {
        if (leaf == null) {
            return fromSource.fetchValues(lookup);
        }
        int doc = lookup.docId();
        if (values == null || doc <= lastDoc) {
            values = type.values(leaf.reader()); // forward-only: reopen to go back
        }
        lastDoc = doc;
        if (values.advanceExact(doc) == false) {
            return List.of();
        }
        float[] vector = values.vector();
        List<Object> out = new ArrayList<>(vector.length);
        for (float v : vector) {
            out.add(v);
        }
        return out;
    }
}
