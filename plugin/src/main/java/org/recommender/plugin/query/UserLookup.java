package org.recommender.plugin.query;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.ExceptionsHelper;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.StepListener;
import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.action.support.GroupedActionListener;
import org.opensearch.action.support.ThreadedActionListener;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.Transports;
import org.opensearch.transport.client.Client;
import org.recommender.core.encoder.UserEncoder;
import org.recommender.core.vector.BestScore;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.core.vector.ExampleEncoder;
import org.recommender.core.vector.HistoryEncoder;
import org.recommender.plugin.action.vectors.ItemVectorsAction;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.store.HeldMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Turns user specs into vectors, the same way for every surface ({@code _recommend}, the rescorer,
 * {@code embedding_knn}), with two realtime reads whatever the number of users: one multi-get for every stored user
 * document (vector, seen items and history together), and one {@link ItemVectorsAction} per (index, field) for every
 * history or example item to encode, which reads the vectors from Lucene instead of loading sources (a multi-get of
 * sources only for a field that holds no Lucene vectors).
 *
 * <p>The rules, on every surface: a user document's vector is read at a dotted path of its {@code _source}; a
 * history is the mean of the vectors of its <em>distinct</em> items (a repeated id counts once); history items that
 * are missing or have no vector are skipped, and none left is a 404; a missing user document or index is a 404.
 * Examples follow the history's rules, each list on its own: the distinct positive and negative items found with a
 * vector are combined by {@link ExampleEncoder#average} (or, for {@code best_score}, kept as they are: a
 * {@link BestScore} instead of a vector); none of the positives found is a 404 naming {@code user.positive}, while
 * negatives that are all missing leave the positives' mean (no negatives, for {@code best_score}).
 * Reads are realtime, so a user or item written a moment ago counts without a refresh, and a history may be as long
 * as the request body allows (a search would stop at {@code index.max_result_window}).
 *
 * <p>A history with an encoder ({@code user.encoder}, or {@code cold_start.encoder} for stored histories) is the
 * vector a stored user encoder makes of its items' vectors instead of their mean: each encoder the request needs is
 * pinned once ({@link UserServices#pin}) — an inline history's while its items are read, a stored history's first,
 * to cut it to its latest {@code max_length} items — a history longer than its {@code max_length} is refused before
 * it is encoded, the items are read in the same read as every other history's, and the encoder runs here, on the
 * coordinating node (off the transport threads), on the vectors in history order — every occurrence of an item for
 * an ordered encoder, each distinct item once for a set encoder ({@code multdae}). An inline history is the
 * request's own input, so an item of it that is missing or has no vector, or a history longer than
 * {@code max_length}, is a 400 naming it; a stored cold-start history grows with the user and outlives catalogue
 * changes, so its latest {@code max_length} items are encoded and those missing are skipped (none left: the user is
 * cold, as with the mean). A vector of another dimension than the encoder reads is a 400 either way.
 */
public final class UserLookup {
    private static final Logger LOG = LogManager.getLogger(UserLookup.class);

    private UserLookup() {}

    /**
     * Most history and example items one request reads (distinct ids × the indices they are read from, over all its
     * users): each is an item read and a vector held until the users are combined. The bytes those hold are
     * reserved in the plugin's breaker as they arrive ({@link #READ_CHUNK}); this bounds the work of one request.
     */
    public static final int MAX_HISTORY_READS = 100_000;

    /**
     * Ids per item read (one {@link ItemVectorsAction}, or one multi-get where the field holds no Lucene vectors), the
     * reads of one (index, field) sent one after another: the most of a lookup's answers the node holds before they
     * are reserved in the plugin's breaker is one read's, 16 MB of vectors at 4,096 dimensions (1 MB at 64). A
     * history or example list shorter than this is still one round trip.
     */
    public static final int READ_CHUNK = 1_024;

    /** What a read vector costs beyond its floats: the array's header and its entry in the read's map. */
    private static final long VECTOR_OVERHEAD_BYTES = 64;

    /**
     * What a source read holds per byte of its JSON: the bytes and the map parsed from them, whose boxed doubles in
     * lists take about 2.5 times the text of a float.
     */
    private static final long SOURCE_COPIES = 4;

    /** How the breaker's 429 names what a lookup holds. */
    static final String HELD = "user lookup: user documents and item vectors";

    /**
     * The cold-start chain of {@code _recommend} (other surfaces use {@link #NO_COLD_START}).
     *
     * @param seenField the user document's field of item ids to exclude, or {@code null}
     * @param historyField the user document's field of item ids to encode when it has no vector, or {@code null}
     * @param itemIndices the concrete indices those history items are read from
     * @param itemField the items' vector field
     */
    public record ColdStart(String seenField, String historyField, String[] itemIndices, String itemField, String historyEncoder) {
        /** The chain without an encoder: a stored history is the mean of its items' vectors. */
        public ColdStart(String seenField, String historyField, String[] itemIndices, String itemField) {
            this(seenField, historyField, itemIndices, itemField, null);
        }
    }

    /** No seen items, no stored history: a stored user is its vector. */
    public static final ColdStart NO_COLD_START = new ColdStart(null, null, new String[0], null, null);

    /** How many missing item ids an error names before it says how many more there are. */
    private static final int NAMED_IDS = 10;

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
     * @param encoder the encoder that made {@code vector} of a history, or {@code null} (the mean, and other origins)
     * @param examples a {@code best_score} example user's examples (then {@code vector} is {@code null}), else
     *     {@code null}
     */
    public record User(String id, float[] vector, List<String> seen, Origin origin, UserServices.Pinned encoder, BestScore examples) {}

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
        /** the history's encoder id, or {@code null} for the mean */
        String encoderId;
        /** where the request named the encoder, for messages */
        String encoderField;
        /** the history as messages name it */
        String historyName;
        UserServices.Pinned encoder;
        /** a best-score example user's examples, once read */
        BestScore examples;

        Pending(UserSpec spec) {
            this.spec = spec;
        }

        boolean examples() {
            return spec.positive() != null;
        }
    }

    /**
     * Resolves {@code specs} in order; every failure (404 for what is missing) reaches {@code listener}.
     *
     * @param userServices the node's user services, or {@code null} where none can run (a spec naming one is then a 400)
     */
    public static void resolve(
        Client client,
        UserServices userServices,
        List<UserSpec> specs,
        ColdStart coldStart,
        ActionListener<List<User>> answer
    ) {
        // everything the reads hold is released once the users are answered, or the lookup failed
        HeldMemory held = new HeldMemory(userServices == null ? null : userServices::reserve, HELD);
        ActionListener<List<User>> listener = ActionListener.runAfter(answer, held::close);
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
                p.encoderId = spec.encoder();
                p.encoderField = "[user.encoder]";
                p.historyName = "[user.history]";
            }
        }
        // an inline history's encoder is known now: pin it while the users and items are read, not after
        Map<String, String> inline = new LinkedHashMap<>(); // encoder id -> the field that first named it
        for (Pending p : pending) {
            if (p.spec.history() != null && p.encoderId != null) {
                inline.putIfAbsent(p.encoderId, p.encoderField);
            }
        }
        if (inline.isEmpty() == false && userServices == null) {
            listener.onFailure(new IllegalArgumentException(inline.values().iterator().next() + " is not supported on this surface"));
            return;
        }
        StepListener<Map<String, UserServices.Pinned>> inlinePins = new StepListener<>();
        pinEach(userServices, new ArrayList<>(inline.entrySet()), 0, new HashMap<>(), inlinePins);
        if (looked.isEmpty()) {
            pinEncoders(client, userServices, pending, inlinePins, held, listener);
            return;
        }
        client.multiGet(gets, offTransport(client, ActionListener.wrap(response -> {
            assert Transports.assertNotTransportThread("user lookup: parsing user documents");
            MultiGetItemResponse[] items = response.getResponses();
            // the user documents' vectors, seen and history lists, parsed below: as long as the documents, not the request
            held.reserve(sourceBytes(items));
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
                        p.encoderId = coldStart.historyEncoder();
                        p.encoderField = "[cold_start.encoder]";
                        p.historyName = "[cold_start.history_field] [" + coldStart.historyField() + "] of user [" + spec.id() + "]";
                    }
                }
            }
            pinEncoders(client, userServices, pending, inlinePins, held, listener);
        }, listener::onFailure)));
    }

    /**
     * @return {@code listener} answered on the generic pool: what a read answers is parsed there (up to 1,024 user
     *     documents, or a chunk of item sources), not on the transport thread that received it
     */
    private static <T> ActionListener<T> offTransport(Client client, ActionListener<T> listener) {
        return new ThreadedActionListener<>(LOG, client.threadPool(), ThreadPool.Names.GENERIC, listener, false);
    }

    /**
     * @return what the found sources of a multi-get's {@code items} hold once read and parsed ({@link #SOURCE_COPIES}
     *     × their JSON), for the breaker
     */
    public static long sourceBytes(MultiGetItemResponse[] items) {
        long bytes = 0;
        for (MultiGetItemResponse item : items) {
            if (item.isFailed() == false && item.getResponse().isExists() && item.getResponse().getSourceAsBytesRef() != null) {
                bytes += SOURCE_COPIES * item.getResponse().getSourceAsBytesRef().length();
            }
        }
        return bytes;
    }

    /**
     * Pins every encoder the stored (cold-start) histories to encode name, once each, then trims each such history to
     * its encoder's latest {@code max_length} items before any item is read. Inline histories' encoders are pinned
     * meanwhile ({@code inlinePins}) and checked once their items are read ({@link #encodeHistories}).
     */
    private static void pinEncoders(
        Client client,
        UserServices userServices,
        List<Pending> pending,
        StepListener<Map<String, UserServices.Pinned>> inlinePins,
        HeldMemory held,
        ActionListener<List<User>> listener
    ) {
        Map<String, String> needed = new LinkedHashMap<>(); // encoder id -> the field that first named it
        for (Pending p : pending) {
            if (storedEncoded(p)) {
                needed.putIfAbsent(p.encoderId, p.encoderField);
            }
        }
        if (needed.isEmpty()) {
            encodeHistories(client, userServices, pending, inlinePins, held, listener);
            return;
        }
        if (userServices == null) {
            listener.onFailure(new IllegalArgumentException(needed.values().iterator().next() + " is not supported on this surface"));
            return;
        }
        // an encoder an inline history names too is pinned once: one version encodes every user of the request
        inlinePins.whenComplete(inlinePinned -> {
            List<Map.Entry<String, String>> more = new ArrayList<>();
            for (Map.Entry<String, String> encoder : needed.entrySet()) {
                if (inlinePinned.containsKey(encoder.getKey()) == false) {
                    more.add(encoder);
                }
            }
            pinEach(userServices, more, 0, new HashMap<>(inlinePinned), ActionListener.wrap(pinned -> {
                for (Pending p : pending) {
                    if (storedEncoded(p)) {
                        p.encoder = pinned.get(p.encoderId);
                        // a stored history grows with the user; its latest items are the ones that describe them now
                        p.history = latest(p.history, p.encoder.encoder());
                        checkLength(p);
                    }
                }
                encodeHistories(client, userServices, pending, inlinePins, held, listener);
            }, listener::onFailure));
        }, listener::onFailure);
    }

    /** @return whether {@code p} is a stored user's cold-start history to encode with an encoder */
    private static boolean storedEncoded(Pending p) {
        return p.spec.history() == null && p.vector == null && p.history != null && p.encoderId != null;
    }

    /** A 400 when {@code p}'s history is longer than its pinned encoder reads. */
    private static void checkLength(Pending p) {
        UserEncoder encoder = p.encoder.encoder();
        int length = encoder.ordered() ? p.history.size() : new LinkedHashSet<>(p.history).size();
        if (length > encoder.maxLength()) {
            throw new IllegalArgumentException(
                p.historyName + " has " + length + (encoder.ordered() ? "" : " distinct") + " items but " + p.encoderField + " ["
                    + p.encoderId + "] (" + encoder.type() + ") reads at most " + encoder.maxLength() + ", its [max_length]"
            );
        }
    }

    /**
     * Bounds the lookup's encodings together, before any runs: 1,024 users of one search (or 100 of a batch), each
     * encoded with up to an encoder's 2^30 multiply-adds, would otherwise keep one thread for minutes.
     */
    private static void checkEncodeWork(UserServices userServices, List<Pending> encoding) {
        long work = 0;
        int histories = 0;
        Pending first = null;
        for (Pending p : encoding) {
            if (p.encoder == null) {
                continue;
            }
            UserEncoder encoder = p.encoder.encoder();
            int length = Math.min(encoder.maxLength(), encoder.ordered() ? p.history.size() : new LinkedHashSet<>(p.history).size());
            work = ScoringBudget.sum(work, encoder.encodeWork(length));
            histories++;
            if (first == null) {
                first = p;
            }
        }
        if (first != null) {
            userServices.checkEncodeWork(
                first.encoderField,
                work,
                "encoding " + histories + (histories == 1 ? " history" : " histories") + " (the first with " + first.encoderField + " ["
                    + first.encoderId + "], " + first.encoder.encoder().type() + ")"
            );
        }
    }

    private static void pinEach(
        UserServices userServices,
        List<Map.Entry<String, String>> ids,
        int next,
        Map<String, UserServices.Pinned> pinned,
        ActionListener<Map<String, UserServices.Pinned>> listener
    ) {
        if (next == ids.size()) {
            listener.onResponse(pinned);
            return;
        }
        Map.Entry<String, String> id = ids.get(next);
        userServices.pin(id.getKey(), id.getValue(), ActionListener.wrap(encoder -> {
            pinned.put(id.getKey(), encoder);
            pinEach(userServices, ids, next + 1, pinned, listener);
        }, listener::onFailure));
    }

    /** One (index, field) whose items are read together. */
    private record ReadKey(String index, String field) {}

    /**
     * What one (index, field) read found: each id's vector (from Lucene), or, where the field is not one Lucene holds
     * vectors of, each found document's source; or the failure of the whole read (a missing index).
     */
    private static final class Read {
        final Map<String, float[]> vectors = new HashMap<>();
        final Map<String, Map<String, Object>> sources = new HashMap<>();
        boolean fromSource;
        Exception failure;
    }

    /**
     * The items of every history and example user to encode: each distinct id (positive and negative together) from
     * each of its indices, read once per (index, field) by {@link ItemVectorsAction} — found by realtime get, the
     * vector read from the field's Lucene values, no {@code _source} loaded — and, where the field holds no Lucene
     * vectors (a plain array in {@code _source}), by realtime multi-gets of the sources; {@link #READ_CHUNK} ids a
     * read, what each answer holds reserved in the plugin's breaker until the users are answered.
     */
    private static void encodeHistories(
        Client client,
        UserServices userServices,
        List<Pending> pending,
        StepListener<Map<String, UserServices.Pinned>> inlinePins,
        HeldMemory held,
        ActionListener<List<User>> done
    ) {
        Map<ReadKey, LinkedHashSet<String>> groups = new LinkedHashMap<>();
        List<Pending> encoding = new ArrayList<>();
        long reads = 0;
        for (Pending p : pending) {
            if (p.vector == null && p.history != null) {
                LinkedHashSet<String> distinct = distinctItems(p.history, p.negative);
                encoding.add(p);
                for (String index : p.historyIndices) {
                    // what is read: each distinct (index, field, item) once, however many users list it
                    LinkedHashSet<String> group = groups.computeIfAbsent(new ReadKey(index, p.historyField), k -> new LinkedHashSet<>());
                    int before = group.size();
                    group.addAll(distinct);
                    reads += group.size() - before;
                }
                if (reads > MAX_HISTORY_READS) {
                    // counted before any read is sent: the request is refused, not partly read
                    String what = p.examples() ? "[user.positive] and [user.negative] ask" : p.historyName + " asks";
                    done.onFailure(new IllegalArgumentException(
                        what + " for more than " + MAX_HISTORY_READS + " item reads (distinct items × indices, over all users)"
                    ));
                    return;
                }
            }
        }
        if (encoding.isEmpty()) {
            done.onResponse(finish(pending));
            return;
        }
        ActionListener<Map<ReadKey, Read>> readAll = ActionListener.wrap(found -> inlinePins.whenComplete(pinned -> {
            for (Pending p : encoding) {
                if (p.spec.history() != null && p.encoderId != null) {
                    p.encoder = pinned.get(p.encoderId);
                    checkLength(p);
                }
            }
            checkEncodeWork(userServices, encoding);
            // combining is CPU work — up to MAX_HISTORY_READS vectors averaged or parsed from sources, an encoder's
            // attention or recurrences — so it runs on the generic pool, never on the transport thread the last read
            // answered on
            client.threadPool().generic().execute(() -> {
                try {
                    combine(userServices, encoding, found);
                } catch (Exception e) {
                    done.onFailure(e);
                    return;
                }
                done.onResponse(finish(pending));
            });
        }, done::onFailure), done::onFailure);
        Map<ReadKey, Read> found = new java.util.concurrent.ConcurrentHashMap<>();
        GroupedActionListener<ReadKey> each = new GroupedActionListener<>(
            ActionListener.wrap(all -> readSources(client, groups, found, held, readAll), done::onFailure),
            groups.size()
        );
        for (Map.Entry<ReadKey, LinkedHashSet<String>> group : groups.entrySet()) {
            Read read = new Read();
            found.put(group.getKey(), read);
            readVectors(client, group.getKey(), new ArrayList<>(group.getValue()), 0, read, held, each);
        }
    }

    /**
     * Reads the vectors of {@code ids} from {@code (index, field)}, {@link #READ_CHUNK} at a time from {@code from},
     * each chunk's vectors reserved in the plugin's breaker as it arrives; answers {@code each} with the key once the
     * last chunk is in, the field turned out to hold no Lucene vectors, or a read failed (kept in {@code read}: which
     * user's items they were decides the words — 404 for a missing index, 429 for the breaker).
     */
    private static void readVectors(Client client, ReadKey key, List<String> ids, int from, Read read, HeldMemory held, ActionListener<ReadKey> each) {
        int to = Math.min(ids.size(), from + READ_CHUNK);
        List<String> chunk = new ArrayList<>(ids.subList(from, to));
        client.execute(ItemVectorsAction.INSTANCE, new ItemVectorsAction.Request(key.index(), key.field(), chunk), new ActionListener<>() {
            @Override
            public void onResponse(ItemVectorsAction.Response response) {
                if (response.lucene() == false) {
                    read.fromSource = true; // every id is read from _source, in readSources
                    each.onResponse(key);
                    return;
                }
                float[][] vectors = response.vectors();
                long bytes = 0;
                for (float[] v : vectors) {
                    bytes += v == null ? 0 : Float.BYTES * (long) v.length + VECTOR_OVERHEAD_BYTES;
                }
                try {
                    held.reserve(bytes);
                } catch (Exception e) {
                    onFailure(e);
                    return;
                }
                for (int i = 0; i < chunk.size(); i++) {
                    if (vectors[i] != null) {
                        read.vectors.put(chunk.get(i), vectors[i]);
                    }
                }
                if (to < ids.size()) {
                    readVectors(client, key, ids, to, read, held, each);
                } else {
                    each.onResponse(key);
                }
            }

            @Override
            public void onFailure(Exception e) {
                read.failure = e;
                each.onResponse(key);
            }
        });
    }

    /**
     * Reads the sources of the groups whose field holds no Lucene vectors: realtime multi-gets of {@link #READ_CHUNK}
     * items, one after another, each answer's sources reserved in the plugin's breaker as it arrives.
     */
    private static void readSources(
        Client client,
        Map<ReadKey, LinkedHashSet<String>> groups,
        Map<ReadKey, Read> found,
        HeldMemory held,
        ActionListener<Map<ReadKey, Read>> listener
    ) {
        List<ReadKey> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<ReadKey, LinkedHashSet<String>> group : groups.entrySet()) {
            if (found.get(group.getKey()).fromSource) {
                for (String id : group.getValue()) {
                    keys.add(group.getKey());
                    ids.add(id);
                }
            }
        }
        readSources(client, keys, ids, 0, found, held, listener);
    }

    private static void readSources(
        Client client,
        List<ReadKey> keys,
        List<String> ids,
        int from,
        Map<ReadKey, Read> found,
        HeldMemory held,
        ActionListener<Map<ReadKey, Read>> listener
    ) {
        if (from == ids.size()) {
            listener.onResponse(found);
            return;
        }
        int to = Math.min(ids.size(), from + READ_CHUNK);
        MultiGetRequest gets = new MultiGetRequest();
        for (int i = from; i < to; i++) {
            ReadKey key = keys.get(i);
            gets.add(new MultiGetRequest.Item(key.index(), ids.get(i)).fetchSourceContext(new FetchSourceContext(true, new String[] { key.field() }, null)));
        }
        client.multiGet(gets, offTransport(client, ActionListener.wrap(response -> {
            assert Transports.assertNotTransportThread("user lookup: parsing item sources");
            MultiGetItemResponse[] items = response.getResponses();
            held.reserve(sourceBytes(items));
            for (int i = 0; i < items.length; i++) {
                Read read = found.get(keys.get(from + i));
                if (items[i].isFailed()) {
                    read.failure = items[i].getFailure().getFailure();
                } else if (items[i].getResponse().isExists()) {
                    read.sources.put(items[i].getId(), items[i].getResponse().getSourceAsMap());
                }
            }
            readSources(client, keys, ids, to, found, held, listener);
        }, listener::onFailure)));
    }

    /** @return the distinct ids a history or example user reads, in the order first listed (positives, then negatives) */
    private static LinkedHashSet<String> distinctItems(List<String> items, List<String> negative) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>(items);
        distinct.addAll(negative);
        return distinct;
    }

    /**
     * @return the item reads an inline history or example spec costs (its distinct ids, read from its one index), as
     *     {@link #MAX_HISTORY_READS} counts them; 0 for a spec that reads no items (inline vector, stored user)
     */
    static int itemReads(UserSpec spec) {
        if (spec.history() != null) {
            return distinctItems(spec.history(), List.of()).size();
        }
        return spec.positive() == null ? 0 : distinctItems(spec.positive(), spec.negative()).size();
    }

    /** Turns each user's items, as {@code found} holds them, into the user's vector. */
    private static void combine(UserServices userServices, List<Pending> encoding, Map<ReadKey, Read> found) throws Exception {
        assert Transports.assertNotTransportThread("user lookup: combining the users' items");
        for (Pending p : encoding) {
            String kind = p.examples() ? "example" : "history";
            LinkedHashSet<String> distinct = distinctItems(p.history, p.negative);
            // an item id found in several of the history's indices counts once, from the first that has it
            Map<String, float[]> vectors = new LinkedHashMap<>();
            for (String id : distinct) {
                for (String index : p.historyIndices) {
                    Read read = found.get(new ReadKey(index, p.historyField));
                    if (read.failure != null) {
                        if (ExceptionsHelper.unwrapCause(read.failure) instanceof IndexNotFoundException) {
                            throw new ResourceNotFoundException(kind + " items cannot be read: index [" + index + "] does not exist");
                        }
                        throw read.failure;
                    }
                    if (vectors.containsKey(id)) {
                        continue;
                    }
                    float[] v = read.fromSource
                        ? (read.sources.containsKey(id) ? VectorSource.vector(read.sources.get(id), p.historyField, kind + " item [" + id + "]") : null)
                        : read.vectors.get(id);
                    if (v != null) {
                        vectors.put(id, v);
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
                if (p.spec.bestScore()) {
                    p.examples = BestScore.of(positive, found(p.negative, vectors));
                } else {
                    p.vector = ExampleEncoder.average(positive, found(p.negative, vectors));
                }
                p.origin = Origin.EXAMPLES;
            } else if (p.encoder != null) {
                p.vector = encode(userServices, p, vectors);
                if (p.vector != null) {
                    p.origin = Origin.HISTORY;
                }
            } else if (vectors.isEmpty() == false) {
                p.vector = HistoryEncoder.mean(new ArrayList<>(vectors.values()));
                p.origin = Origin.HISTORY;
            } else if (p.spec.history() != null) {
                throw new ResourceNotFoundException(
                    "none of the [user.history] items has a vector in field [" + p.historyField + "] of index " + Arrays.toString(p.historyIndices)
                );
            }
        }
    }

    /**
     * Runs a history's encoder on its items' vectors: in history order with every occurrence for an ordered encoder,
     * each distinct item once (in the order first listed) for a set encoder.
     *
     * @throws IllegalArgumentException naming the items without a vector, or a vector of the wrong dimension
     */
    private static float[] encode(UserServices userServices, Pending p, Map<String, float[]> vectors) {
        UserEncoder encoder = p.encoder.encoder();
        String named = p.encoderField + " [" + p.encoderId + "]";
        List<String> items = encoder.ordered() ? p.history : new ArrayList<>(new LinkedHashSet<>(p.history));
        if (p.spec.history() == null) {
            // a stored history outlives catalogue changes: items deleted since are skipped, as the mean skips them
            items = items.stream().filter(vectors::containsKey).toList();
            if (items.isEmpty()) {
                return null; // no usable history: the user is cold
            }
        }
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(items)) {
            if (vectors.containsKey(id) == false) {
                missing.add(id);
            }
        }
        if (missing.isEmpty() == false) {
            String ids = missing.size() <= NAMED_IDS
                ? missing.toString()
                : missing.subList(0, NAMED_IDS) + " and " + (missing.size() - NAMED_IDS) + " more";
            throw new IllegalArgumentException(
                p.historyName + " items " + ids + " are missing or have no vector in field [" + p.historyField + "] of index "
                    + Arrays.toString(p.historyIndices) + "; " + named + " reads a vector for every item of the history"
            );
        }
        float[][] history = new float[items.size()][];
        for (int t = 0; t < history.length; t++) {
            float[] v = vectors.get(items.get(t));
            if (v.length != encoder.itemDims()) {
                throw new IllegalArgumentException(
                    named + " (" + encoder.type() + ") reads item vectors of " + encoder.itemDims() + " dimensions but field [" + p.historyField
                        + "] of index " + Arrays.toString(p.historyIndices) + " holds " + v.length + " (item [" + items.get(t) + "])"
                );
            }
            history[t] = v;
        }
        float[] user;
        try {
            user = userServices.encode(p.encoder, history, history.length);
            EmbeddingValidator.checkElements("user vector", user);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(named + " cannot encode " + p.historyName + ": " + e.getMessage(), e);
        }
        return user;
    }

    /**
     * @return the latest {@code maxLength} items of a stored history (oldest first): occurrences for an ordered
     *     encoder, distinct items (each at its first listing) for a set encoder
     */
    private static List<String> latest(List<String> history, UserEncoder encoder) {
        List<String> items = encoder.ordered() ? history : new ArrayList<>(new LinkedHashSet<>(history));
        return items.size() <= encoder.maxLength() ? history : new ArrayList<>(items.subList(items.size() - encoder.maxLength(), items.size()));
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
            users.add(new User(p.spec.id(), p.vector, p.seen, p.origin, p.origin == Origin.HISTORY ? p.encoder : null, p.examples));
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
