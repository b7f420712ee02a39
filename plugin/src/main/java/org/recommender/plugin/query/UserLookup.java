package org.recommender.plugin.query;

import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.transport.client.Client;
import org.recommender.core.vector.ExampleEncoder;
import org.recommender.core.vector.HistoryEncoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Turns user specs into vectors, the same way for every surface ({@code _recommend}, the rescorer,
 * {@code embedding_knn}), with at most two realtime multi-gets whatever the number of users: one for every stored
 * user document (vector, seen items and history together), one for every history or example item to encode.
 *
 * <p>The rules, on every surface: a user document's vector is read at a dotted path of its {@code _source}; a
 * history is the mean of the vectors of its <em>distinct</em> items (a repeated id counts once); history items that
 * are missing or have no vector are skipped, and none left is a 404; a missing user document or index is a 404.
 * Examples follow the history's rules, each list on its own: the distinct positive and negative items found with a
 * vector are combined by {@link ExampleEncoder#average}; none of the positives found is a 404 naming
 * {@code user.positive}, while negatives that are all missing leave the positives' mean.
 * Reads are realtime, so a user or item written a moment ago counts without a refresh, and a history may be as long
 * as the request body allows (a search would stop at {@code index.max_result_window}).
 */
public final class UserLookup {
    private UserLookup() {}

    /**
     * Most history and example items one request reads (distinct ids × the indices they are read from, over all its
     * users): each is a multi-get item and a document source held until the mean is taken, so this bounds what a request can make
     * the node hold (about 100 MB of 64-dimension sources at the limit).
     */
    public static final int MAX_HISTORY_READS = 100_000;

    /**
     * The cold-start chain of {@code _recommend} (other surfaces use {@link #NO_COLD_START}).
     *
     * @param seenField the user document's field of item ids to exclude, or {@code null}
     * @param historyField the user document's field of item ids to encode when it has no vector, or {@code null}
     * @param itemIndices the concrete indices those history items are read from
     * @param itemField the items' vector field
     */
    public record ColdStart(String seenField, String historyField, String[] itemIndices, String itemField) {}

    /** No seen items, no stored history: a stored user is its vector. */
    public static final ColdStart NO_COLD_START = new ColdStart(null, null, new String[0], null);

    /** Where a resolved user's vector came from. */
    public enum Origin {
        /** given inline ({@code vector}) */
        INLINE,
        /** read from the user document ({@code id}); its vector may be missing */
        STORED,
        /** the mean of a history: inline ({@code history}) or the user document's cold-start history */
        HISTORY,
        /** combined from example items ({@code positive} / {@code negative}) */
        EXAMPLES
    }

    /**
     * A resolved user.
     *
     * @param id the user document's id, or {@code null} for an inline user
     * @param vector the vector, or {@code null} when a stored user has neither vector nor usable history
     * @param seen the items the user document lists in {@code seenField}
     * @param origin where {@code vector} came from
     */
    public record User(String id, float[] vector, List<String> seen, Origin origin) {}

    /** A user on its way: what is known after the first round trip, and the history still to encode. */
    private static final class Pending {
        final UserSpec spec;
        float[] vector;
        List<String> seen = List.of();
        /** the items to read: a history, or the positive examples */
        List<String> history;
        /** the negative examples (read with {@link #history}); empty for a history */
        List<String> negative = List.of();
        String[] historyIndices;
        String historyField;
        Origin origin;

        Pending(UserSpec spec) {
            this.spec = spec;
        }

        boolean examples() {
            return spec.positive() != null;
        }
    }

    /** Resolves {@code specs} in order; every failure (404 for what is missing) reaches {@code listener}. */
    public static void resolve(Client client, List<UserSpec> specs, ColdStart coldStart, ActionListener<List<User>> listener) {
        List<Pending> pending = new ArrayList<>();
        MultiGetRequest gets = new MultiGetRequest();
        List<Pending> looked = new ArrayList<>();
        for (UserSpec spec : specs) {
            Pending p = new Pending(spec);
            pending.add(p);
            if (spec.vector() != null) {
                p.vector = spec.vector();
                p.origin = Origin.INLINE;
            } else if (spec.positive() != null) {
                p.history = spec.positive();
                p.negative = spec.negative();
                p.historyIndices = new String[] { spec.index() };
                p.historyField = spec.field();
            } else if (spec.id() != null) {
                p.origin = Origin.STORED;
                String[] fields = Stream.of(spec.field(), coldStart.seenField(), coldStart.historyField()).filter(Objects::nonNull).toArray(String[]::new);
                gets.add(new MultiGetRequest.Item(spec.index(), spec.id()).fetchSourceContext(new FetchSourceContext(true, fields, null)));
                looked.add(p);
            } else {
                p.history = spec.history();
                p.historyIndices = new String[] { spec.index() };
                p.historyField = spec.field();
            }
        }
        if (looked.isEmpty()) {
            encodeHistories(client, pending, listener);
            return;
        }
        client.multiGet(gets, ActionListener.wrap(response -> {
            MultiGetItemResponse[] items = response.getResponses();
            for (int i = 0; i < items.length; i++) {
                Pending p = looked.get(i);
                UserSpec spec = p.spec;
                if (items[i].isFailed()) {
                    Exception failure = items[i].getFailure().getFailure();
                    if (failure instanceof IndexNotFoundException) {
                        throw new ResourceNotFoundException("user [" + spec.id() + "] not found: index [" + spec.index() + "] does not exist");
                    }
                    throw failure;
                }
                if (items[i].getResponse().isExists() == false) {
                    throw new ResourceNotFoundException("user [" + spec.id() + "] not found in index [" + spec.index() + "]");
                }
                Map<String, Object> source = items[i].getResponse().getSourceAsMap();
                p.vector = VectorSource.vector(source, spec.field(), "user [" + spec.id() + "] in index [" + spec.index() + "]");
                p.seen = VectorSource.ids(source, coldStart.seenField());
                if (p.vector == null && coldStart.historyField() != null) {
                    List<String> history = VectorSource.ids(source, coldStart.historyField());
                    if (history.isEmpty() == false) {
                        p.history = history;
                        p.historyIndices = coldStart.itemIndices();
                        p.historyField = coldStart.itemField();
                    }
                }
            }
            encodeHistories(client, pending, listener);
        }, listener::onFailure));
    }

    /**
     * The items of every history and example user to encode, read in one multi-get: each distinct id (positive and
     * negative together) from each of its indices.
     */
    private static void encodeHistories(Client client, List<Pending> pending, ActionListener<List<User>> listener) {
        MultiGetRequest gets = new MultiGetRequest();
        List<Pending> encoding = new ArrayList<>();
        List<Integer> firstItem = new ArrayList<>();
        long reads = 0;
        for (Pending p : pending) {
            if (p.vector == null && p.history != null) {
                LinkedHashSet<String> distinct = new LinkedHashSet<>(p.history);
                distinct.addAll(p.negative);
                reads += (long) distinct.size() * p.historyIndices.length;
                if (reads > MAX_HISTORY_READS) {
                    // counted before any read is built: the request is refused, not partly assembled
                    String what = p.examples() ? "[user.positive] and [user.negative] ask" : "[user.history] asks";
                    listener.onFailure(new IllegalArgumentException(
                        what + " for more than " + MAX_HISTORY_READS + " item reads (distinct items × indices, over all users)"
                    ));
                    return;
                }
                encoding.add(p);
                firstItem.add(gets.getItems().size());
                for (String item : distinct) {
                    for (String index : p.historyIndices) {
                        gets.add(new MultiGetRequest.Item(index, item).fetchSourceContext(new FetchSourceContext(true, new String[] { p.historyField }, null)));
                    }
                }
            }
        }
        if (encoding.isEmpty()) {
            listener.onResponse(finish(pending));
            return;
        }
        firstItem.add(gets.getItems().size());
        client.multiGet(gets, ActionListener.wrap(response -> {
            MultiGetItemResponse[] items = response.getResponses();
            for (int u = 0; u < encoding.size(); u++) {
                Pending p = encoding.get(u);
                String kind = p.examples() ? "example" : "history";
                // an item id found in several of the history's indices counts once, from the first that has it
                Map<String, float[]> vectors = new LinkedHashMap<>();
                for (int i = firstItem.get(u); i < firstItem.get(u + 1); i++) {
                    MultiGetItemResponse item = items[i];
                    if (item.isFailed()) {
                        Exception failure = item.getFailure().getFailure();
                        if (failure instanceof IndexNotFoundException) {
                            throw new ResourceNotFoundException(kind + " items cannot be read: index [" + item.getIndex() + "] does not exist");
                        }
                        throw failure;
                    }
                    if (item.getResponse().isExists() && vectors.containsKey(item.getId()) == false) {
                        float[] v = VectorSource.vector(item.getResponse().getSourceAsMap(), p.historyField, kind + " item [" + item.getId() + "]");
                        if (v != null) {
                            vectors.put(item.getId(), v);
                        }
                    }
                }
                if (p.examples()) {
                    List<float[]> positive = found(p.history, vectors);
                    if (positive.isEmpty()) {
                        throw new ResourceNotFoundException(
                            "none of the [user.positive] items has a vector in field [" + p.historyField + "] of index " + Arrays.toString(p.historyIndices)
                        );
                    }
                    p.vector = ExampleEncoder.average(positive, found(p.negative, vectors));
                    p.origin = Origin.EXAMPLES;
                } else if (vectors.isEmpty() == false) {
                    p.vector = HistoryEncoder.mean(new ArrayList<>(vectors.values()));
                    p.origin = Origin.HISTORY;
                } else if (p.spec.history() != null) {
                    throw new ResourceNotFoundException(
                        "none of the [user.history] items has a vector in field [" + p.historyField + "] of index " + Arrays.toString(p.historyIndices)
                    );
                }
            }
            listener.onResponse(finish(pending));
        }, listener::onFailure));
    }

    /** @return the vectors of the distinct {@code ids} that were found with one, in the order first listed */
    private static List<float[]> found(List<String> ids, Map<String, float[]> vectors) {
        List<float[]> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            float[] v = vectors.get(id);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static List<User> finish(List<Pending> pending) {
        List<User> users = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            users.add(new User(p.spec.id(), p.vector, p.seen, p.origin));
        }
        return users;
    }

    /**
     * @return the 404 for a stored user with neither a vector nor a usable history (the same on every surface)
     */
    public static ResourceNotFoundException noVector(UserSpec spec, ColdStart coldStart, String remedy) {
        return new ResourceNotFoundException(
            "user ["
                + spec.id()
                + "] in index ["
                + spec.index()
                + "] has no vector in field ["
                + spec.field()
                + "]"
                + (coldStart.historyField() == null ? "" : " and no usable history in [" + coldStart.historyField() + "]")
                + remedy
        );
    }
}
