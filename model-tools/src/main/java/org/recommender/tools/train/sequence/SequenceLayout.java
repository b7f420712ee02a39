package org.recommender.tools.train.sequence;

import java.util.Map;

/**
 * Where each weight block of a hand-written sequence network lies in its one flat parameter vector, and the shapes
 * the model-independent part of the network ({@link SequenceNetwork}) needs: the item table first
 * ({@link FlatBlocks#ITEMS}), then the encoder bundle's blocks under their bundle names and in bundle order.
 */
interface SequenceLayout {
    /** @return every block's {offset, length}, item table first, then bundle order */
    Map<String, int[]> blocksByName();

    /** @return the length of the flat parameter vector */
    int size();

    /** @return d, the item (and user) vector width: the item table's row width */
    int dims();

    /** @return M, the window length */
    int maxLength();
}
