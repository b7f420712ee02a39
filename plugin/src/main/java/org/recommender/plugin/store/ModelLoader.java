package org.recommender.plugin.store;

import org.opensearch.ExceptionsHelper;
import org.opensearch.action.get.GetResponse;
import org.opensearch.action.support.ContextPreservingActionListener;
import org.opensearch.common.CheckedConsumer;
import org.opensearch.common.lease.Releasable;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.threadpool.ThreadPool;
import org.recommender.core.model.BundleBase64;
import org.recommender.core.model.ModelBundle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a model id into a compiled model on this node: pins the current version and checksum, finds that exact
 * bundle in the cache or reads it (the current one, or the one it replaced) and compiles it off the transport
 * threads, in the breaker.
 */
final class ModelLoader {
    private final ThreadPool threadPool;
    private final ModelCache cache;
    private final StoreReads reads;
    private final ModelMemory memory;
    private final ModelCompiler compiler;
    private final Supplier<String> storeUuid;
    private final PinStamps stamps = new PinStamps();

    /** @param storeUuid the store index's UUID in this node's cluster state, or {@code null} ({@link PinStamps}) */
    ModelLoader(ThreadPool threadPool, ModelCache cache, StoreReads reads, ModelMemory memory, ModelCompiler compiler, Supplier<String> storeUuid) {
        this.threadPool = threadPool;
        this.cache = cache;
        this.reads = reads;
        this.memory = memory;
        this.compiler = compiler;
        this.storeUuid = storeUuid;
    }

    /**
     * Pins the current model of {@code id} and hands it over compiled: from this node's cache when it holds that
     * version and checksum, else read from the store and compiled. This is how every surface resolves a model id —
     * {@code _recommend} and the rescorer once per request on the coordinating node (shards then use
     * {@link #compiledAt}), {@code script_score} once per shard. Should the model be replaced more than once between
     * the pin and the read of its bundle, the current one is pinned again ({@value #PIN_ATTEMPTS} attempts in all),
     * so a model swap never fails the caller. 404 when there is no such model.
     *
     * <p>The pin reads the model's checksum once per stored state of its document on this node; after that, a pin
     * reads only the document's state, not its {@code _source}, which the shard would have to decompress and filter
     * whole, bundle included ({@link PinStamps}).
     */
    void pin(String id, ActionListener<ModelCache.Entry> listener) {
        pin(id, PIN_ATTEMPTS, listener);
    }

    /** How often {@link #pin} resolves the current version again when the one it read was replaced twice meanwhile. */
    private static final int PIN_ATTEMPTS = 3;

    private void pin(String id, int attemptsLeft, ActionListener<ModelCache.Entry> listener) {
        if (stamps.known(id) == false) {
            readChecksum(id, attemptsLeft, listener);
            return;
        }
        // the document's state alone (no _source loaded) names the checksum when this node has read that state before
        String uuid = storeUuid.get();
        reads.read(id, FetchSourceContext.DO_NOT_FETCH_SOURCE, null, listener, response -> {
            String checksum = stamps.checksum(id, PinStamps.State.of(uuid, storeUuid.get(), response));
            if (checksum == null) {
                readChecksum(id, attemptsLeft, listener); // a new state: written since, or evicted
            } else {
                pinned(new ModelPin(id, response.getVersion(), checksum), attemptsLeft, listener);
            }
        });
    }

    /** Pins {@code id} by reading its current checksum, and stamps the state read ({@link PinStamps}). */
    private void readChecksum(String id, int attemptsLeft, ActionListener<ModelCache.Entry> listener) {
        String uuid = storeUuid.get();
        reads.read(id, StoredDocuments.fields("checksum"), null, listener, response -> {
            Object checksum = response.getSourceAsMap().get("checksum");
            if (checksum instanceof String == false) {
                throw new InvalidStoredModelException(id, "it has no [checksum]");
            }
            stamps.put(id, PinStamps.State.of(uuid, storeUuid.get(), response), (String) checksum);
            pinned(new ModelPin(id, response.getVersion(), (String) checksum), attemptsLeft, listener);
        });
    }

