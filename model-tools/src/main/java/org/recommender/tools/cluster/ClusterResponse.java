package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP response from OpenSearch: status and body bytes.
 *
 * @param status the HTTP status
 * @param body the body, empty when there was none
 */
public record ClusterResponse(int status, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return whether the status is 2xx */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * @return the body parsed as JSON
     * @throws ClusterException when the body is not JSON
     */
    public JsonNode json() throws ClusterException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ClusterException("OpenSearch answered " + status + " with a body that is not JSON: " + preview(), e);
        }
    }

    /**
     * @return OpenSearch's error as {@code type: reason} (the root cause's when there is one), or the start of
     *     the body when it is not an OpenSearch error
     */
    public String errorSummary() {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            JsonNode root = error.path("root_cause").path(0);
            JsonNode cause = root.isMissingNode() ? error : root;
            if (cause.has("type")) {
                return cause.path("type").asText() + ": " + cause.path("reason").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON; fall through to the raw preview
        }
        return body.length == 0 ? "HTTP " + status : preview();
    }

    private String preview() {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
