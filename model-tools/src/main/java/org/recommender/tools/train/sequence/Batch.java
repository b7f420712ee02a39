package org.recommender.tools.train.sequence;

/**
 * One minibatch of left-padded windows, flattened row-major ({@code rows × length}): position {@code length − 1}
 * holds each window's newest input item.
 *
 * @param rows windows in the batch
 * @param length the window length M (the model's {@code max_length})
 * @param inputs item index per position; padding positions hold 0 (any item would do: they are never read)
 * @param padding per window, how many leading positions are padding
 * @param targets per position, the next item (what the input at that position should predict); 0 on padding
 * @param weights per position, the share of the batch loss (1 / real positions) or 0 on padding, so padding never
 *     contributes loss and the loss is the mean over real positions
 */
public record Batch(int rows, int length, int[] inputs, int[] padding, int[] targets, float[] weights) {}
