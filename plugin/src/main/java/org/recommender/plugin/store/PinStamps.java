package org.recommender.plugin.store;

import org.opensearch.action.get.GetResponse;
import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.index.seqno.SequenceNumbers;

/**
 * The checksum of each stored model document state this node has read, so that pinning a model needs only the
 * state of its document — a realtime get that loads no {@code _source} — instead of reading its checksum, which
 * makes the shard decompress and filter the whole document, bundle included. (Measured on OpenSearch 3.8.0: reading
 * a 300 KB SASRec model's metadata took 0.67 ms longer than a dot model's; a pin paid the same on every request.)
 *
 * <p>A document state is named by the store index's UUID, the primary term and sequence number of the write that
 * made it, and its version. OpenSearch gives every write to a shard its own (primary term, sequence number), copied
 * unchanged to every replica, and an index deleted and created again has a new UUID; so one state has exactly one
 * checksum, on every node, and any write — a new version, a delete, an upload again — makes a state no stamp names.
 * Holds at most {@value #MAX_STAMPS} ids (a few hundred bytes each); one evicted is read the slow way again.
 */
final class PinStamps {
    /** Ids whose stamp is kept; beyond it the least recently used are dropped. */
    static final int MAX_STAMPS = 10_000;

    /**
     * One state of a model document.
     *
     * @param indexUuid the store index's UUID when the document was read
     * @param primaryTerm the primary term of the write that made this state
     * @param seqNo the sequence number of that write
     * @param version the document's version
     */
    record State(String indexUuid, long primaryTerm, long seqNo, long version) {
        /**
         * @param uuidBefore the store index's UUID on this node before {@code read} was sent
         * @param uuidAfter the same, after it came back
         * @return the state {@code read} found, or {@code null} when it cannot be named (the index was created again
         *     meanwhile, or the response carries no sequence number)
         */
        static State of(String uuidBefore, String uuidAfter, GetResponse read) {
            if (uuidBefore == null || uuidBefore.equals(uuidAfter) == false || read.getSeqNo() == SequenceNumbers.UNASSIGNED_SEQ_NO) {
                return null;
            }
            return new State(uuidBefore, read.getPrimaryTerm(), read.getSeqNo(), read.getVersion());
        }
    }

    private record Stamp(State state, String checksum) {}

    private final Cache<String, Stamp> stamps = CacheBuilder.<String, Stamp>builder().setMaximumWeight(MAX_STAMPS).build();

    /** @return the checksum of model {@code id} in {@code state}, or {@code null} when this node has not read that state */
    String checksum(String id, State state) {
        Stamp stamp = stamps.get(id);
        return stamp != null && state != null && stamp.state().equals(state) ? stamp.checksum() : null;
    }

    /** @return whether this node holds a stamp of model {@code id} (of some state) */
    boolean known(String id) {
        return stamps.get(id) != null;
    }

    /** Records that model {@code id} in {@code state} has {@code checksum}; a {@code null} state records nothing. */
    void put(String id, State state, String checksum) {
        if (state != null) {
            stamps.put(id, new Stamp(state, checksum));
        }
    }

    /** @return ids stamped (tests) */
    int count() {
        return stamps.count();
    }
}
