package org.recommender.plugin.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.DocWriteResponse;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.delete.DeleteResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.lease.Releasable;
import org.opensearch.common.lease.Releasables;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.GetResponse;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.index.IndexResponse;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Setting;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.index.engine.VersionConflictEngineException;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.recommender.core.model.InvalidModelException;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.plugin.stats.RecommenderStats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps models in the system index {@value #INDEX}: one document per model id, whose OpenSearch version is the
 * model version. A bundle is parsed and validated completely before anything is written, so a bad upload never
 * replaces a good model; the write itself is a single document update.
 *
 * <p>The document keeps the version it replaced beside the current one ({@code previous_version},
 * {@code previous_checksum}, {@code previous_bundle}): a search pins the version current when it starts, and a node
 * that has never compiled that version can still compile it after one replacement, instead of failing its shards
 * with 409. Only the current version is ever listed or returned by GET.
 *
 * <p>This class is the store's one entry point (every surface and action goes through it); its parts are the index
 * ({@link ModelStoreIndex}), the document layout ({@link StoredDocuments}), retried reads ({@link StoreReads}),
 * pinning and loading ({@link ModelLoader}) and compiling in the breaker ({@link ModelCompiler}).
 */
public final class ModelStoreService {
    /** The system index holding the models. */
    public static final String INDEX = ".recommender-models";

    /** Largest bundle accepted; bigger uploads get 413. */
    public static final Setting<ByteSizeValue> MAX_MODEL_SIZE = Setting.byteSizeSetting(
        "recommender.model.max_size",
        new ByteSizeValue(64, org.opensearch.core.common.unit.ByteSizeUnit.MB),
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    /**
     * The most memory one compiled model may hold (weights on and off heap). A model over it trips a breaker: its
     * upload is refused with 429 before anything is stored, and a stored model over a lowered limit is refused on
     * load, so a big model can never take a node's memory.
     */
    public static final Setting<ByteSizeValue> MODEL_MEMORY_LIMIT = Setting.byteSizeSetting(
        "recommender.model.memory_limit",
        new ByteSizeValue(256, org.opensearch.core.common.unit.ByteSizeUnit.MB),
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );


    /** How often a put reads the current version again after another put replaced it between its read and write. */
    private static final int WRITE_ATTEMPTS = 10;

    private static final Logger LOG = LogManager.getLogger(ModelStoreService.class);

    private final Client client;
    private final ThreadPool threadPool;
    private final ModelCache cache;
    private final RecommenderStats stats;
    private final StoreAccess access;
    private final ModelMemory memory;
    private final ModelStoreIndex storeIndex;
    private final StoreReads reads;
    private volatile ByteSizeValue maxModelSize;
    private final ModelCompiler compiler;
    private final ModelLoader loader;
    private final KernelProvider kernels;

    /**
     * Wires the store to the node's client, pools, settings and the plugin's circuit breaker.
     *
     * @param kernels the node's one kernel provider ({@code NativeComputeService.kernels()}): models compile with it
     */
    public ModelStoreService(
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        ModelCache cache,
        RecommenderStats stats,
        StoreAccess access,
        ModelMemory memory,
        KernelProvider kernels
    ) {
        this.access = access;
        this.memory = memory;
        this.storeIndex = new ModelStoreIndex(client, clusterService, access);
        this.reads = new StoreReads(client, threadPool, access);
        this.client = client;
        this.threadPool = threadPool;
        this.cache = cache;
        this.stats = stats;
        this.maxModelSize = MAX_MODEL_SIZE.get(clusterService.getSettings());
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MAX_MODEL_SIZE, v -> this.maxModelSize = v);
        this.kernels = kernels;
        this.compiler = new ModelCompiler(clusterService, kernels, memory, stats, cache.maxBytes());
        this.loader = new ModelLoader(threadPool, cache, reads, memory, compiler, storeIndex::uuid);
    }

    /** @return the node's kernel provider, which every model this store compiles runs on */
    public KernelProvider kernels() {
        return kernels;
    }

    /**
     * Validates {@code bundle} and stores it as the next version of {@code id}.
     *
     * <p>Memory: before anything is allocated the upload reserves, in the plugin's breaker, what parsing (a copy of
     * the bytes and the weights as floats, {@value #PARSE_COPIES}× the bundle) and compiling
     * ({@link ModelBundle#compileBytesBound()}) will take; once compiled, what writing the store document takes
     * ({@value #WRITE_COPIES}× the bundle: the base64 source and the request carrying it) and, when read, the replaced
     * version's document. Each reservation is released when the upload ends, however it ends; the compiled model
     * then counts through the cache. A reservation over the limit answers 429 and nothing is stored.
     *
     * @param listener gets the stored model (without bundle bytes) and whether it was created or updated
     */
    public void put(String id, BytesReference bundle, String description, ActionListener<PutResult> listener) {
        try {
            ModelIds.check(id);
            checkSize(id, bundle.length());
        } catch (RuntimeException e) {
            stats.modelPutError();
            listener.onFailure(e);
            return;
        }
        // reservations are added on the generic and transport threads and released by whichever ends the upload
        List<Releasable> held = new CopyOnWriteArrayList<>();
        ActionListener<PutResult> done = ActionListener.runAfter(listener, () -> Releasables.close(held));
        // parsing and checksumming a large bundle is CPU work: keep it off transport and HTTP threads
        threadPool.generic().execute(() -> {
            byte[] raw;
            ModelBundle parsed;
            ModelCache.Compiled compiled;
            try {
                held.add(memory.reserve(PARSE_COPIES * (long) bundle.length(), "parse model [" + id + "]"));
                raw = BytesReference.toBytes(bundle);
                parsed = ModelBundle.parse(raw);
                compiled = compiler.compile(id, parsed, "nothing was stored"); // every shape checked now, not on the first search
                held.add(memory.reserve(WRITE_COPIES * (long) bundle.length(), "write model [" + id + "]"));
            } catch (InvalidModelException e) {
                stats.modelPutError();
                done.onFailure(new IllegalArgumentException("[bundle] of model [" + id + "] is invalid: " + e.getMessage(), e));
                return;
            } catch (RuntimeException e) {
                stats.modelPutError();
                done.onFailure(e);
                return;
            }
            long now = System.currentTimeMillis();
            Map<String, Object> source = StoredDocuments.source(id, parsed, raw, description, now);
            String checksum = parsed.checksum();
            StoredModel stored = new StoredModel(
                id,
                -1,
                parsed.type(),
                parsed.userDims(),
                parsed.itemDims(),
                checksum,
                parsed.sizeInBytes(),
                description,
                parsed.metadata(),
                now,
                null
            );
            long generation = cache.invalidations(); // before the write: a delete from here on wins
            storeIndex.ensureIndex(ActionListener.wrap(keepsPrevious -> replace(id, source, keepsPrevious, held, WRITE_ATTEMPTS, ActionListener.wrap(response -> {
                stats.modelPut();
                // this node already compiled the new version: keep it instead of compiling it again on first use
                cache.putStored(id, ModelCache.Entry.of(response.getVersion(), checksum, compiled), generation);
                done.onResponse(new PutResult(stored.withVersion(response.getVersion()), response.getResult() == DocWriteResponse.Result.CREATED));
            }, done::onFailure)), done::onFailure));
        });
    }

    /** Copies of the bundle's size that parsing holds: the request's bytes as one array, the parser's copy, the weights as floats. */
    static final int PARSE_COPIES = 3;

    /** Copies of the bundle's size that writing holds: the base64 chunks (1.33), the index request's source (1.33), slack. */
    private static final int WRITE_COPIES = 3;

    /** 413 naming the setting when a bundle of {@code bytes} is larger than {@link #MAX_MODEL_SIZE} allows. */
    private void checkSize(String id, long bytes) {
        if (bytes > maxModelSize.getBytes()) {
            throw new OpenSearchStatusException(
                "model [" + id + "] is " + bytes + " bytes, larger than [" + MAX_MODEL_SIZE.getKey() + "] = " + maxModelSize,
                RestStatus.REQUEST_ENTITY_TOO_LARGE
            );
        }
    }

    /** @return the largest bundle accepted now, in bytes */
    public long maxModelBytes() {
        return maxModelSize.getBytes();
    }

    /**
     * Writes {@code source} as the next version of {@code id}, carrying the version it replaces along as the
     * previous one (unless the store's mapping cannot hold it yet). The write is conditional on the version read, so
     * two concurrent puts cannot both keep the same previous version: the one that loses reads again. The replaced
     * document read back is reserved in the breaker (into {@code held}) before its bundle is copied.
     */
    private void replace(
        String id,
        Map<String, Object> source,
        boolean keepPrevious,
        List<Releasable> held,
        int attemptsLeft,
        ActionListener<IndexResponse> listener
    ) {
        GetRequest current = new GetRequest(INDEX, id).realtime(true)
            .preference("_primary")
            .fetchSourceContext(
                keepPrevious ? new FetchSourceContext(true, new String[] { "checksum", "bundle" }, null) : new FetchSourceContext(false)
            );
        access.<GetResponse>run(l -> client.get(current, l), ActionListener.wrap(read -> {
            Map<String, Object> document = new HashMap<>(source);
            IndexRequest index = new IndexRequest(INDEX).id(id).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
            Releasable keeping = null;
            if (read.isExists() && keepPrevious) {
                BytesReference replacedSource = read.getSourceAsBytesRef();
                // the replaced source is held already; its parsed strings and their copy into the new document are not
                keeping = memory.reserve(3L * (replacedSource == null ? 0 : replacedSource.length()), "keep the replaced version of model [" + id + "]");
                held.add(keeping);
                Map<String, Object> replaced = read.getSourceAsMap();
                document.put("previous_version", read.getVersion());
                document.put("previous_checksum", replaced.get("checksum"));
                document.put("previous_bundle", replaced.get("bundle"));
            }
            if (read.isExists()) {
                index.setIfSeqNo(read.getSeqNo()).setIfPrimaryTerm(read.getPrimaryTerm());
            } else {
                index.create(true);
            }
            index.source(document);
            Releasable thisAttempt = keeping;
            access.<IndexResponse>run(l -> client.index(index, l), ActionListener.wrap(listener::onResponse, e -> {
                if (attemptsLeft > 1 && ExceptionsHelper.unwrapCause(e) instanceof VersionConflictEngineException) {
                    Releasables.close(thisAttempt); // the next attempt reads (and reserves) the new current version
                    replace(id, source, keepPrevious, held, attemptsLeft - 1, listener);
                } else {
                    listener.onFailure(e);
                }
            }));
        }, listener::onFailure));
    }

    /** The outcome of a put. */
    public record PutResult(StoredModel model, boolean created) {}

    /**
     * Reads the current version of {@code id}; 404 when there is none.
     *
     * @param includeBundle whether to return the bundle bytes as well
     */
    public void get(String id, boolean includeBundle, ActionListener<StoredModel> listener) {
        FetchSourceContext fields = new FetchSourceContext(true, null, includeBundle ? StoredDocuments.NOT_RETURNED : StoredDocuments.WITHOUT_BUNDLES);
        reads.read(id, fields, null, listener, response -> {
            if (includeBundle == false) {
                listener.onResponse(StoredDocuments.fromSource(id, response.getVersion(), response.getSourceAsMap(), false));
                return;
            }
            // the source read is held already; its parsed strings, the decoded bundle and the response's base64 are not
            BytesReference read = response.getSourceAsBytesRef();
            Releasable answering = memory.reserve(READ_COPIES * (read == null ? 0 : read.length()), "read model [" + id + "]");
            ActionListener<StoredModel> released = ActionListener.runAfter(listener, answering::close);
            StoredModel model;
            try {
                model = StoredDocuments.fromSource(id, response.getVersion(), response.getSourceAsMap(), true);
            } catch (RuntimeException e) {
                released.onFailure(e);
                return;
            }
            released.onResponse(model);
        });
    }

    /** Copies of a stored source's size that returning its bundle holds: the parsed strings, the bytes, the response. */
    private static final int READ_COPIES = 3;

    /** Deletes {@code id}; 404 when there is none. */
    public void delete(String id, ActionListener<Long> listener) {
        DeleteRequest delete = new DeleteRequest(INDEX, id).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        access.<DeleteResponse>run(l -> client.delete(delete, l), ActionListener.wrap(response -> {
            if (response.getResult() == DocWriteResponse.Result.NOT_FOUND) {
                listener.onFailure(StoredDocuments.notFound(id));
                return;
            }
            cache.invalidate(id);
            listener.onResponse(response.getVersion());
        }, e -> listener.onFailure(e instanceof IndexNotFoundException ? StoredDocuments.notFound(id) : e)));
    }

    /**
     * Drops this node's compiled copies of {@code id} (every version), after the model was deleted through any node,
     * so their bytes leave the cache and the breaker now rather than on eviction.
     */
    public void forgetCompiled(String id) {
        cache.invalidate(id);
    }

    /** What listing the models holds, as a 429 names it. */
    static final String LIST_HELD = "list models";

    /**
     * One page of the model list and how many models there are.
     *
     * @param total every stored document, the page's models among them
     * @param models the page, by id, without bundles or metadata
     */
    public record Page(long total, List<StoredModel> models) {}

    /**
     * Lists the {@code size} stored models after the first {@code from}, by id, without bundles or metadata (the
     * caller bounds both: {@code ListModelsAction}). What the search's hits hold is bounded by the page (a few KiB a
     * model: the description is at most {@code PutModelAction.MAX_DESCRIPTION_CHARS}); what the list builds from them
     * is reserved in the plugin's breaker first (429 naming {@value #LIST_HELD} past its limit).
     */
    public void list(int from, int size, ActionListener<Page> listener) {
        SearchRequest search = new SearchRequest(INDEX).source(
            new SearchSourceBuilder().query(QueryBuilders.matchAllQuery())
                .from(from)
                .size(size)
                .trackTotalHits(true)
                .version(true)
                .fetchSource(null, StoredDocuments.LISTED_EXCLUDES)
                .sort("model_id", SortOrder.ASC)
        );
        access.<SearchResponse>run(l -> client.search(search, l), ActionListener.wrap(response -> {
            // the page's sources: their parsed maps, the models and the response are reserved before they are built
            // (the hits themselves are held already, bounded by the page)
            long sourceBytes = 0;
            for (SearchHit hit : response.getHits().getHits()) {
                sourceBytes += hit.getSourceRef() == null ? 0 : hit.getSourceRef().length();
            }
            Releasable answering = memory.reserve(READ_COPIES * sourceBytes, LIST_HELD);
            ActionListener<Page> released = ActionListener.runAfter(listener, answering::close);
            List<StoredModel> models = new ArrayList<>();
            for (SearchHit hit : response.getHits().getHits()) {
                try {
                    models.add(StoredDocuments.fromSource(hit.getId(), hit.getVersion(), hit.getSourceAsMap(), false));
                } catch (InvalidStoredModelException e) {
                    // a document the store did not write (restored from elsewhere): never a failure for the others
                    LOG.warn("skipping [{}] in the model list: {}", hit.getId(), e.getMessage());
                }
            }
            released.onResponse(new Page(response.getHits().getTotalHits().value(), models));
        }, e -> {
            if (e instanceof IndexNotFoundException) {
                listener.onResponse(new Page(0, List.of()));
            } else {
                listener.onFailure(e);
            }
        }));
    }

    /**
     * Pins the current model of {@code id} and hands it over compiled ({@link ModelLoader#pin}): how every surface
     * resolves a model id. 404 when there is no such model.
     */
    public void pin(String id, ActionListener<ModelCache.Entry> listener) {
        loader.pin(id, listener);
    }

    /**
     * {@link #pin} for a surface that scores items with the model: a user encoder named there is a 400.
     *
     * @param field where the request named the model ({@code [model]}, {@code [params.model]}), for the message
     */
    public void pinScoring(String id, String field, ActionListener<ModelCache.Entry> listener) {
        pin(id, ActionListener.wrap(entry -> listener.onResponse(requireScoring(entry, id, field)), listener::onFailure));
    }

    /**
     * {@link #pin} for a user spec's encoder ({@code user.encoder}, {@code cold_start.encoder}): a scoring model named
     * there is a 400, and an unknown id the store's 404 with {@code field} in front.
     */
    public void pinEncoder(String id, String field, ActionListener<ModelCache.Entry> listener) {
        pin(id, ActionListener.wrap(entry -> listener.onResponse(requireEncoder(entry, id, field)), e -> listener.onFailure(
            e instanceof org.opensearch.ResourceNotFoundException ? new org.opensearch.ResourceNotFoundException(field + " " + e.getMessage(), e) : e
        )));
    }

    /** @return {@code entry}, a scoring model; 400 when it is a user encoder */
    public static ModelCache.Entry requireScoring(ModelCache.Entry entry, String id, String field) {
        if (entry.isEncoder()) {
            throw new IllegalArgumentException(
                field + " model [" + id + "] is a user encoder [" + entry.type() + "]: it turns a history into a user vector and scores no item;"
                    + " name it as [user.encoder] beside [user.history], and a scoring model (dot, cosine, mlp, neumf) as " + field
            );
        }
        return entry;
    }

    /** @return {@code entry}, a user encoder; 400 when it is a scoring model */
    public static ModelCache.Entry requireEncoder(ModelCache.Entry entry, String id, String field) {
        if (entry.isEncoder() == false) {
            throw new IllegalArgumentException(
                field + " model [" + id + "] is a [" + entry.type() + "] model, which scores items; " + field
                    + " takes a user encoder (sasrec, gru4rec, multdae)"
            );
        }
        return entry;
    }

    /**
     * Reserves request memory (such as one user encoding's scratch) in the plugin's breaker before it is allocated;
     * 429 when it does not fit.
     */
    public Releasable reserve(long bytes, String what) {
        return memory.reserve(bytes, what);
    }

    /** The compiled model {@code pin} names: from the cache, else loaded and compiled ({@link ModelLoader#compiledAt}). */
    public void compiledAt(ModelPin pin, ActionListener<ModelCache.Entry> listener) {
        loader.compiledAt(pin, listener);
    }

    /** @return the compiled model {@code pin} names if this node holds it, else {@code null} */
    public ModelCache.Entry cachedAt(ModelPin pin) {
        return cache.get(pin);
    }
}
