package org.recommender.plugin.recommend;

import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.transport.client.Client;
import org.recommender.plugin.action.recommend.RecommendRequest;
import org.recommender.plugin.action.recommend.RecommendResponse.Item;
import org.recommender.plugin.action.recommend.RecommendResponse.UserResult;

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

    void attach(RecommendRequest request, List<UserResult> results, ActionListener<List<UserResult>> listener) {
        if (request.fetchSource().fetchSource() == false) {
            listener.onResponse(results);
            return;
        }
        MultiGetRequest gets = new MultiGetRequest().realtime(false);
        Map<String, Integer> positions = new HashMap<>();
        for (UserResult result : results) {
            for (Item item : result.items()) {
                String key = key(item.index(), item.id());
                if (positions.putIfAbsent(key, positions.size()) == null) {
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
            List<UserResult> withSources = new ArrayList<>(results.size());
            for (UserResult result : results) {
                List<Item> items = new ArrayList<>(result.items().size());
                for (Item item : result.items()) {
                    MultiGetItemResponse got = responses[positions.get(key(item.index(), item.id()))];
                    Map<String, Object> source = got.isFailed() || got.getResponse().isExists() == false ? null : got.getResponse().getSourceAsMap();
                    items.add(new Item(item.index(), item.id(), item.score(), source, item.explanation()));
                }
                withSources.add(new UserResult(result.userId(), result.strategy(), items));
            }
            listener.onResponse(withSources);
        }, listener::onFailure));
    }

    private static String key(String index, String id) {
        return index + '\u0000' + id;
    }
}
