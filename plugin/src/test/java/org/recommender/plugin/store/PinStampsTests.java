package org.recommender.plugin.store;

import org.opensearch.action.get.GetResponse;
import org.opensearch.index.get.GetResult;
import org.opensearch.index.seqno.SequenceNumbers;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Map;

/** A stamp names a checksum only for the exact document state it was read in, in the same store index. */
public class PinStampsTests extends OpenSearchTestCase {
    private static GetResponse read(long primaryTerm, long seqNo, long version) {
        return new GetResponse(new GetResult(ModelStoreService.INDEX, "m", seqNo, primaryTerm, version, true, null, Map.of(), Map.of()));
    }

    public void testOnlyTheSameStateInTheSameIndexNamesTheChecksum() {
        PinStamps stamps = new PinStamps();
        assertFalse(stamps.known("m"));
        stamps.put("m", PinStamps.State.of("uuid-1", "uuid-1", read(1, 7, 3)), "c3");
        assertTrue(stamps.known("m"));
        assertEquals("c3", stamps.checksum("m", PinStamps.State.of("uuid-1", "uuid-1", read(1, 7, 3))));
        assertNull("another write", stamps.checksum("m", PinStamps.State.of("uuid-1", "uuid-1", read(1, 8, 3))));
        assertNull("another primary term", stamps.checksum("m", PinStamps.State.of("uuid-1", "uuid-1", read(2, 7, 3))));
        assertNull("another version", stamps.checksum("m", PinStamps.State.of("uuid-1", "uuid-1", read(1, 7, 4))));
        assertNull("a store index created again", stamps.checksum("m", PinStamps.State.of("uuid-2", "uuid-2", read(1, 7, 3))));
        assertNull("another id", stamps.checksum("n", PinStamps.State.of("uuid-1", "uuid-1", read(1, 7, 3))));
    }

    public void testAStateThatCannotBeNamedIsNeitherStampedNorMatched() {
        assertNull("the index changed during the read", PinStamps.State.of("uuid-1", "uuid-2", read(1, 7, 3)));
        assertNull("no store index", PinStamps.State.of(null, null, read(1, 7, 3)));
        assertNull("no sequence number", PinStamps.State.of("uuid-1", "uuid-1", read(SequenceNumbers.UNASSIGNED_PRIMARY_TERM, SequenceNumbers.UNASSIGNED_SEQ_NO, 3)));
        PinStamps stamps = new PinStamps();
        stamps.put("m", null, "c3");
        assertFalse(stamps.known("m"));
        assertNull(stamps.checksum("m", null));
    }
}
