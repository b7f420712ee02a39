package org.recommender.plugin.store;

import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;

/** The cache keeps an id's previous version beside the current one, so requests pinned to it keep scoring. */
public class ModelCacheTests extends OpenSearchTestCase {
    private static ModelCache.Entry entry(long version) {
        return new ModelCache.Entry(version, "c" + version, ModelBundle.dot(4).compile());
    }

    public void testThePreviousVersionStaysUntilANewerOneArrives() {
        ModelCache cache = new ModelCache(ByteSizeValue.parseBytesSizeValue("10mb", "test"));
        cache.put("m", entry(1));
        cache.put("m", entry(2));
        assertEquals("c1", cache.get(pin(1)).checksum());
        assertEquals("c2", cache.get(pin(2)).checksum());
        cache.put("m", entry(3));
        assertNull("only the newest two are kept", cache.get(pin(1)));
        assertEquals("c2", cache.get(pin(2)).checksum());
        assertEquals("c3", cache.get(pin(3)).checksum());
        cache.put("m", entry(1)); // a late compile of an old version changes nothing
        assertNull(cache.get(pin(1)));
        assertEquals(1, cache.count());
        cache.invalidate("m");
        assertNull(cache.get(pin(3)));
        assertNull(cache.get(pin(2)));
    }

    public void testALateCompileOfTheVersionJustBeforeIsKept() {
        ModelCache cache = new ModelCache(ByteSizeValue.parseBytesSizeValue("10mb", "test"));
        cache.put("m", entry(5));
        cache.put("m", entry(4)); // a request pinned to 4 compiled it after 5 arrived
        assertEquals("c4", cache.get(pin(4)).checksum());
        assertEquals("c5", cache.get(pin(5)).checksum());
    }

    public void testBothVersionsCountAgainstTheByteLimit() {
        ScoringModel model = RandomModels.mlp(16, new int[] { 32 }, 1).compile();
        long one = model.memoryBytes();
        ModelCache cache = new ModelCache(new ByteSizeValue(one + one / 2));
        cache.put("m", new ModelCache.Entry(1, "c1", model));
        assertEquals(one, cache.weightBytes());
        cache.put("m", new ModelCache.Entry(2, "c2", RandomModels.mlp(16, new int[] { 32 }, 2).compile()));
        assertNull("two versions weigh 2x, over the 1.5x limit: evicted", cache.get(pin(2)));
        assertEquals(0, cache.weightBytes());
    }

    private static ModelPin pin(long version) {
        return new ModelPin("m", version, "c" + version);
    }

    public void testAnEntryOfTheSameVersionWithAnotherChecksumIsAMiss() {
        ModelCache cache = new ModelCache(ByteSizeValue.parseBytesSizeValue("1mb", "test"));
        cache.put("m", entry(1));
        assertNull(cache.get(new ModelPin("m", 1, "another")));
        assertEquals("c1", cache.get(pin(1)).checksum());
    }

    /**
     * A load or an upload that was under way when a model was deleted does not cache what it compiled: before, the
     * delete's eviction ran, then the load finished and put the deleted model back (with its breaker bytes) until
     * it was evicted. What was read before any delete is cached as before.
     */
    public void testALoadThatRanThroughADeleteIsNotCached() {
        ModelCache cache = new ModelCache(ByteSizeValue.parseBytesSizeValue("10mb", "test"));
        long before = cache.invalidations();
        cache.invalidate("m"); // the delete, while the load read and compiled
        cache.putLoaded("m", entry(1), before);
        assertNull("not brought back", cache.get(pin(1)));
        assertEquals(0, cache.count());
        assertEquals("the load still counts", 1, cache.loads());
        cache.putStored("m", entry(2), before);
        assertEquals(0, cache.count());

        long now = cache.invalidations();
        cache.putLoaded("m", entry(1), now);
        assertEquals("c1", cache.get(pin(1)).checksum());
        cache.putStored("m", entry(2), now);
        assertEquals("c2", cache.get(pin(2)).checksum());
    }
}
