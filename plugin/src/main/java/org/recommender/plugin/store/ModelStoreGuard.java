package org.recommender.plugin.store;

import org.opensearch.OpenSearchSecurityException;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.admin.cluster.snapshots.restore.RestoreSnapshotRequest;
import org.opensearch.action.admin.indices.alias.Alias;
import org.opensearch.action.admin.indices.alias.IndicesAliasesRequest;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.admin.indices.template.put.PutComponentTemplateAction;
import org.opensearch.action.admin.indices.template.put.PutComposableIndexTemplateAction;
import org.opensearch.action.admin.indices.template.put.PutIndexTemplateRequest;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.metadata.Template;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.regex.Regex;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Makes the model store's index {@value ModelStoreService#INDEX} reachable only through the model store API. Every
 * action on this node is checked before it runs; one that would touch the store — by name, through a wildcard or an
 * alias resolved the way the action itself resolves it, as a bulk or multi-get item, by adding an alias to it or an
 * alias with its name, by creating it first, or through an index template that would shape it — is refused with 403
 * unless the store itself sent it ({@link StoreAccess}) or it is one of the read-only and maintenance actions listed
 * in {@link #allowed}. So no plain request can read a bundle, replace a model without validation, or delete, close,
 * re-configure or alias the store.
 *
 * <p>Actions OpenSearch runs by itself (system context: replication upkeep, recovery) are never refused.
 */
public final class ModelStoreGuard extends ActionFilter.Simple {
    private static final String INDEX = ModelStoreService.INDEX;

    /** Exact action names that may touch the store without being the store: they read no bundle and change nothing. */
    private static final Set<String> READ_ONLY = Set.of(
        "indices:admin/get",
        "indices:admin/mappings/get",
        "indices:admin/mappings/fields/get",
        "indices:admin/aliases/get",
        "indices:admin/resolve/index",
        // not indices:admin/shards/search_shards: a cross-cluster search without minimised round trips asks the
        // remote cluster for its shards with it, then sends the query and fetch phases to shard handlers no action
        // filter sees — it would read bundles
        "indices:admin/refresh",
        "indices:admin/flush",
        "indices:admin/synced_flush"
    );

    /**
     * Prefixes of action families that may touch the store: statistics and health, OpenSearch's own internal and
     * sequence-number upkeep, and snapshots (a snapshot backs the store up; a restored store's bundles are validated
     * again whenever a node compiles them).
     */
    private static final List<String> ALLOWED_PREFIXES = List.of(
        "cluster:monitor/",
        "indices:monitor/",
        "internal:",
        "indices:admin/seq_no/",
        "cluster:admin/snapshot/"
    );

    private volatile StoreAccess access;
    private volatile ThreadContext context;
    private volatile ClusterService clusterService;
    private volatile IndexNameExpressionResolver resolver;

    /** Called once the node's services exist (the filter is registered before they do). */
    public void init(StoreAccess storeAccess, ThreadContext threadContext, ClusterService clusterService, IndexNameExpressionResolver resolver) {
        this.access = storeAccess;
        this.context = threadContext;
        this.clusterService = clusterService;
        this.resolver = resolver;
    }

    @Override
    public int order() {
        return 0;
    }

    /** @return {@code false}, after failing {@code listener} with 403, when {@code action} may not run */
    @Override
    protected boolean apply(String action, ActionRequest request, ActionListener<?> listener) {
        if (trusted()) {
            return true;
        }
        String reason;
        if (request instanceof RestoreSnapshotRequest restore) {
            reason = restoreRefusal(restore); // snapshots are allowed as a family; a renaming restore is not
        } else if (allowed(action)) {
            return true;
        } else {
            try {
                reason = refusal(request);
            } catch (RuntimeException e) {
                return true; // the action resolves its indices the same way and reports this error itself
            }
        }
        if (reason == null) {
            return true;
        }
        listener.onFailure(
            new OpenSearchSecurityException(
                "[" + INDEX + "] is the model store: [" + action + "] " + reason + " is refused; read and change models through /_plugins/_recommender/models",
                RestStatus.FORBIDDEN
            )
        );
        return false;
    }

    /** @return whether {@code action} may touch the store whoever sends it */
    static boolean allowed(String action) {
        if (READ_ONLY.contains(action)) {
            return true;
        }
        for (String prefix : ALLOWED_PREFIXES) {
            if (action.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private boolean trusted() {
        StoreAccess a = access;
        if (a == null) {
            return true; // before the node's components exist, no user request runs
        }
        return a.isStoreRequest() || context.isSystemContext();
    }

    /**
     * A restore may bring the store back as itself (a backup), but not rename it — its documents, bundles included,
     * would become an ordinary index anyone can search — nor rename another index to it. The snapshot's contents are
     * not known here, so a rename whose index patterns could cover the store, or whose replacement names it, is refused.
     *
     * @return why {@code restore} reaches around the store, or {@code null}
     */
    static String restoreRefusal(RestoreSnapshotRequest restore) {
        String pattern = restore.renamePattern();
        String replacement = restore.renameReplacement();
        if (pattern == null || replacement == null) {
            return null;
        }
        if (replacement.contains(INDEX)) {
            return "renaming an index to the store on restore";
        }
        String[] indices = restore.indices();
        boolean coversStore = indices == null || indices.length == 0
            || Arrays.stream(indices).anyMatch(e -> "_all".equals(e) || Regex.simpleMatch(e, INDEX));
        String renamed;
        try {
            renamed = INDEX.replaceAll(pattern, replacement);
        } catch (RuntimeException e) {
            return null; // a pattern the restore itself refuses, with its own message
        }
        return coversStore && renamed.equals(INDEX) == false ? "renaming the store to [" + renamed + "] on restore" : null;
    }

    /** @return why {@code request} touches the store, or {@code null} when it does not */
    private String refusal(ActionRequest request) {
        ClusterState state = clusterService.state();
        IndexMetadata store = state.metadata().index(INDEX);
        if (request instanceof BulkRequest bulk) {
            for (DocWriteRequest<?> item : bulk.requests()) {
                if (targets(state, store, item)) {
                    return "on a bulk item";
                }
            }
            return null;
        }
        if (request instanceof MultiGetRequest multiGet) {
            for (MultiGetRequest.Item item : multiGet.getItems()) {
                if (targets(state, store, item)) {
                    return "on a multi-get item";
                }
            }
            return null;
        }
        if (request instanceof IndicesAliasesRequest aliases) {
            for (IndicesAliasesRequest.AliasActions change : aliases.getAliasActions()) {
                if (change.actionType() == IndicesAliasesRequest.AliasActions.Type.REMOVE && namesStore(List.of(change.aliases())) == false) {
                    continue; // taking an alias off the store only closes a way around this guard
                }
                if (namesStore(List.of(change.aliases()))) {
                    return "naming an alias [" + INDEX + "]";
                }
                if (targets(state, store, change)) {
                    return "on an alias of the store";
                }
            }
            return null;
        }
        if (request instanceof CreateIndexRequest create && namesStore(aliasNames(create.aliases()))) {
            return "naming an alias [" + INDEX + "]";
        }
        if (request instanceof PutIndexTemplateRequest template) {
            return template(template.patterns(), aliasNames(template.aliases()));
        }
        if (request instanceof PutComposableIndexTemplateAction.Request template) {
            Template body = template.indexTemplate().template();
            return template(template.indexTemplate().indexPatterns(), body == null || body.aliases() == null ? List.of() : body.aliases().keySet());
        }
        if (request instanceof PutComponentTemplateAction.Request component) {
            Template body = component.componentTemplate().template();
            return body != null && body.aliases() != null && namesStore(body.aliases().keySet()) ? "naming an alias [" + INDEX + "]" : null;
        }
        if (request instanceof IndicesRequest indices && targets(state, store, indices)) {
            return "on the store";
        }
        return null;
    }

    /**
     * A template shapes the store when one of its patterns other than the catch-all {@code *} matches its name
     * (OpenSearch applies no catch-all template to a hidden index, and the store is created hidden), or when it adds
     * an alias with the store's name.
     */
    private static String template(List<String> patterns, Collection<String> aliases) {
        if (namesStore(aliases)) {
            return "naming an alias [" + INDEX + "]";
        }
        for (String pattern : patterns == null ? List.<String>of() : patterns) {
            if ("*".equals(pattern) == false && Regex.simpleMatch(pattern, INDEX)) {
                return "with the pattern [" + pattern + "], which matches the store,";
            }
        }
        return null;
    }

    private static Collection<String> aliasNames(Set<Alias> aliases) {
        return aliases == null ? List.of() : aliases.stream().map(Alias::name).toList();
    }

    private static boolean namesStore(Collection<String> names) {
        return names != null && names.contains(INDEX);
    }

    /**
     * @return whether {@code request} reaches the store: it names it, or — when the store exists — one of its
     *     expressions resolves to it the way the action resolves them (wildcards, aliases, {@code _all})
     */
    private boolean targets(ClusterState state, IndexMetadata store, IndicesRequest request) {
        String[] expressions = request.indices();
        if (expressions != null) {
            for (String expression : expressions) {
                if (INDEX.equals(expression)) {
                    return true;
                }
            }
        }
        if (store == null || needsResolution(expressions, store) == false) {
            return false;
        }
        for (String concrete : resolver.concreteIndexNames(state, request)) {
            if (INDEX.equals(concrete)) {
                return true;
            }
        }
        return false;
    }

    /** Plain names reach the store only by being its name or one of its aliases; anything else is resolved. */
    private static boolean needsResolution(String[] expressions, IndexMetadata store) {
        if (expressions == null || expressions.length == 0 || store.getAliases().isEmpty() == false) {
            return true;
        }
        for (String expression : expressions) {
            if (expression == null || expression.isEmpty() || expression.contains("*") || expression.startsWith("<")
                || expression.startsWith("-") || "_all".equals(expression)) {
                return true;
            }
        }
        return false;
    }
}
