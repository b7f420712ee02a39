package org.recommender.plugin.recommend;

import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.transport.client.Client;
import org.recommender.plugin.query.UserLookup;
import org.recommender.plugin.store.HeldMemory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds each returned item's {@code _source} (filtered as the request's {@code _source} says) with multi-gets of all
 * users' items: only the k items per user that are returned are read, never the hundreds of candidates. A request
 * may return {@code max_users} × {@code max_k} items, so the sources are read {@link UserLookup#READ_CHUNK} items a multi-get,
 * one after another, each answer reserved in the plugin's breaker as it arrives and held until the response is sent.
 */
final class ItemSources {
    /** How the breaker's 429 names what the sources hold. */
    static final String HELD = "_recommend items' _source";

    private final Client client;

    ItemSources(Client client) {
        this.client = client;
    }

    /**
     * @param held where each answer's sources are reserved; the caller closes it once the response is sent
     */
    void attach(RecommendQuery request, List<UserRanking> results, HeldMemory held, ActionListener<List<UserRanking>> listener) {
        if (request.fetchSource().fetchSource() == false) {
            listener.onResponse(results);
            return;
        }
        List<RankedItem> distinct = new ArrayList<>();
        Map<ItemKey, Integer> positions = new HashMap<>();
        for (UserRanking result : results) {
            for (RankedItem item : result.items()) {
                if (positions.putIfAbsent(item.key(), positions.size()) == null) {
                    distinct.add(item);
                }
            }
        }
        read(request, distinct, 0, new ArrayList<>(distinct.size()), held, ActionListener.wrap(sources -> {
            List<UserRanking> withSources = new ArrayList<>(results.size());
            for (UserRanking result : results) {
                List<RankedItem> items = new ArrayList<>(result.items().size());
                for (RankedItem item : result.items()) {
                    items.add(item.withSource(sources.get(positions.get(item.key()))));
                }
                withSources.add(new UserRanking(result.userId(), result.strategy(), items));
            }
            listener.onResponse(withSources);
        }, listener::onFailure));
    }

    /** Reads the sources of {@code items} from {@code from} on, appending each to {@code out} (null: missing or failed). */
    private void read(
        RecommendQuery request,
        List<RankedItem> items,
        int from,
        List<Map<String, Object>> out,
        HeldMemory held,
        ActionListener<List<Map<String, Object>>> listener
    ) {
        if (from == items.size()) {
            listener.onResponse(out);
            return;
        }
        int to = Math.min(items.size(), from + UserLookup.READ_CHUNK);
        MultiGetRequest gets = new MultiGetRequest().realtime(false);
        for (RankedItem item : items.subList(from, to)) {
            gets.add(new MultiGetRequest.Item(item.index(), item.id()).fetchSourceContext(request.fetchSource()));
        }
        client.multiGet(gets, ActionListener.wrap(response -> {
            MultiGetItemResponse[] responses = response.getResponses();
            held.reserve(UserLookup.sourceBytes(responses));
            for (MultiGetItemResponse got : responses) {
                out.add(got.isFailed() || got.getResponse().isExists() == false ? null : got.getResponse().getSourceAsMap());
            }
            read(request, items, to, out, held, listener);
        }, listener::onFailure));
    }
}
