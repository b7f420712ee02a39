package org.recommender.plugin.store;

import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.common.settings.Setting;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.recommender.core.encoder.UserEncoder;
import org.recommender.core.model.ScoringModel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's compiled models, keyed by id and holding the version and checksum they were compiled from, bounded by
 * the bytes their weights take. A request names the {@link ModelPin} it needs; an entry of another version or
 * checksum is a miss, so a model change reaches every node on the next request without any broadcast, and a model
 * deleted and uploaded again under a version it had before is never served from the old bundle.
 *
 * <p>Each id keeps its previous version too, until a newer one replaces it: a request that pinned version v when it
 * started still finds v on this node after another request has compiled v + 1, instead of failing with 409 because
 * the store has moved on. Both versions count against the byte limit.
 *
 * <p>What the cache holds is also added to the plugin's circuit breaker ({@link ModelMemory}), and taken off when an
 * entry is replaced, evicted or invalidated, so uploads and compilations see the memory compiled models take.
 */
public final class ModelCache {
    /** Upper bound on the compiled weights this node keeps; least recently used models are evicted beyond it. */
    public static final Setting<ByteSizeValue> CACHE_SIZE = Setting.memorySizeSetting(
        "recommender.model.cache.size",
        "256mb",
        Setting.Property.NodeScope
    );

    /**
     * What a bundle compiles to: a scoring model, or a user encoder (which turns a history into a user vector and
     * scores nothing). Exactly one of the two is set.
     */
    public record Compiled(ScoringModel model, UserEncoder encoder) {
        /** @return the bytes the compiled weights keep resident */
        public long memoryBytes() {
            return model != null ? model.memoryBytes() : encoder.memoryBytes();
        }
    }

    /**
     * A compiled model and the version and checksum it came from: a scoring model ({@code model}) or a user encoder
     * ({@code encoder}), exactly one of the two.
     */
    public record Entry(long version, String checksum, ScoringModel model, UserEncoder encoder) {
        /** A scoring model's entry. */
        public Entry(long version, String checksum, ScoringModel model) {
            this(version, checksum, model, null);
        }

        /** @return the entry of {@code compiled} at {@code version} and {@code checksum} */
        public static Entry of(long version, String checksum, Compiled compiled) {
            return new Entry(version, checksum, compiled.model(), compiled.encoder());
        }

        /** @return whether this is a user encoder rather than a scoring model */
        public boolean isEncoder() {
            return encoder != null;
        }

        /** @return the bundle's type ({@code dot}, …, {@code gru4rec}, …) */
        public String type() {
            return encoder != null ? encoder.type() : model.type();
        }

        /** @return the bytes the compiled weights keep resident */
        public long memoryBytes() {
            return encoder != null ? encoder.memoryBytes() : model.memoryBytes();
        }

        /** @return the pin naming this entry as model {@code id} */
        public ModelPin pin(String id) {
            return new ModelPin(id, version, checksum);
        }

        boolean is(long version, String checksum) {
            return this.version == version && this.checksum.equals(checksum);
        }
    }

    /** The newest compiled version of an id, and the one before it (or {@code null}). */
    private record Versions(Entry current, Entry previous) {
        long bytes() {
            return Math.max(1, current.memoryBytes() + (previous == null ? 0 : previous.memoryBytes()));
        }

        Entry find(long version, String checksum) {
            if (current.is(version, checksum)) {
                return current;
            }
            return previous != null && previous.is(version, checksum) ? previous : null;
        }

        /** @return these versions with {@code entry} added: the newest two are kept */
        Versions with(Entry entry) {
            if (entry.version() > current.version()) {
                return new Versions(entry, current);
            }
            if (entry.version() == current.version()) {
                return new Versions(entry, previous);
            }
            if (previous == null || entry.version() >= previous.version()) {
                return new Versions(current, entry); // a late compile of an older pinned version
            }
            return this;
        }
    }

    private final Cache<String, Versions> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final AtomicLong invalidations = new AtomicLong();

    private final ModelMemory memory;
    private final ByteSizeValue maxBytes;

    /** A cache whose memory no breaker sees (tests of the cache alone). */
    public ModelCache(ByteSizeValue maxBytes) {
        this(maxBytes, new ModelMemory());
    }

    /**
     * @param maxBytes the byte limit ({@link #CACHE_SIZE})
     * @param memory the breaker the held bytes are added to
     */
    public ModelCache(ByteSizeValue maxBytes, ModelMemory memory) {
        this.memory = memory;
        this.maxBytes = maxBytes;
        this.cache = CacheBuilder.<String, Versions>builder()
            .setMaximumWeight(maxBytes.getBytes())
            .weigher((id, versions) -> versions.bytes())
            .removalListener(removed -> memory.track(-removed.getValue().bytes()))
            .build();
    }

    /**
     * @return the compiled model {@code pin} names (its version and checksum both), or {@code null} (a miss)
     */
    public Entry get(ModelPin pin) {
        Versions versions = cache.get(pin.id());
        Entry entry = versions == null ? null : versions.find(pin.version(), pin.checksum());
        if (entry != null) {
            hits.increment();
            return entry;
        }
        misses.increment();
        return null;
    }

    /** @return what {@link #get} returns for {@code pin}, without counting a hit or a miss (a second look after a miss) */
    Entry peek(ModelPin pin) {
        Versions versions = cache.get(pin.id());
        return versions == null ? null : versions.find(pin.version(), pin.checksum());
    }

    /** Keeps {@code entry} as the current version, or as the previous one when it is older than the current. */
    public synchronized void put(String id, Entry entry) {
        Versions versions = cache.get(id);
        Versions updated = versions == null ? new Versions(entry, null) : versions.with(entry);
        if (updated != versions) {
            memory.track(updated.bytes()); // the replaced value, if any, is taken off by the removal listener
            cache.put(id, updated);
        }
    }

    /**
     * {@link #put} for a model read from the store and compiled after a miss, counted in {@link #loads} — unless an
     * id was invalidated (a model deleted) since {@code generation} ({@link #invalidations}, read before the store
     * was): the load may have read a model deleted meanwhile, and caching it would keep it, and its breaker bytes,
     * until evicted. It is still served to the requests that asked; the next one loads again.
     */
    public void putLoaded(String id, Entry entry, long generation) {
        synchronized (this) {
            if (invalidations.get() == generation) {
                put(id, entry);
            }
        }
        loads.increment();
    }

    /** {@link #put} for a model this node just stored, unless an id was invalidated since {@code generation} ({@link #putLoaded}). */
    public synchronized void putStored(String id, Entry entry, long generation) {
        if (invalidations.get() == generation) {
            put(id, entry);
        }
    }

    /**
     * @return how many invalidations this cache has seen: read before a load or an upload, so that what it compiled
     *     is not cached over a delete that happened meanwhile (any delete: they are rare, and a load refused a place
     *     only costs the next request a load)
     */
    public long invalidations() {
        return invalidations.get();
    }

    /** Drops {@code id}, every version (after a delete: on every node, {@code CompiledModelEviction}). */
    public synchronized void invalidate(String id) {
        invalidations.incrementAndGet();
        cache.invalidate(id);
    }

    /** @return the byte limit: no compiled model larger than it is accepted ({@code ModelCompiler}) */
    public ByteSizeValue maxBytes() {
        return maxBytes;
    }

    /** @return model ids held (each with one or two compiled versions) */
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

    /** @return models read from the store and compiled after a miss: one per missed version, however many requests waited for it */
    public long loads() {
        return loads.sum();
    }
}
