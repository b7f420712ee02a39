package org.recommender.plugin.query;

import org.apache.lucene.search.ScoreDoc;

/**
 * The best {@code k} (document, score) pairs offered so far, in two primitive arrays arranged as a binary min-heap:
 * no object per offer, and an offer that cannot enter costs one comparison. The order is the one exact top-k has
 * always used: a higher score is better, and of equal scores the smaller document id; a full heap takes a new hit
 * only when its score is strictly higher than the worst kept, so of hits tied at the cut the earliest offered stay.
 */
final class BoundedTopK {
    private final int[] docs;
    private final float[] scores;
    private int size;

    /** @param k how many hits to keep, at least 1 */
    BoundedTopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1 but was " + k);
        }
        this.docs = new int[k];
        this.scores = new float[k];
    }

    /**
     * @param doc a top-level document id
     * @param score its score
     */
    void offer(int doc, float score) {
        if (size < docs.length) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (worse(docs[parent], scores[parent], doc, score)) {
                    break;
                }
                docs[i] = docs[parent];
                scores[i] = scores[parent];
                i = parent;
            }
            docs[i] = doc;
            scores[i] = score;
        } else if (score > scores[0]) {
            siftDownFromRoot(doc, score);
        }
    }

    /** @return the kept hits, in no particular order */
    ScoreDoc[] toScoreDocs() {
        ScoreDoc[] out = new ScoreDoc[size];
        for (int i = 0; i < size; i++) {
            out[i] = new ScoreDoc(docs[i], scores[i]);
        }
        return out;
    }

    private void siftDownFromRoot(int doc, float score) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && worse(docs[child + 1], scores[child + 1], docs[child], scores[child])) {
                child++;
            }
            if (worse(doc, score, docs[child], scores[child])) {
                break;
            }
            docs[i] = docs[child];
            scores[i] = scores[child];
            i = child;
        }
        docs[i] = doc;
        scores[i] = score;
    }

    /** @return whether hit a ranks below hit b (lower score, or equal score and higher document id) */
    private static boolean worse(int docA, float scoreA, int docB, float scoreB) {
        int byScore = Float.compare(scoreA, scoreB);
        return byScore != 0 ? byScore < 0 : docA > docB;
    }
}
