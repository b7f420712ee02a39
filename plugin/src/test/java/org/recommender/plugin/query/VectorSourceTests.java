package org.recommender.plugin.query;

import org.opensearch.test.OpenSearchTestCase;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * A candidate's vector as a search hit returns it ({@code fields} of a vector field): an {@code embedding} field's
 * values were checked when indexed, a {@code knn_vector}'s are what the k-NN plugin stored, so each is checked again
 * like any vector read from a document — a value that is not a number was a {@link ClassCastException} (a 500), a
 * too large one an infinite score.
 */
public class VectorSourceTests extends OpenSearchTestCase {

    public void testAHitsValuesAreCheckedAsAnyVector() {
        assertArrayEquals(new float[] { 1f, -0.5f }, VectorSource.vector(List.<Object>of(1, -0.5), "items", "a", "kv"), 0f);
        assertNull(VectorSource.vector(List.<Object>of(), "items", "a", "kv"));
        assertNull(VectorSource.vector(null, "items", "a", "kv"));
        IllegalArgumentException text = expectThrows(IllegalArgumentException.class, () -> VectorSource.vector(List.<Object>of(1, "0.5"), "items", "a", "kv"));
        assertThat(text.getMessage(), equalTo("item [a] in index [items] field [kv] element [1] is not a number"));
        IllegalArgumentException huge = expectThrows(IllegalArgumentException.class, () -> VectorSource.vector(List.<Object>of(1e20, 1), "items", "a", "kv"));
        assertThat(huge.getMessage(), equalTo("item [a] in index [items] field [kv]: [kv] element [0] is 1.0E20; embedding elements must be at most 1.0E16 in magnitude, so that scores stay finite"));
        // the candidate searches' form: one float[] per hit, taken as it is and checked the same way
        float[] array = { 1f, -0.5f };
        assertSame(array, VectorSource.vector(List.<Object>of(array), "items", "a", "kv"));
        IllegalArgumentException hugeArray = expectThrows(
            IllegalArgumentException.class,
            () -> VectorSource.vector(List.<Object>of(new float[] { 1e20f, 1 }), "items", "a", "kv")
        );
        assertThat(hugeArray.getMessage(), equalTo(huge.getMessage()));
    }

    /**
     * A stored user document's {@code []} is no vector (OpenSearch indexes it as no value), so the user goes to cold
     * start or the fallback instead of a 400 for zero dimensions; an empty id in a stored list names no document and
     * is left out, where it failed every shard (OpenSearch refuses an empty id in any query) and the whole batch.
     */
    public void testAStoredEmptyVectorIsNoneAndEmptyIdsAreLeftOut() {
        assertNull(VectorSource.vector(Map.<String, Object>of("emb", List.of()), "emb", "user [u]"));
        assertArrayEquals(new float[] { 2f }, VectorSource.vector(Map.<String, Object>of("emb", List.of(2)), "emb", "user [u]"), 0f);
        Map<String, Object> user = new java.util.HashMap<>();
        user.put("seen", java.util.Arrays.asList("i1", "", null, " ", 7));
        assertThat(VectorSource.ids(user, "seen"), equalTo(List.of("i1", " ", "7")));
        assertThat(VectorSource.ids(Map.<String, Object>of("seen", ""), "seen"), equalTo(List.of()));
    }
}
