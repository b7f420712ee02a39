package org.recommender.plugin.store;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.recommender.core.model.BundleBase64;
import org.recommender.core.model.ModelBundle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of one model's document in the store ({@link ModelStoreIndex} holds its mapping): what is written for a
 * new version, what each kind of read selects, and how a document read back becomes a {@link StoredModel} — or is
 * refused as one the store did not write.
 */
final class StoredDocuments {
    private StoredDocuments() {}

    /** What GET and list return of a stored document: never the replaced version's bundle. */
    static final String[] NOT_RETURNED = { "previous_version", "previous_checksum", "previous_bundle" };

    /** The same, and the current bundle as well. */
    static final String[] WITHOUT_BUNDLES = { "bundle", "previous_version", "previous_checksum", "previous_bundle" };

    /**
     * What the model list leaves out of each source: the bundles, and the header's metadata (up to 1 MiB a model,
     * shown by GET), so a page of the list holds a bounded few KiB a model ({@code ModelStoreService#list}).
     */
    static final String[] LISTED_EXCLUDES = { "bundle", "previous_version", "previous_checksum", "previous_bundle", "metadata" };

    /** @return a source that selects {@code includes} only */
    static FetchSourceContext fields(String... includes) {
        return new FetchSourceContext(true, includes, null);
    }

    /** @return the document of a new version (without the replaced version, which the write adds) */
    static Map<String, Object> source(String id, ModelBundle parsed, byte[] raw, String description, long updatedAtMillis) {
        Map<String, Object> source = new HashMap<>();
        source.put("model_id", id);
        source.put("type", parsed.type());
        source.put("user_dims", parsed.userDims());
        source.put("item_dims", parsed.itemDims());
        source.put("checksum", parsed.checksum());
        source.put("size_in_bytes", parsed.sizeInBytes());
        if (description != null) {
            source.put("description", description);
        }
        source.put("metadata", parsed.metadata());
        source.put("updated_at", updatedAtMillis);
        source.put("bundle", BundleBase64.encode(raw));
        return source;
    }

    /**
     * @throws InvalidStoredModelException when the document lacks a field the store always writes (a document the
     *     store did not write, such as one restored from a snapshot of something else)
     */
    @SuppressWarnings("unchecked")
    static StoredModel fromSource(String id, long version, Map<String, Object> source, boolean includeBundle) {
        if (source == null
            || source.get("type") instanceof String == false
            || source.get("user_dims") instanceof Number == false
            || source.get("item_dims") instanceof Number == false
            || source.get("checksum") instanceof String == false
            || source.get("size_in_bytes") instanceof Number == false
            || source.get("updated_at") instanceof Number == false
            || (source.get("description") != null && source.get("description") instanceof String == false)
            || (source.get("metadata") != null && source.get("metadata") instanceof Map == false)) {
            throw new InvalidStoredModelException(id, "it lacks fields every stored model has");
        }
        Object bundle = source.get("bundle");
        BytesReference bytes = null;
        if (includeBundle) {
            try {
                bytes = new BytesArray(BundleBase64.decode(bundle, "bundle"));
            } catch (IllegalArgumentException e) {
                throw new InvalidStoredModelException(id, e.getMessage());
            }
        }
        return new StoredModel(
            id,
            version,
            (String) source.get("type"),
            ((Number) source.get("user_dims")).intValue(),
            ((Number) source.get("item_dims")).intValue(),
            (String) source.get("checksum"),
            ((Number) source.get("size_in_bytes")).longValue(),
            (String) source.get("description"),
            (Map<String, Object>) source.get("metadata"),
            ((Number) source.get("updated_at")).longValue(),
            bytes
        );
    }

    /** @return an upper bound on the decoded size of a stored bundle (one base64 string or a list of them) */
    static long storedBytes(Object stored) {
        long chars = 0;
        if (stored instanceof String text) {
            chars = text.length();
        } else if (stored instanceof List<?> chunks) {
            for (Object chunk : chunks) {
                chars += chunk instanceof String text ? text.length() : 0;
            }
        }
        return BundleBase64.decodedBound(chars);
    }

    static long previousVersion(Map<String, Object> source) {
        return source.get("previous_version") instanceof Number n ? n.longValue() : -1;
    }

    static OpenSearchStatusException conflict(ModelPin pin, long current) {
        return new OpenSearchStatusException(
            "model [" + pin.id() + "] changed from version [" + pin.version() + "] to [" + current + "] during the request; retry it",
            RestStatus.CONFLICT
        );
    }

    static ResourceNotFoundException notFound(String id) {
        return new ResourceNotFoundException("model [" + id + "] not found");
    }
}
