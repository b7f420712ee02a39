package org.recommender.plugin;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;

import java.util.Collection;
import java.util.List;

/**
 * Test-only: lets the test framework's wipe between tests delete every index, the model store included, as a
 * cluster administrator would after removing the plugin. It marks index deletions as the store's own requests
 * (the header {@code StoreAccess} sets); nothing else is let through, so the guard's tests still see it refuse.
 */
public final class TestClusterWipe extends Plugin implements ActionPlugin {
    private volatile ThreadContext context;

    @Override
    public Collection<Object> createComponents(
        Client client,
        org.opensearch.cluster.service.ClusterService clusterService,
        ThreadPool threadPool,
        org.opensearch.watcher.ResourceWatcherService resourceWatcherService,
        org.opensearch.script.ScriptService scriptService,
        org.opensearch.core.xcontent.NamedXContentRegistry xContentRegistry,
        org.opensearch.env.Environment environment,
        org.opensearch.env.NodeEnvironment nodeEnvironment,
        org.opensearch.core.common.io.stream.NamedWriteableRegistry namedWriteableRegistry,
        org.opensearch.cluster.metadata.IndexNameExpressionResolver indexNameExpressionResolver,
        java.util.function.Supplier<org.opensearch.repositories.RepositoriesService> repositoriesServiceSupplier
    ) {
        this.context = threadPool.getThreadContext();
        return List.of();
    }

    @Override
    public List<ActionFilter> getActionFilters() {
        return List.of(new ActionFilter.Simple() {
            @Override
            public int order() {
                return Integer.MIN_VALUE + 1;
            }

            @Override
            protected boolean apply(String action, ActionRequest request, ActionListener<?> listener) {
                ThreadContext c = context;
                if (c != null && DELETES_ALLOWED.get() && "indices:admin/delete".equals(action) && c.getHeader("_recommender_model_store") == null) {
                    c.putHeader("_recommender_model_store", "true");
                }
                return true;
            }
        });
    }

    /** Whether index deletions pass as the store's; the guard's own tests turn it off while they run. */
    public static final java.util.concurrent.atomic.AtomicBoolean DELETES_ALLOWED = new java.util.concurrent.atomic.AtomicBoolean(true);
}
