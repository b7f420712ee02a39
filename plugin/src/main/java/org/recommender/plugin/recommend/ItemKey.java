package org.recommender.plugin.recommend;

/** An item across the request's indices: two indices may hold the same id. */
record ItemKey(String index, String id) {}
