package org.recommender.plugin.script;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.util.SetOnce;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gives {@code script_score} with {@code lang: recommender} the user spec every other surface takes:
 * {@code params.user} ({@code {"id", "index", "field"}}, {@code {"history", …, "encoder"}}, {@code {"positive", …}})
 * is resolved once per search, on the coordinating node, before the search runs — by the same rules
 * ({@link UserLookup}) — and replaced by the {@code params.vector} it resolves to, which every shard then scores
 * with. OpenSearch gives a script no coordinating-node step of its own, so this is an action filter on the search
 * action: it finds such scripts in the request's query and rescore queries (also inside {@code bool} and the other
 * compound queries, and in each search of an {@code _msearch}), and leaves every other search untouched — the check
 * is a walk of the query tree, no copy. The request's source is rewritten through its JSON form, read back with the
 * node's registry, so a query of any plugin survives it. Runs after every other filter (security first).
 *
 * <p>A {@code best_score} example user has no single vector, so a script refuses it (400); so does
 * {@code params.user} beside {@code params.vector}.
 */
public final class ScriptUsers implements ActionFilter {
    /** The params key of the user spec this filter resolves. */
    static final String USER = "user";

    private final UserServices userServices;
    private final SetOnce<Client> client = new SetOnce<>();
    private final SetOnce<NamedXContentRegistry> registry = new SetOnce<>();

    /** @param userServices the node's user services (action filters exist before the node's components) */
    public ScriptUsers(UserServices userServices) {
        this.userServices = userServices;
    }

    /** Called once from the plugin's component creation. */
    public void init(Client nodeClient, NamedXContentRegistry xContentRegistry) {
        client.set(nodeClient);
        registry.set(xContentRegistry);
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
            if (search == null || search.source() == null || client.get() == null || mentionsUser(search.source()) == false) {
                chain.proceed(task, action, request, listener);
                return;
            }
            Map<String, Object> source = XContentHelper.convertToMap(
                XContentHelper.toXContent(search.source(), XContentType.JSON, false),
                true,
                MediaTypeRegistry.JSON
            ).v2();
            List<Map<String, Object>> params = new ArrayList<>();
            collect(source, params);
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
                search.source(read(source));
                chain.proceed(task, action, request, listener);
            }, listener::onFailure));
        } catch (Exception e) {
            listener.onFailure(e);
        }
    }

    /**
     * @return whether a recommender script in the query or a rescore query has {@code params.user}; only a
     *     {@code script_score} found there is written out to look (the builder does not expose its script)
     */
    static boolean mentionsUser(SearchSourceBuilder source) throws IOException {
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
        List<Map<String, Object>> params = new ArrayList<>();
        for (ScriptScoreQueryBuilder scriptScore : found) {
            collect(XContentHelper.convertToMap(XContentHelper.toXContent(scriptScore, XContentType.JSON, false), false, MediaTypeRegistry.JSON).v2(), params);
        }
        return params.isEmpty() == false;
    }

    /** Collects, in document order, the {@code params} of every recommender script of a {@code script_score} that has a user. */
    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Map<String, Object>> out) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("script_score") instanceof Map<?, ?> scriptScore
                && scriptScore.get("script") instanceof Map<?, ?> script
                && RecommenderScriptEngine.NAME.equals(script.get("lang"))
                && script.get("params") instanceof Map<?, ?> params
                && params.containsKey(USER)) {
                out.add((Map<String, Object>) params);
            }
            for (Object value : map.values()) {
                collect(value, out);
            }
        } else if (node instanceof List<?> list) {
            for (Object value : list) {
                collect(value, out);
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
