package org.recommender.core.model;

import org.recommender.core.scoring.Activation;

/**
 * The shape and activation of one hidden layer as a bundle header declares it.
 *
 * @param inputs the input width; must equal the previous layer's outputs (or the model's input width)
 * @param outputs the output width
 * @param activation applied to every output
 */
record LayerSpec(int inputs, int outputs, Activation activation) {}
