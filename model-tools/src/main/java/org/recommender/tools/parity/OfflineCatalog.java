package org.recommender.tools.parity;

import org.recommender.core.io.EmbeddingEntry;
import org.recommender.core.io.EmbeddingReader;
import org.recommender.core.rank.TopK;
import org.recommender.core.vector.VectorSimilarity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Every item vector of a training output in memory, addressable by id: what the offline side of a parity check
 * scores. Also knows how the items index finds candidates (the field's similarity), so the offline reference can
 * follow the same candidate step the endpoint takes.
 */
public final class OfflineCatalog {
    private final List<String> ids;
    private final float[][] vectors;
    private final int dims;
    private final Map<String, Integer> positions;

    private OfflineCatalog(List<String> ids, float[][] vectors, int dims) {
        this.ids = ids;
        this.vectors = vectors;
        this.dims = dims;
        this.positions = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            positions.put(ids.get(i), i);
        }
    }

    /** Reads an embeddings file ({@code items.jsonl} or {@code history.jsonl} of a training output) of {@code dims}-dimensional vectors. */
    public static OfflineCatalog load(Path file, int dims) throws IOException {
        return load(file, dims, n -> {});
    }

    /** As {@link #load(Path, int)}, telling {@code vectorsRead} 1 after each vector, for progress on a large file. */
    public static OfflineCatalog load(Path file, int dims, LongConsumer vectorsRead) throws IOException {
        List<String> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        try (EmbeddingReader reader = new EmbeddingReader(file, dims)) {
            for (EmbeddingEntry e = reader.next(); e != null; e = reader.next()) {
                ids.add(e.id());
                vectors.add(e.vector());
                vectorsRead.accept(1);
            }
        }
        return new OfflineCatalog(List.copyOf(ids), vectors.toArray(float[][]::new), dims);
    }

    /** @return the dimension of every vector */
    public int dims() {
        return dims;
    }

    /** @return how many items */
    public int size() {
        return ids.size();
    }

    /** @return the item vectors, in file order */
    public float[][] vectors() {
        return vectors;
    }

    /** @return the id of item {@code position} */
    public String id(int position) {
        return ids.get(position);
    }

    /** @return the position of item {@code id}, or -1 if the catalog has no such item */
    public int position(String id) {
        Integer p = positions.get(id);
        return p == null ? -1 : p;
    }

    /**
     * @param user the user vector
     * @param similarity {@code dot_product} or {@code cosine}: the items field's similarity
     * @param n how many candidates
     * @return the positions of the {@code n} items most similar to {@code user}, as an exact candidate search finds them
     */
    public int[] nearest(float[] user, String similarity, int n) {
        VectorSimilarity measure = VectorSimilarity.fromName(similarity);
        VectorSimilarity.Prepared raw = measure.prepare(user);
        float[] scores = new float[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            scores[i] = measure.toScore(raw.raw(vectors[i])); // the transformed score ranks like the search does (l2: smaller is better)
        }
        return TopK.of(scores, n);
    }
}
