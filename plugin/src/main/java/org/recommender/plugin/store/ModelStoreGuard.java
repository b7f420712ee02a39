package org.recommender.plugin.store;

import org.opensearch.OpenSearchSecurityException;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.tasks.Task;

/**
 * Keeps the model store's system index writable only through the model store API: document writes, bulk items and
 * mapping changes aimed at {@value ModelStoreService#INDEX} are refused (403) unless the model store itself sent
 * them. Otherwise a plain index request could put an unvalidated bundle in front of every node's cache.
 */
public final class ModelStoreGuard implements ActionFilter {
    /** Transient marker the store sets in the context of its own writes; never sent over the wire. */
    static final String STORE_WRITE = "recommender.model_store.write";

    /**
     * @return a fresh context (the caller's user dropped, as for any system-index access) marked as the store's own
     *     write; restore it by closing
     */
    static ThreadContext.StoredContext writeContext(ThreadContext context) {
        ThreadContext.StoredContext stored = context.stashContext();
        context.putTransient(STORE_WRITE, Boolean.TRUE);
        return stored;
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(
        Task task,
        String action,
        Request request,
        ActionListener<Response> listener,
        ActionFilterChain<Request, Response> chain
    ) {
        if (isWrite(action) && targetsStore(request) && storeWrite() == false && isStoreMapping(request) == false) {
            listener.onFailure(
                new OpenSearchSecurityException(
                    "[" + ModelStoreService.INDEX + "] is the model store: write it through /_plugins/_recommender/models, not [" + action + "]",
                    RestStatus.FORBIDDEN
                )
            );
        } else {
            chain.proceed(task, action, request, listener);
        }
    }

    private volatile ThreadContext context;

    /** Called once the node's thread context exists (the filter is registered before it does). */
    public void init(ThreadContext threadContext) {
        this.context = threadContext;
    }

    private boolean storeWrite() {
        ThreadContext c = context;
        return c != null && Boolean.TRUE.equals(c.getTransient(STORE_WRITE));
    }

    /**
     * The store's own mapping, sent when an older store is upgraded, is let through without the marker: the marker
     * is a transient of the sending node, and a mapping change runs again on the cluster manager, which does not
     * have it. Nothing else can be written that way, and that mapping is what the store has anyway.
     */
    private static boolean isStoreMapping(ActionRequest request) {
        return request instanceof PutMappingRequest mapping && ModelStoreService.isStoreMapping(mapping.source());
    }

    private static boolean isWrite(String action) {
        return action.startsWith("indices:data/write/") || action.equals("indices:admin/mapping/put");
    }

    private static boolean targetsStore(ActionRequest request) {
        if (request instanceof BulkRequest bulk) {
            for (DocWriteRequest<?> item : bulk.requests()) {
                if (isStore(item.index())) {
                    return true;
                }
            }
            return false;
        }
        if (request instanceof IndicesRequest indices && indices.indices() != null) {
            for (String index : indices.indices()) {
                if (isStore(index)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isStore(String index) {
        return ModelStoreService.INDEX.equals(index);
    }
}
