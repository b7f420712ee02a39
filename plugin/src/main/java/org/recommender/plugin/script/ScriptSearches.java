package org.recommender.plugin.script;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.util.SetOnce;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.action.support.GroupedActionListener;
import org.opensearch.common.xcontent.LoggingDeprecationHandler;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilderVisitor;
import org.opensearch.index.query.functionscore.ScriptScoreQueryBuilder;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.rescore.QueryRescorerBuilder;
import org.opensearch.search.rescore.RescorerBuilder;
import org.opensearch.tasks.Task;
import org.opensearch.transport.client.Client;
import org.recommender.plugin.query.UserServices;
import org.recommender.plugin.query.UserLookup;
import org.recommender.plugin.query.UserSpec;
import org.recommender.plugin.store.ModelIds;
import org.recommender.plugin.store.ModelStoreService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinating-node step of {@code script_score} with {@code lang: recommender}, which OpenSearch does not give a
 * script, as an action filter on the search action. Once per search, before it runs:
 * <ul>
 *   <li>{@code params.user} — the user spec every other surface takes ({@code {"id", "index", "field"}},
 *       {@code {"history", …, "encoder"}}, {@code {"positive", …}}) — is resolved by the same rules
 *       ({@link UserLookup}) and replaced by the {@code params.vector} it resolves to, which every shard then scores
 *       with;</li>
 *   <li>{@code params.model} of {@code source: model} is pinned ({@link ModelStoreService#pinScoring}, the store's
 *       one pinning API) and the pin written beside it ({@value #PIN}), so every shard scores with that one version
 *       — a model replaced during the search no longer scores its shards with two — and no shard reads the store to
 *       pin it again.</li>
 * </ul>
 * It finds such scripts in the request's query and rescore queries (also inside {@code bool} and the other compound
 * queries, and in each search of an {@code _msearch}), and leaves every other search untouched — the check is a walk
 * of the query tree, no copy. The request's source is rewritten through its JSON form, read back with the node's
 * registry, so a query of any plugin survives it. Runs after every other filter (security first). APIs that run a
 * query without the search action ({@code _explain}) are not seen here: there each shard pins the model itself
 * ({@link ScriptModels}) and {@code params.user} is refused.
 *
 * <p>A {@code best_score} example user has no single vector, so a script refuses it (400); so does
 * {@code params.user} beside {@code params.vector}. A {@value #PIN} already in the request is replaced by this node's.
 */
public final class ScriptSearches implements ActionFilter {
    /** The params key of the user spec this filter resolves. */
    static final String USER = "user";

    /** The params key of the pin this filter writes beside {@code params.model}: {@code {"version", "checksum"}}. */
    static final String PIN = "model_pin";

    private final UserServices userServices;
    private final SetOnce<Client> client = new SetOnce<>();
    private final SetOnce<NamedXContentRegistry> registry = new SetOnce<>();
    private final SetOnce<ModelStoreService> store = new SetOnce<>();

    /** @param userServices the node's user services (action filters exist before the node's components) */
    public ScriptSearches(UserServices userServices) {
        this.userServices = userServices;
    }

    /** Called once from the plugin's component creation. */
    public void init(Client nodeClient, NamedXContentRegistry xContentRegistry, ModelStoreService modelStore) {
        client.set(nodeClient);
        registry.set(xContentRegistry);
        store.set(modelStore);
    }

    @Override
    public int order() {
        return Integer.MAX_VALUE; // last: the lookups run as the caller, after any authorization filter let it through
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(
        Task task,
        String action,
        Request request,
        ActionListener<Response> listener,
        ActionFilterChain<Request, Response> chain
    ) {
        SearchRequest search = SearchAction.NAME.equals(action) && request instanceof SearchRequest s ? s : null;
        try {
            if (search == null || search.source() == null || client.get() == null || needsResolving(search.source()) == false) {
                chain.proceed(task, action, request, listener);
                return;
            }
            Map<String, Object> source = XContentHelper.convertToMap(
                XContentHelper.toXContent(search.source(), XContentType.JSON, false),
                true,
                MediaTypeRegistry.JSON
            ).v2();
            List<Map<String, Object>> params = new ArrayList<>();
            List<Map<String, Object>> models = new ArrayList<>();
            collect(source, params, models);
            List<UserSpec> specs = userSpecs(params); // checked before anything is read
            pinModels(models, ActionListener.wrap(pinned -> resolveUsers(params, specs, ActionListener.wrap(resolved -> {
                search.source(read(source));
                chain.proceed(task, action, request, listener);
            }, listener::onFailure)), listener::onFailure));
        } catch (Exception e) {
            listener.onFailure(e);
        }
    }

    /**
     * Pins each model the scripts name once, and writes its pin beside every {@code params.model} naming it.
     *
     * @param models the params of every {@code source: model} script with a {@code params.model} id
     */
    private void pinModels(List<Map<String, Object>> models, ActionListener<Void> listener) {
        Map<String, List<Map<String, Object>>> byId = new LinkedHashMap<>();
        for (Map<String, Object> p : models) {
            // a pin already there is replaced, never trusted: this filter's own from an earlier pass (a by-query
            // request's retried search, a cross-cluster search run again on the remote cluster, whose store it does
            // not name), or one a request set itself
            byId.computeIfAbsent(ModelIds.reference("[params.model]", (String) p.get("model")), k -> new ArrayList<>()).add(p);
        }
        if (byId.isEmpty()) {
            listener.onResponse(null);
            return;
        }
        GroupedActionListener<Void> all = new GroupedActionListener<>(ActionListener.map(listener, done -> null), byId.size());
        for (Map.Entry<String, List<Map<String, Object>>> model : byId.entrySet()) {
            store.get().pinScoring(model.getKey(), "[params.model]", ActionListener.map(all, entry -> {
                Map<String, Object> pin = Map.of("version", entry.version(), "checksum", entry.checksum());
                synchronized (byId) { // the pins' listeners may run on several threads at once
                    for (Map<String, Object> p : model.getValue()) {
                        p.put(PIN, pin);
                    }
                }
                return null;
            }));
        }
    }

    /** @return the user specs of {@code params}, in order; 400 for too many, a malformed one, or one beside a vector */
    private static List<UserSpec> userSpecs(List<Map<String, Object>> params) throws IOException {
        if (params.size() > UserServices.MAX_USERS_PER_SEARCH) {
            throw new IllegalArgumentException(
                "[params.user] is given to " + params.size() + " recommender scripts of one search but at most " + UserServices.MAX_USERS_PER_SEARCH + " are allowed"
            );
        }
        List<UserSpec> specs = new ArrayList<>(params.size());
        for (Map<String, Object> p : params) {
            if (p.containsKey("vector")) {
                throw new IllegalArgumentException("[params.user] cannot be combined with [params.vector]");
            }
            specs.add(parse(p.get(USER)));
        }
        return specs;
    }

    /** Resolves every {@code params.user} ({@code specs}) and replaces it with the {@code params.vector} it resolved to. */
    private void resolveUsers(List<Map<String, Object>> params, List<UserSpec> specs, ActionListener<Void> listener) {
        if (params.isEmpty()) {
            listener.onResponse(null);
            return;
        }
        UserLookup.resolve(client.get(), userServices, specs, UserLookup.NO_COLD_START, ActionListener.wrap(users -> {
            for (int i = 0; i < users.size(); i++) {
                UserLookup.User user = users.get(i);
                if (user.examples() != null) {
                    throw new IllegalArgumentException(
                        "[params.user] is a [best_score] example user, which has no single vector for a script to score with;"
                            + " use strategy [average], or the [embedding_knn] query or _recommend"
                    );
                }
                if (user.vector() == null) {
                    throw UserLookup.noVector(specs.get(i), UserLookup.NO_COLD_START, "");
                }
                params.get(i).remove(USER);
                params.get(i).put("vector", user.vector());
            }
            listener.onResponse(null);
        }, listener::onFailure));
    }

    /**
     * @return whether a recommender script in the query or a rescore query has {@code params.user} or a
     *     {@code params.model} to pin; only a {@code script_score} found there is written out to look (the builder
     *     does not expose its script)
     */
    static boolean needsResolving(SearchSourceBuilder source) throws IOException {
        List<ScriptScoreQueryBuilder> found = new ArrayList<>();
        QueryBuilderVisitor visitor = new QueryBuilderVisitor() {
            @Override
            public void accept(QueryBuilder query) {
                if (query instanceof ScriptScoreQueryBuilder scriptScore) {
                    found.add(scriptScore);
                }
            }

            @Override
            public QueryBuilderVisitor getChildVisitor(BooleanClause.Occur occur) {
                return this;
            }
        };
        if (source.query() != null) {
            source.query().visit(visitor);
        }
        if (source.rescores() != null) {
            for (RescorerBuilder<?> rescore : source.rescores()) {
                if (rescore instanceof QueryRescorerBuilder q) {
                    q.getRescoreQuery().visit(visitor);
                }
            }
        }
        List<Map<String, Object>> users = new ArrayList<>();
        List<Map<String, Object>> models = new ArrayList<>();
        for (ScriptScoreQueryBuilder scriptScore : found) {
            collect(
                XContentHelper.convertToMap(XContentHelper.toXContent(scriptScore, XContentType.JSON, false), false, MediaTypeRegistry.JSON).v2(),
                users,
                models
            );
        }
        return users.isEmpty() == false || models.isEmpty() == false;
    }

    /**
     * Collects, in document order, the {@code params} of every recommender script of a {@code script_score} that has
     * a user ({@code users}), and of every {@code source: model} one naming a model id ({@code models}).
     */
    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Map<String, Object>> users, List<Map<String, Object>> models) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("script_score") instanceof Map<?, ?> scriptScore
                && scriptScore.get("script") instanceof Map<?, ?> script
                && RecommenderScriptEngine.NAME.equals(script.get("lang"))
                && script.get("params") instanceof Map<?, ?> params) {
                if (params.containsKey(USER)) {
                    users.add((Map<String, Object>) params);
                }
                if (RecommenderScriptEngine.MODEL.equals(script.get("source")) && params.get("model") instanceof String) {
                    models.add((Map<String, Object>) params);
                }
            }
            for (Object value : map.values()) {
                collect(value, users, models);
            }
        } else if (node instanceof List<?> list) {
            for (Object value : list) {
                collect(value, users, models);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static UserSpec parse(Object user) throws IOException {
        if (user instanceof Map<?, ?> == false) {
            throw new IllegalArgumentException("[params.user] must be an object: a user spec as [embedding_knn] takes it");
        }
        try (XContentBuilder json = JsonXContent.contentBuilder().map((Map<String, ?>) user)) {
            try (XContentParser parser = parser(BytesReference.bytes(json), NamedXContentRegistry.EMPTY)) {
                parser.nextToken();
                return UserSpec.parse(parser);
            }
        }
    }

    private SearchSourceBuilder read(Map<String, Object> source) throws IOException {
        try (XContentBuilder json = JsonXContent.contentBuilder().map(source)) {
            try (XContentParser parser = parser(BytesReference.bytes(json), registry.get())) {
                return SearchSourceBuilder.fromXContent(parser);
            }
        }
    }

    private static XContentParser parser(BytesReference bytes, NamedXContentRegistry registry) throws IOException {
        return JsonXContent.jsonXContent.createParser(registry, LoggingDeprecationHandler.INSTANCE, bytes.streamInput());
    }
}
