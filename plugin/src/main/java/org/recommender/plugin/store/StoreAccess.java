package org.recommender.plugin.store;

import org.opensearch.action.support.ContextPreservingActionListener;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;

import java.util.function.Consumer;

/**
 * The one way code of this plugin reaches the model store's index: a client call made through {@link #run} goes
 * out in a fresh thread context (the caller's user dropped, as for any system-index access) carrying the store's
 * access header, which {@link ModelStoreGuard} lets through on every node, and its listener runs back in the
 * caller's context, so nothing the caller does afterwards carries the header.
 *
 * <p>The marker is a thread-context <em>header</em> rather than a transient because headers travel with a request
 * to other nodes (a mapping change or index creation runs again on the cluster manager, and is filtered there
 * too), while a REST client cannot set it: only headers a plugin registers are copied from HTTP requests.
 */
public final class StoreAccess {
    /** Header name; its presence marks the store's own requests. Never registered as a REST header. */
    static final String HEADER = "_recommender_model_store";

    private final ThreadContext context;

    /** @param context the node's thread context */
    public StoreAccess(ThreadContext context) {
        this.context = context;
    }

    /**
     * Makes {@code call} as the model store.
     *
     * @param call issues one client request with the listener it is given
     * @param listener completed in the caller's thread context
     */
    public <T> void run(Consumer<ActionListener<T>> call, ActionListener<T> listener) {
        ActionListener<T> restoring = ContextPreservingActionListener.wrapPreservingContext(listener, context);
        try (ThreadContext.StoredContext ignored = context.stashContext()) {
            context.putHeader(HEADER, "true");
            call.accept(restoring);
        }
    }

    /** @return whether the current thread runs a request the store sent */
    boolean isStoreRequest() {
        return context.getHeader(HEADER) != null;
    }
}
