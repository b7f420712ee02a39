package org.recommender.plugin.store;

import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.common.settings.Setting;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.recommender.core.model.ScoringModel;

import java.util.concurrent.atomic.LongAdder;

/**
 * This node's compiled models, keyed by id and holding the version they were compiled from, bounded by the bytes
 * their weights take. A request names the version it needs; an entry of another version is a miss, so a model
 * change reaches every node on the next request without any broadcast.
 */
public final class ModelCache {
    /** Upper bound on the compiled weights this node keeps; least recently used models are evicted beyond it. */
    public static final Setting<ByteSizeValue> CACHE_SIZE = Setting.memorySizeSetting(
        "recommender.model.cache.size",
        "256mb",
        Setting.Property.NodeScope
    );

    /** A compiled model and the version it came from. */
    public record Entry(long version, String checksum, ScoringModel model) {}

    private final Cache<String, Entry> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param maxBytes the byte limit ({@link #CACHE_SIZE}) */
    public ModelCache(ByteSizeValue maxBytes) {
        this.cache = CacheBuilder.<String, Entry>builder()
            .setMaximumWeight(maxBytes.getBytes())
            .weigher((id, entry) -> Math.max(1, entry.model().memoryBytes()))
            .build();
    }

    /**
     * @return the compiled model of {@code id} at exactly {@code version}, or {@code null} (a miss)
     */
    public Entry get(String id, long version) {
        Entry entry = cache.get(id);
        if (entry != null && entry.version() == version) {
            hits.increment();
            return entry;
        }
        misses.increment();
        return null;
    }

    /** Keeps {@code entry} unless a newer version is already cached. */
    public void put(String id, Entry entry) {
        Entry current = cache.get(id);
        if (current == null || current.version() <= entry.version()) {
            cache.put(id, entry);
        }
    }

    /** Drops {@code id} (after a delete on this node). */
    public void invalidate(String id) {
        cache.invalidate(id);
    }

    /** @return models held */
    public int count() {
        return cache.count();
    }

    /** @return bytes held */
    public long weightBytes() {
        return cache.weight();
    }

    /** @return lookups that found the requested version */
    public long hits() {
        return hits.sum();
    }

    /** @return lookups that did not */
    public long misses() {
        return misses.sum();
    }
}