    /** {@link #compiledAt(ModelPin, ActionListener)} for a pin just made: a 409 pins the current version again. */
    private void pinned(ModelPin pin, int attemptsLeft, ActionListener<ModelCache.Entry> listener) {
        compiledAt(pin, attemptsLeft <= 1 ? listener : ActionListener.wrap(listener::onResponse, e -> {
            if (ExceptionsHelper.status(e) == RestStatus.CONFLICT && ExceptionsHelper.unwrapCause(e) instanceof InvalidStoredModelException == false) {
                pin(pin.id(), attemptsLeft - 1, listener);
            } else {
                listener.onFailure(e);
            }
        }));
    }

    /**
     * The compiled model {@code pin} names: from the cache, else loaded and compiled. A request pins the model once,
     * so all its shards score with one version. The store keeps the version before the current one, so a pinned
     * version replaced once meanwhile is still compiled from it; replaced twice, or deleted and uploaded again, the
     * request fails with 409 and can simply be retried ({@code _recommend} does so itself).
     */
    void compiledAt(ModelPin pin, ActionListener<ModelCache.Entry> listener) {
        ModelCache.Entry cached = cache.get(pin);
        if (cached != null) {
            listener.onResponse(cached);
            return;
        }
        // one load per pin at a time: the requests that miss while it runs wait for it, where each read the bundle
        // (tens of MB of base64) and compiled it itself — n copies, one of them cached, the others counted nowhere.
        // Each waiter goes on in its own thread context, not in the one of the request whose load it joined: the
        // load ends on that request's thread, and a waiter's search would otherwise run as the other user
        listener = ContextPreservingActionListener.wrapPreservingContext(listener, threadPool.getThreadContext());
        boolean first;
        synchronized (loading) {
            List<ActionListener<ModelCache.Entry>> waiting = loading.get(pin);
            first = waiting == null;
            if (first) {
                // a load that ended between the miss above and here has cached its entry before leaving `loading`
                // (loaded() runs after cache.put): look again rather than start a second load of the same version
                cached = cache.peek(pin);
                if (cached == null) {
                    waiting = new ArrayList<>();
                    loading.put(pin, waiting);
                }
            }
            if (cached == null) {
                waiting.add(listener);
            }
        }
        if (cached != null) {
            listener.onResponse(cached);
        } else if (first) {
            long generation = cache.invalidations(); // before the store is read: a delete from here on wins
            compiledAt(pin, CATCH_UP_READS, generation, ActionListener.wrap(entry -> loaded(pin, entry, null), e -> loaded(pin, null, e)));
        }
    }

    /** Hands the one load's outcome to every request that waited for it. */
    private void loaded(ModelPin pin, ModelCache.Entry entry, Exception failure) {
        List<ActionListener<ModelCache.Entry>> waiting;
        synchronized (loading) {
            waiting = loading.remove(pin);
        }
        if (waiting == null) {
            return; // told already: a waiter's own failure after its answer comes back here and is not the load's
        }
        if (failure == null) {
            ActionListener.onResponse(waiting, entry);
        } else {
            ActionListener.onFailure(waiting, failure);
        }
    }

    /** The loads in flight on this node, each with the requests waiting for it. */
    private final Map<ModelPin, List<ActionListener<ModelCache.Entry>>> loading = new HashMap<>();

    /** How often a copy that has not yet received the pinned version is read again (50 ms apart) before giving up. */
    private static final int CATCH_UP_READS = 20;

    private void compiledAt(ModelPin pin, int readsLeft, long generation, ActionListener<ModelCache.Entry> listener) {
        String id = pin.id();
        reads.read(id, StoredDocuments.fields("checksum", "bundle", "previous_version", "previous_checksum"), null, listener, response -> {
            long current = response.getVersion();
            if (current < pin.version() && readsLeft > 0) {
                // this node's copy of the store has not received the pinned version yet (a replica lags its
                // primary for a moment after a write): read again shortly instead of failing the request
                catchUp(pin, readsLeft - 1, generation, listener);
                return;
            }
            parsed(response, id, listener, source -> {
                if (current == pin.version() && pin.checksum().equals(source.get("checksum"))) {
                    compile(pin, source.get("bundle"), generation, listener);
                } else if (StoredDocuments.previousVersion(source) == pin.version() && pin.checksum().equals(source.get("previous_checksum"))) {
                    // replaced once since the request pinned it: the store still has it; only now read that bundle,
                    // from the primary, which is at least as new as the copy read first
                    reads.read(id, StoredDocuments.fields("previous_version", "previous_checksum", "previous_bundle"), "_primary", listener, again -> {
                        parsed(again, id, listener, previous -> {
                            if (StoredDocuments.previousVersion(previous) != pin.version()
                                || pin.checksum().equals(previous.get("previous_checksum")) == false) {
                                throw StoredDocuments.conflict(pin, again.getVersion());
                            }
                            compile(pin, previous.get("previous_bundle"), generation, listener);
                        });
                    });
                } else {
                    throw StoredDocuments.conflict(pin, current);
                }
            });
        });
    }

