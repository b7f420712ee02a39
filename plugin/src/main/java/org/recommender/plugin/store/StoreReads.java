package org.recommender.plugin.store;

import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.GetResponse;
import org.opensearch.common.CheckedConsumer;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;

import static org.recommender.plugin.store.ModelStoreService.INDEX;

/** Realtime reads of one model's document, tried again while the cluster changes under them ({@link ClusterChurn}). */
final class StoreReads {
    private final Client client;
    private final ThreadPool threadPool;
    private final StoreAccess access;

    StoreReads(Client client, ThreadPool threadPool, StoreAccess access) {
        this.client = client;
        this.threadPool = threadPool;
        this.access = access;
    }

    /** How often a store read that failed because the cluster changed under it is tried in all. */
    private static final int READ_ATTEMPTS = 6;

    /**
     * Realtime read of {@code id}'s document (the source {@code fields} select), from any copy or the one
     * {@code preference} names; 404 to {@code listener} when there is none or no store yet. A read that fails because
     * a node left or a copy was unavailable is tried again after 25, 50, … 400 ms (0.8 s in all: time for the store's
     * shard to fail over), then fails with 503.
     */
    void read(String id, FetchSourceContext fields, String preference, ActionListener<?> listener, CheckedConsumer<GetResponse, Exception> onRead) {
        read(id, fields, preference, READ_ATTEMPTS, listener, onRead);
    }

    private void read(
        String id,
        FetchSourceContext fields,
        String preference,
        int attemptsLeft,
        ActionListener<?> listener,
        CheckedConsumer<GetResponse, Exception> onRead
    ) {
        GetRequest get = new GetRequest(INDEX, id).realtime(true).preference(preference).fetchSourceContext(fields);
        access.<GetResponse>run(l -> client.get(get, l), ActionListener.wrap(response -> {
            if (response.isExists() == false) {
                listener.onFailure(StoredDocuments.notFound(id));
            } else {
                onRead.accept(response);
            }
        }, e -> {
            if (e instanceof IndexNotFoundException) {
                listener.onFailure(StoredDocuments.notFound(id));
            } else if (ClusterChurn.isTransient(e) && attemptsLeft > 1) {
                long delayMillis = 25L << (READ_ATTEMPTS - attemptsLeft);
                threadPool.schedule(
                    () -> read(id, fields, preference, attemptsLeft - 1, listener, onRead),
                    TimeValue.timeValueMillis(delayMillis),
                    ThreadPool.Names.GENERIC
                );
            } else {
                listener.onFailure(ClusterChurn.asUnavailable(e));
            }
        }));
    }
}
