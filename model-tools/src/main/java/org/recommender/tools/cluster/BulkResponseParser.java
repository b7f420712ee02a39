package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code _bulk} response: the request as a whole succeeded, but each item carries its own status. Returns
 * the items that failed, so the indexer can retry the retryable ones and report the rest.
 */
public final class BulkResponseParser {
    private BulkResponseParser() {}

    /**
     * @param response the parsed body of a 200 {@code _bulk} response
     * @return the failed items, in request order; empty when {@code errors} is false
     */
    public static List<BulkItemFailure> failures(JsonNode response) {
        List<BulkItemFailure> failed = new ArrayList<>();
        if (response.path("errors").asBoolean(false) == false) {
            return failed;
        }
        for (JsonNode item : response.path("items")) {
            // each item is {"<action>": {...}}; the action is "index" here but read whichever is present
            JsonNode result = item.elements().hasNext() ? item.elements().next() : item;
            int status = result.path("status").asInt(0);
            if (status >= 200 && status < 300) {
                continue;
            }
            JsonNode error = result.path("error");
            // the innermost cause says what is wrong with the value; outer ones only say where
            while (error.path("caused_by").isObject()) {
                error = error.path("caused_by");
            }
            String reason = error.isObject()
                ? error.path("type").asText() + ": " + error.path("reason").asText()
                : error.asText("HTTP " + status);
            failed.add(new BulkItemFailure(result.path("_id").asText(), status, reason));
        }
        return failed;
    }
}
