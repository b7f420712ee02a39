package org.recommender.plugin.recommend;

import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.transport.client.Client;
import org.recommender.core.vector.HistoryEncoder;
import org.recommender.plugin.action.recommend.RecommendRequest;
import org.recommender.plugin.action.recommend.RecommendResponse.Strategy;
import org.recommender.plugin.query.UserSpec;
import org.recommender.plugin.query.VectorSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a request's user specs into vectors with at most two round trips whatever the number of users: one
 * multi-get for every looked-up user document (vector, seen items and history together), then one multi-search
 * for every history that must be encoded. The cold-start chain for a stored user is: its embedding, else the mean
 * of its history items' embeddings ({@code cold_start.history_field}), else the fallback ranking
 * ({@code cold_start.fallback_field}), else a 404 that says what is missing.
 */
final class UserResolver {
    private final Client client;

    UserResolver(Client client) {
        this.client = client;
    }

    /** A user on its way: what is known after the first round trip, and the history still to encode. */
    private static final class Pending {
        final UserSpec spec;
        String id;
        float[] vector;
        List<String> seen = List.of();
        List<String> history;
        String[] historyIndices;
        String historyField;
        boolean inlineHistory;

        Pending(UserSpec spec) {
            this.spec = spec;
        }
    }

    void resolve(RecommendRequest request, ActionListener<List<ResolvedUser>> listener) {
        List<Pending> pending = new ArrayList<>();
        MultiGetRequest gets = new MultiGetRequest();
        List<Pending> looked = new ArrayList<>();
        for (UserSpec spec : request.users()) {
            Pending p = new Pending(spec);
            pending.add(p);
            if (spec.vector() != null) {
                p.vector = spec.vector();
            } else if (spec.id() != null) {
                p.id = spec.id();
                String[] fields = java.util.stream.Stream.of(spec.field(), request.seenField(), request.historyField())
                    .filter(Objects::nonNull)
                    .toArray(String[]::new);
                gets.add(new MultiGetRequest.Item(spec.index(), spec.id()).fetchSourceContext(new FetchSourceContext(true, fields, null)));
                looked.add(p);
            } else {
                p.history = spec.history();
                p.historyIndices = new String[] { spec.index() };
                p.historyField = spec.field();
                p.inlineHistory = true;
            }
        }
        if (looked.isEmpty()) {
            encodeHistories(request, pending, listener);
            return;
        }
        client.multiGet(gets, ActionListener.wrap(response -> {
            MultiGetItemResponse[] items = response.getResponses();
            for (int i = 0; i < items.length; i++) {
                Pending p = looked.get(i);
                UserSpec spec = p.spec;
                if (items[i].isFailed()) {
                    Exception failure = items[i].getFailure().getFailure();
                    if (failure instanceof org.opensearch.index.IndexNotFoundException) {
                        throw new ResourceNotFoundException("user [" + spec.id() + "] not found: index [" + spec.index() + "] does not exist");
                    }
                    throw failure;
                }
                if (items[i].getResponse().isExists() == false) {
                    throw new ResourceNotFoundException("user [" + spec.id() + "] not found in index [" + spec.index() + "]");
                }
                Map<String, Object> source = items[i].getResponse().getSourceAsMap();
                String what = "user [" + spec.id() + "] in index [" + spec.index() + "]";
                p.vector = VectorSource.vector(source, spec.field(), what);
                p.seen = VectorSource.ids(source, request.seenField());
                if (p.vector == null && request.historyField() != null) {
                    List<String> history = VectorSource.ids(source, request.historyField());
                    if (history.isEmpty() == false) {
                        p.history = history;
                        p.historyIndices = request.indices();
                        p.historyField = request.field();
                    }
                }
            }
            encodeHistories(request, pending, listener);
        }, listener::onFailure));
    }

    private void encodeHistories(RecommendRequest request, List<Pending> pending, ActionListener<List<ResolvedUser>> listener) {
        MultiSearchRequest searches = new MultiSearchRequest();
        List<Pending> encoding = new ArrayList<>();
        for (Pending p : pending) {
            if (p.vector == null && p.history != null) {
                searches.add(
                    new SearchRequest(p.historyIndices).source(
                        new SearchSourceBuilder().query(QueryBuilders.idsQuery().addIds(p.history.toArray(String[]::new)))
                            .size(p.history.size())
                            .fetchSource(new String[] { p.historyField }, null)
                            .trackTotalHits(false)
                    )
                );
                encoding.add(p);
            }
        }
        if (encoding.isEmpty()) {
            finish(request, pending, null, listener);
            return;
        }
        client.multiSearch(searches, ActionListener.wrap(response -> {
            MultiSearchResponse.Item[] items = response.getResponses();
            float[][] encoded = new float[encoding.size()][];
            for (int i = 0; i < items.length; i++) {
                if (items[i].isFailure()) {
                    throw items[i].getFailure();
                }
                Pending p = encoding.get(i);
                List<float[]> vectors = new ArrayList<>();
                for (SearchHit hit : items[i].getResponse().getHits().getHits()) {
                    float[] v = VectorSource.vector(hit.getSourceAsMap(), p.historyField, "history item [" + hit.getId() + "]");
                    if (v != null) {
                        vectors.add(v);
                    }
                }
                if (vectors.isEmpty() == false) {
                    encoded[i] = HistoryEncoder.mean(vectors);
                } else if (p.inlineHistory) {
                    throw new ResourceNotFoundException(
                        "none of the [user.history] items has a vector in field [" + p.historyField + "] of index " + Arrays.toString(p.historyIndices)
                    );
                }
            }
            for (int i = 0; i < encoding.size(); i++) {
                encoding.get(i).vector = encoded[i];
            }
            finish(request, pending, encoding, listener);
        }, listener::onFailure));
    }

    private static void finish(RecommendRequest request, List<Pending> pending, List<Pending> encoded, ActionListener<List<ResolvedUser>> listener) {
        List<ResolvedUser> users = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            Strategy strategy;
            if (p.vector != null) {
                boolean fromHistory = encoded != null && encoded.contains(p);
                strategy = fromHistory ? Strategy.HISTORY : p.id != null ? Strategy.EMBEDDING : Strategy.VECTOR;
            } else if (request.fallbackField() != null) {
                strategy = Strategy.FALLBACK;
            } else {
                listener.onFailure(
                    new ResourceNotFoundException(
                        "user ["
                            + p.id
                            + "] in index ["
                            + p.spec.index()
                            + "] has no vector in field ["
                            + p.spec.field()
                            + "]"
                            + (request.historyField() == null ? "" : " and no usable history in [" + request.historyField() + "]")
                            + "; set [cold_start.history_field] or [cold_start.fallback_field] to serve such users"
                    )
                );
                return;
            }
            users.add(new ResolvedUser(p.id, strategy, p.vector, p.seen));
        }
        listener.onResponse(users);
    }
}
