package org.recommender.plugin.store;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.core.rest.RestStatus;

/**
 * A document in the store that is not a model the store wrote (it lacks a field, or its bundle does not decode):
 * 409 for requests that name that model, and skipped — never a failure — for every other model.
 */
public final class InvalidStoredModelException extends OpenSearchStatusException {
    /** @param why what is wrong with the document */
    public InvalidStoredModelException(String id, String why) {
        super(
            "model [" + id + "] in the store is not a valid stored model (" + why + "); delete it with DELETE /_plugins/_recommender/models/"
                + id + " and upload it again",
            RestStatus.CONFLICT
        );
    }
}
