package org.recommender.tools.cluster;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;

import java.io.IOException;

/**
 * The README's "Call it from your client" example, compiled and run: {@code _recommend} through opensearch-java's
 * generic client. {@code ReadmeExamplesIT} runs it against a real node and checks that the README shows this
 * method's body, line for line.
 */
final class RecommendClientExample {
    private RecommendClientExample() {}

    /** @return the JSON answer of one {@code _recommend} for user {@code u1} of the README's example indices */
    static String recommend(OpenSearchTransport transport) throws IOException {
        OpenSearchGenericClient generic = new OpenSearchClient(transport).generic();
        try (Response response = generic.execute(Requests.builder()
                .method("POST")
                .endpoint("/shop-items/_recommend")
                .json("{\"field\": \"embedding\", \"k\": 2, "
                    + "\"user\": {\"id\": \"u1\", \"index\": \"shop-users\", \"field\": \"embedding\"}}")
                .build())) {
            return response.getBody().map(Body::bodyAsString).orElseThrow();
        }
    }
}
