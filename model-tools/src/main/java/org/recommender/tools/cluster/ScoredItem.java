package org.recommender.tools.cluster;

/**
 * One recommended item.
 *
 * @param id the item's document id (its original id)
 * @param score the score OpenSearch returned
 */
public record ScoredItem(String id, double score) {}