    /**
     * Waits for a copy of the store to reach the pinned version, reading only its version (no bundle) every 50 ms, then
     * reads the bundle again: a pin ahead of every copy — a lagging replica's, or a version a request made up for its
     * own {@code params.model_pin} — costs reads of a few bytes, not up to {@value #CATCH_UP_READS} reads of a bundle.
     */
    private void catchUp(ModelPin pin, int readsLeft, long generation, ActionListener<ModelCache.Entry> listener) {
        threadPool.schedule(() -> reads.read(pin.id(), StoredDocuments.fields("checksum"), null, listener, light -> {
            if (light.getVersion() < pin.version() && readsLeft > 0) {
                catchUp(pin, readsLeft - 1, generation, listener);
            } else {
                compiledAt(pin, readsLeft, generation, listener); // caught up, or out of reads: the bundle read decides (409 if behind)
            }
        }), TimeValue.timeValueMillis(50), ThreadPool.Names.GENERIC);
    }

    /**
     * Hands {@code read}'s source, parsed, to {@code then} on the generic pool: the source holds a bundle's base64 (up
     * to ~85 MB at the size limit), which was parsed on the thread the read answered on — a transport thread when a
     * copy on another node answered — before any of it was reserved. The parsed source is reserved in the breaker
     * first (429 when it does not fit), and held while {@code then} runs.
     */
    private void parsed(GetResponse read, String id, ActionListener<?> listener, CheckedConsumer<Map<String, Object>, Exception> then) {
        BytesReference bytes = read.getSourceAsBytesRef();
        Releasable parsing = memory.reserve(bytes == null ? 0 : bytes.length(), "load model [" + id + "]");
        threadPool.generic().execute(() -> {
            try (parsing) {
                then.accept(read.getSourceAsMap());
            } catch (Exception e) {
                listener.onFailure(e);
            }
        });
    }

    /**
     * Decodes, parses and compiles a stored bundle, and caches it unless a model was deleted on this node since
     * {@code generation} (a load that ran through a delete would bring the deleted model back). The decoding, parsing
     * and compiling are reserved in the breaker first (429 when they do not fit), as for an upload. Runs on the
     * generic pool ({@link #parsed}).
     */
    private void compile(ModelPin pin, Object stored, long generation, ActionListener<ModelCache.Entry> listener) {
        String id = pin.id();
        ModelCache.Entry entry;
        try (Releasable decoding = memory.reserve(ModelStoreService.PARSE_COPIES * StoredDocuments.storedBytes(stored), "load model [" + id + "]")) {
            if (stored == null) {
                throw new InvalidStoredModelException(id, "it has no [bundle]");
            }
            ModelBundle parsed;
            try {
                parsed = ModelBundle.parse(BundleBase64.decode(stored, "bundle"));
            } catch (IllegalArgumentException e) {
                throw new InvalidStoredModelException(id, e.getMessage());
            }
            if (parsed.checksum().equals(pin.checksum()) == false) {
                throw new InvalidStoredModelException(id, "its [bundle] does not match its [checksum]");
            }
            ModelCache.Compiled compiled = compiler.compile(id, parsed, "it is not loaded");
            entry = ModelCache.Entry.of(pin.version(), pin.checksum(), compiled);
            cache.putLoaded(id, entry, generation);
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        listener.onResponse(entry); // outside the try: a failure of what the waiters do next is not this load's
    }
}
