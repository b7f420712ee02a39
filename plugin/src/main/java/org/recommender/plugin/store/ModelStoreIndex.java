package org.recommender.plugin.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.ResourceAlreadyExistsException;
import org.opensearch.action.admin.cluster.health.ClusterHealthRequest;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.admin.indices.create.CreateIndexResponse;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.action.support.ActiveShardCount;
import org.opensearch.action.support.clustermanager.AcknowledgedResponse;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.routing.IndexRoutingTable;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.transport.client.Client;

import java.util.Map;

import static org.recommender.plugin.store.ModelStoreService.INDEX;

/**
 * The store's index itself: created hidden, one shard with a copy on every node, on the first upload; its mapping
 * ({@link StoredDocuments} is the document layout) brought up to date before a write that needs it.
 */
final class ModelStoreIndex {
    private static final Logger LOG = LogManager.getLogger(ModelStoreIndex.class);

    private static final String MAPPING = """
        {
          "dynamic": "strict",
          "properties": {
            "model_id": { "type": "keyword" },
            "type": { "type": "keyword" },
            "user_dims": { "type": "integer" },
            "item_dims": { "type": "integer" },
            "checksum": { "type": "keyword" },
            "size_in_bytes": { "type": "long" },
            "description": { "type": "text" },
            "metadata": { "type": "object", "enabled": false },
            "updated_at": { "type": "date", "format": "epoch_millis" },
            "bundle": { "type": "binary" },
            "previous_version": { "type": "long" },
            "previous_checksum": { "type": "keyword" },
            "previous_bundle": { "type": "binary" }
          }
        }""";

    private final Client client;
    private final ClusterService clusterService;
    private final StoreAccess access;

    ModelStoreIndex(Client client, ClusterService clusterService, StoreAccess access) {
        this.client = client;
        this.clusterService = clusterService;
        this.access = access;
    }

    /**
     * Creates the store if it does not exist, and waits until its primary shard has started (an upload racing another
     * upload's creation of the store would otherwise read a recovering shard and fail with 503); the listener learns
     * whether its mapping holds a previous version.
     */
    void ensureIndex(ActionListener<Boolean> listener) {
        if (clusterService.state().metadata().hasIndex(INDEX)) {
            afterPrimaryStarted(listener);
            return;
        }
        CreateIndexRequest create = new CreateIndexRequest(INDEX).settings(
            Settings.builder().put("index.number_of_shards", 1).put("index.auto_expand_replicas", "0-all").put("index.hidden", true)
        ).mapping(MAPPING);
        access.<CreateIndexResponse>run(l -> client.admin().indices().create(create, l), ActionListener.wrap(r -> listener.onResponse(true), e -> {
            if (ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException) {
                afterPrimaryStarted(listener);
            } else {
                listener.onFailure(e);
            }
        }));
    }

    private void afterPrimaryStarted(ActionListener<Boolean> listener) {
        IndexRoutingTable routing = clusterService.state().routingTable().index(INDEX);
        if (routing != null && routing.allPrimaryShardsActive()) {
            upgradeMapping(listener);
            return;
        }
        ClusterHealthRequest health = new ClusterHealthRequest(INDEX).waitForActiveShards(ActiveShardCount.ONE)
            .timeout(TimeValue.timeValueSeconds(30));
        access.<ClusterHealthResponse>run(l -> client.admin().cluster().health(health, l), ActionListener.wrap(h -> {
            if (h.isTimedOut()) {
                listener.onFailure(new OpenSearchStatusException("the model store's shard has not started within 30s; retry the upload", RestStatus.SERVICE_UNAVAILABLE));
            } else {
                upgradeMapping(listener);
            }
        }, listener::onFailure));
    }

    /** @return the store index's UUID in this node's cluster state, or {@code null} while there is no store index */
    String uuid() {
        IndexMetadata store = clusterService.state().metadata().index(INDEX);
        return store == null ? null : store.getIndexUUID();
    }

    /**
     * A store created by an earlier build of the plugin lacks the {@code previous_*} fields (its mapping is strict):
     * add them before the first write that needs them (a store request, so {@link ModelStoreGuard} lets it through on
     * the cluster manager too).
     * Where that fails — during a rolling upgrade, an older cluster manager's guard refuses it — uploads go on
     * without keeping the previous version (as the older build did) until the mapping can be added.
     */
    private void upgradeMapping(ActionListener<Boolean> listener) {
        IndexMetadata store = clusterService.state().metadata().index(INDEX);
        MappingMetadata mapping = store == null ? null : store.mapping();
        Object properties = mapping == null ? null : mapping.sourceAsMap().get("properties");
        if (properties instanceof Map<?, ?> fields && fields.containsKey("previous_bundle")) {
            listener.onResponse(true);
            return;
        }
        PutMappingRequest put = new PutMappingRequest(INDEX).source(MAPPING, MediaTypeRegistry.JSON);
        access.<AcknowledgedResponse>run(l -> client.admin().indices().putMapping(put, l), ActionListener.wrap(r -> {
            if (r.isAcknowledged() == false) {
                LOG.warn("adding the previous-version fields to [{}] was not acknowledged; this upload keeps no previous version", INDEX);
            }
            listener.onResponse(r.isAcknowledged());
        }, e -> {
            LOG.warn(() -> "cannot add the previous-version fields to [" + INDEX + "] yet; this upload keeps no previous version", e);
            listener.onResponse(false);
        }));
    }
}
