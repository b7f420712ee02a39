package org.recommender.plugin;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.core.action.ActionListener;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.Plugin;

import java.util.List;

/**
 * A test plugin whose one action filter runs before every other (as the security plugin's does): a test sees or
 * refuses each action by name, on the node that runs it.
 */
public abstract class FirstActionFilterPlugin extends Plugin implements ActionPlugin {
    /**
     * @return whether {@code action} goes on; {@code false} after failing {@code listener}
     * @see ActionFilter.Simple
     */
    protected abstract boolean apply(String action, ActionRequest request, ActionListener<?> listener);

    @Override
    public final List<ActionFilter> getActionFilters() {
        return List.of(new ActionFilter.Simple() {
            @Override
            public int order() {
                return Integer.MIN_VALUE;
            }

            @Override
            protected boolean apply(String action, ActionRequest request, ActionListener<?> listener) {
                return FirstActionFilterPlugin.this.apply(action, request, listener);
            }
        });
    }
}
