package org.recommender.plugin.recommend;

import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds each returned item's {@code _source} (filtered as the request's {@code _source} says) with one multi-get for
 * all users' items: only the k items per user that are returned are read, never the hundreds of candidates.
 */
final class ItemSources {
    private final Client client;

    ItemSources(Client client) {
        this.client = client;
    }

    void attach(RecommendQuery request, List<UserRanking> results, ActionListener<List<UserRanking>> listener) {
        if (request.fetchSource().fetchSource() == false) {
            listener.onResponse(results);
            return;
        }
        MultiGetRequest gets = new MultiGetRequest().realtime(false);
        Map<ItemKey, Integer> positions = new HashMap<>();
        for (UserRanking result : results) {
            for (RankedItem item : result.items()) {
                if (positions.putIfAbsent(item.key(), positions.size()) == null) {
                    gets.add(new MultiGetRequest.Item(item.index(), item.id()).fetchSourceContext(request.fetchSource()));
                }
            }
        }
        if (positions.isEmpty()) {
            listener.onResponse(results);
            return;
        }
        client.multiGet(gets, ActionListener.wrap(response -> {
            MultiGetItemResponse[] responses = response.getResponses();
            List<UserRanking> withSources = new ArrayList<>(results.size());
            for (UserRanking result : results) {
                List<RankedItem> items = new ArrayList<>(result.items().size());
                for (RankedItem item : result.items()) {
                    MultiGetItemResponse got = responses[positions.get(item.key())];
                    Map<String, Object> source = got.isFailed() || got.getResponse().isExists() == false ? null : got.getResponse().getSourceAsMap();
                    items.add(item.withSource(source));
                }
                withSources.add(new UserRanking(result.userId(), result.strategy(), items));
            }
            listener.onResponse(withSources);
        }, listener::onFailure));
    }
}
