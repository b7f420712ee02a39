package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.recommender.plugin.e2e.RealNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Use it" section, run verbatim against a real node (the build's release, the built zip installed):
 * every request of its JSON blocks, in order, through opensearch-java's generic client, on a node that already holds
 * what {@code bin/quickstart} leaves behind ({@code items} of 32 dimensions, {@code users}) — each answers 2xx, and
 * {@code _recommend}'s ranking equals a double-precision dot product over the README's own vectors. Then the README's
 * Java example ({@link RecommendClientExample}) answers the same, and the README shows that example's code.
 */
class ReadmeExamplesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path README = Path.of(System.getProperty("recommender.repo.root", ".."), "README.md");
    private static final Pattern REQUEST_LINE = Pattern.compile("^(GET|PUT|POST|DELETE) (\\S+)$");

    private static RealNode node;
    private static OpenSearchTransport transport;
    private static OpenSearchGenericClient client;

    @BeforeAll
    static void startNode() throws Exception {
        node = RealNode.fromBuild("-readme");
        transport = ApacheHttpClient5TransportBuilder.builder(new HttpHost("http", "127.0.0.1", node.httpPort)).build();
        client = new OpenSearchClient(transport).generic();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private record HttpCall(String method, String path, String body) {}

    /** The requests of the README's JSON blocks between "## Use it" and the next section's client note. */
    private static List<HttpCall> readmeRequests(String readme) {
        String section = readme.substring(readme.indexOf("## Use it"), readme.indexOf("### Call it from your client"));
        List<HttpCall> calls = new ArrayList<>();
        Matcher blocks = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (blocks.find()) {
            String method = null;
            String path = null;
            StringBuilder body = new StringBuilder();
            for (String line : (blocks.group(1) + "\n").split("\n", -1)) {
                Matcher request = REQUEST_LINE.matcher(line);
                if (request.matches() || line.isBlank()) {
                    if (method != null) {
                        calls.add(new HttpCall(method, path, body.toString().strip()));
                        method = null;
                    }
                    if (request.matches()) {
                        method = request.group(1);
                        path = request.group(2);
                        body.setLength(0);
                    }
                } else {
                    assertTrue(method != null, "a README line outside a request: " + line);
                    body.append(line).append('\n');
                }
            }
        }
        return calls;
    }

    private static JsonNode send(String method, String path, String body) throws IOException {
        int question = path.indexOf('?');
        var request = Requests.builder().method(method).endpoint(question < 0 ? path : path.substring(0, question));
        if (question >= 0) {
            Map<String, String> query = new HashMap<>();
            for (String pair : path.substring(question + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            request.query(query);
        }
        if (body.isEmpty() == false) {
            request.json(body);
        }
        try (Response response = client.execute(request.build())) {
            String text = response.getBody().map(Body::bodyAsString).orElse("{}");
            assertTrue(response.getStatus() / 100 == 2, method + " " + path + " answered " + response.getStatus() + ": " + text);
            return JSON.readTree(text);
        }
    }

    private static List<String> ids(JsonNode recommend) {
        List<String> ids = new ArrayList<>();
        recommend.path("items").forEach(item -> ids.add(item.path("_id").asText()));
        return ids;
    }

    @Test
    void theReadmeRunsAsWrittenBesideTheQuickstartsIndices() throws Exception {
        // what the quickstart leaves: the README must not collide with it
        send("PUT", "/items", "{\"mappings\": {\"properties\": {\"embedding\": {\"type\": \"embedding\", \"dims\": 32}}}}");
        send("PUT", "/users", "{\"mappings\": {\"properties\": {\"embedding\": {\"type\": \"embedding\", \"dims\": 32}}}}");

        String readme = Files.readString(README, StandardCharsets.UTF_8);
        List<HttpCall> calls = readmeRequests(readme);
        assertTrue(calls.size() >= 12, "the README's requests: " + calls);
        Map<String, double[]> items = new HashMap<>();
        double[] user = null;
        List<List<String>> recommended = new ArrayList<>();
        List<JsonNode> recommendAnswers = new ArrayList<>();
        for (HttpCall call : calls) {
            JsonNode answer = send(call.method(), call.path(), call.body());
            if (call.path().startsWith("/shop-items/_doc/")) {
                items.put(call.path().replaceAll("^/shop-items/_doc/([^?]+).*$", "$1"), vector(JSON.readTree(call.body()).path("embedding")));
            } else if (call.path().startsWith("/shop-users/_doc/u1")) {
                user = vector(JSON.readTree(call.body()).path("embedding"));
            } else if (call.path().endsWith("/_recommend")) {
                recommended.add(ids(answer));
                recommendAnswers.add(answer);
            }
        }
        assertEquals(2, recommended.size(), "the README's _recommend calls");

        // the reference: items u1 has not seen, by a double-precision dot product, best first
        double[] u = user;
        List<String> expected = items.keySet()
            .stream()
            .filter(id -> id.equals("item-1") == false)
            .sorted(Comparator.comparingDouble((String id) -> -dot(u, items.get(id))))
            .limit(2)
            .toList();
        assertEquals(expected, recommended.get(0), "_recommend without a model ranks by the field's dot product");
        assertEquals(
            expected.stream().sorted().toList(),
            recommended.get(1).stream().sorted().toList(),
            "_recommend with the model returns the unseen items"
        );
        // and scores them with the uploaded cosine model, not the field's dot product (the vectors are not unit length)
        for (JsonNode item : recommendAnswers.get(1).path("items")) {
            JsonNode explanation = item.path("_explanation");
            assertTrue(explanation.path("scored_by").asText().contains("shop-ranker"), explanation.toString());
            double cosine = dot(u, items.get(item.path("_id").asText())) / Math.sqrt(dot(u, u) * dot(items.get(item.path("_id").asText()),
                items.get(item.path("_id").asText())));
            assertEquals(cosine, explanation.path("score").asDouble(), 1e-5, "the model's score of " + item.path("_id").asText());
        }

        // the Java example (no exclusions) answers the best two of all items
        List<String> best = items.keySet().stream().sorted(Comparator.comparingDouble((String id) -> -dot(u, items.get(id)))).limit(2).toList();
        assertEquals(best, ids(JSON.readTree(RecommendClientExample.recommend(transport))));
    }

    @Test
    void theReadmeShowsTheJavaExampleAsItIs() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("### Call it from your client.*?```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "the README's Java example");
        String source = Files.readString(
            Path.of("src/test/java/org/recommender/tools/cluster/RecommendClientExample.java"),
            StandardCharsets.UTF_8
        );
        String body = source.substring(source.indexOf("static String recommend("));
        body = body.substring(body.indexOf('\n') + 1, body.indexOf("\n    }\n"));
        assertEquals(body.stripIndent().strip(), block.group(1).stripIndent().strip());
    }

    private static double[] vector(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
