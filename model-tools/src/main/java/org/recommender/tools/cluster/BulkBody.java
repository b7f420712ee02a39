package org.recommender.tools.cluster;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import org.recommender.core.io.EmbeddingEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the NDJSON body of a {@code POST /{index}/_bulk} request: for each embedding an action line
 * {@code {"index":{"_id":"<id>"}}} and a document line {@code {"<idField>":"<id>","<vectorField>":[…]}}, each
 * ending in a newline (the bulk API requires the final one too). Indexing by {@code _id} makes re-runs overwrite
 * instead of duplicating. {@link #withIds} adds a field listing ids per document, e.g. the items a user has seen.
 */
public final class BulkBody {
    private static final JsonFactory JSON = new JsonFactory();

    private final String idField;
    private final String vectorField;
    private final String idsField;
    private final Function<String, List<String>> ids;

    /**
     * @param idField the document field holding the original id, e.g. {@code item_id}
     * @param vectorField the document field holding the vector, e.g. {@code embedding}
     */
    public BulkBody(String idField, String vectorField) {
        this.idField = idField;
        this.vectorField = vectorField;
        this.idsField = null;
        this.ids = null;
    }

    private BulkBody(BulkBody base, String idsField, Function<String, List<String>> ids) {
        this.idField = base.idField;
        this.vectorField = base.vectorField;
        this.idsField = idsField;
        this.ids = ids;
    }

    /**
     * @param field the document field to add, e.g. {@code seen_items}
     * @param idsOf gives the ids for a document's id; a document whose list is empty gets no such field
     * @return a body like this one whose documents also carry {@code field}: an array of strings
     */
    public BulkBody withIds(String field, Function<String, List<String>> idsOf) {
        return new BulkBody(this, field, idsOf);
    }

    /** @return the request body for {@code entries} */
    public byte[] build(List<EmbeddingEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 64);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(new MinimalPrettyPrinter("\n")); // newline between root values = one per line
            for (EmbeddingEntry e : entries) {
                g.writeStartObject();
                g.writeObjectFieldStart("index");
                g.writeStringField("_id", e.id());
                g.writeEndObject();
                g.writeEndObject();

                g.writeStartObject();
                g.writeStringField(idField, e.id());
                g.writeArrayFieldStart(vectorField);
                for (float v : e.vector()) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                List<String> list = ids == null ? List.of() : ids.apply(e.id());
                if (list.isEmpty() == false) {
                    g.writeArrayFieldStart(idsField);
                    for (String id : list) {
                        g.writeString(id);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeRaw('\n');
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible); // ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }
}
