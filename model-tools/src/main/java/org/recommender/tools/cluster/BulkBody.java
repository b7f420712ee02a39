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
 * instead of duplicating. {@link #withIds} adds a field listing ids per document, e.g. the items a user has seen;
 * {@link #withVector} a second vector per document, e.g. the history vector a user encoder reads for an item.
 * {@link #asPartialUpdates} writes {@code update} actions instead, {@code {"doc":{…},"doc_as_upsert":true}}, which
 * set these fields on existing documents and keep their others (title, price, …), and create missing ones.
 */
public final class BulkBody {
    private static final JsonFactory JSON = new JsonFactory();

    private final String idField;
    private final String vectorField;
    private final String idsField;
    private final Function<String, List<String>> ids;
    private final String secondField;
    private final Function<String, float[]> second;
    private final boolean partial;

    /**
     * @param idField the document field holding the original id, e.g. {@code item_id}
     * @param vectorField the document field holding the vector, e.g. {@code embedding}
     */
    public BulkBody(String idField, String vectorField) {
        this.idField = idField;
        this.vectorField = vectorField;
        this.idsField = null;
        this.ids = null;
        this.secondField = null;
        this.second = null;
        this.partial = false;
    }

    private BulkBody(BulkBody base, String idsField, Function<String, List<String>> ids, String secondField, Function<String, float[]> second,
        boolean partial) {
        this.idField = base.idField;
        this.vectorField = base.vectorField;
        this.idsField = idsField;
        this.ids = ids;
        this.secondField = secondField;
        this.second = second;
        this.partial = partial;
    }

    /**
     * @param field the document field to add, e.g. {@code seen_items}
     * @param idsOf gives the ids for a document's id; a document whose list is empty gets no such field
     * @return a body like this one whose documents also carry {@code field}: an array of strings
     */
    public BulkBody withIds(String field, Function<String, List<String>> idsOf) {
        return new BulkBody(this, field, idsOf, secondField, second, partial);
    }

    /**
     * @param field the document field to add, e.g. {@code history_embedding}
     * @param vectorOf gives the vector for a document's id; every document must have one (the caller checks that
     *     before anything is sent)
     * @return a body like this one whose documents also carry {@code field}: a second vector
     */
    public BulkBody withVector(String field, Function<String, float[]> vectorOf) {
        return new BulkBody(this, idsField, ids, field, vectorOf, partial);
    }

    /** @return a body like this one that updates documents in place (upserting missing ones) instead of replacing them */
    public BulkBody asPartialUpdates() {
        return new BulkBody(this, idsField, ids, secondField, second, true);
    }

    /** @return whether documents are updated in place rather than replaced */
    public boolean partial() {
        return partial;
    }

    /** @return the request body for {@code entries} */
    public byte[] build(List<EmbeddingEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 64);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(new MinimalPrettyPrinter("\n")); // newline between root values = one per line
            for (EmbeddingEntry e : entries) {
                g.writeStartObject();
                g.writeObjectFieldStart(partial ? "update" : "index");
                g.writeStringField("_id", e.id());
                g.writeEndObject();
                g.writeEndObject();

                g.writeStartObject();
                if (partial) {
                    g.writeObjectFieldStart("doc");
                }
                g.writeStringField(idField, e.id());
                writeVector(g, vectorField, e.vector());
                if (second != null) {
                    float[] v = second.apply(e.id());
                    if (v == null) {
                        throw new IllegalStateException("no [" + secondField + "] vector for [" + e.id() + "]");
                    }
                    writeVector(g, secondField, v);
                }
                List<String> list = ids == null ? List.of() : ids.apply(e.id());
                if (list.isEmpty() == false) {
                    g.writeArrayFieldStart(idsField);
                    for (String id : list) {
                        g.writeString(id);
                    }
                    g.writeEndArray();
                }
                if (partial) {
                    g.writeEndObject();
                    g.writeBooleanField("doc_as_upsert", true);
                }
                g.writeEndObject();
            }
            g.writeRaw('\n');
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible); // ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    private static void writeVector(JsonGenerator g, String field, float[] vector) throws IOException {
        g.writeArrayFieldStart(field);
        for (float v : vector) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }
}
