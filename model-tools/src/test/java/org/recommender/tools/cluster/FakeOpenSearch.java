package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.recommender.core.vector.VectorSimilarity;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory stand-in for the few OpenSearch endpoints model-tools uses, served over real HTTP so the opensearch-java
 * transport, content types and status handling are exercised: cluster info, index exists/create/mapping, _bulk,
 * _refresh, _count, _doc and a script_score search that scores with the plugin's dot transform. Failures can be
 * injected: whole-request statuses, per-document 429s (once) and per-document permanent 400s.
 */
public final class FakeOpenSearch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as received. */
    public record Received(String method, String path, String contentType, String body) {}

    private final HttpServer server;
    public final List<Received> requests = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, JsonNode> mappings = new ConcurrentHashMap<>();
    public final Map<String, Map<String, JsonNode>> documents = new ConcurrentHashMap<>();
    /** Each index's UUID, new whenever the index is created (or first asked for, for an index a test put in place). */
    public final Map<String, String> uuids = new ConcurrentHashMap<>();
    /** Statuses to answer the next _bulk requests with, before handling any normally. */
    public final Deque<Integer> bulkStatuses = new ArrayDeque<>();
    /** Document ids refused once with 429. */
    public final Set<String> busyOnce = new HashSet<>();
    /** Document ids always refused with 400. */
    public final Set<String> rejected = new HashSet<>();
    /** The model store: id → the stored {@code PUT} body and its version. */
    public final Map<String, JsonNode> models = new ConcurrentHashMap<>();
    /** When set, models read back with this bundle instead of the stored one (simulates another writer). */
    public volatile String replacedBundle;
    /** The _bulk request holding this document id is answered only after {@link #slowBulkMillis}. */
    public volatile String slowBulkId;
    /** How long the request with {@link #slowBulkId} takes. */
    public volatile long slowBulkMillis;
    /** How many _bulk requests had arrived when the slow one was answered. */
    public volatile long bulkRequestsWhenSlowAnswered = -1;
    /** _bulk requests after this many are refused with 400 (simulates a run that stops part-way). */
    public volatile long refuseBulkAfter = Long.MAX_VALUE;
    /** Documents _count under-reports by this many (simulates lost documents). */
    public volatile int countDeficit;

    /** Starts serving on a free local port. */
    public FakeOpenSearch() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // several handler threads, so concurrent clients really overlap (and a slow request does not hold up others)
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return the base URL */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** @return how many _bulk requests arrived */
    public long bulkRequests() {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().endsWith("/_bulk")).count();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Received(method, path, ex.getRequestHeaders().getFirst("Content-Type"), body));
        String[] parts = path.substring(1).split("/");
        String index = parts[0].isEmpty() ? null : URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        String action = parts.length > 1 ? parts[1] : "";
        try {
            if ("_plugins".equals(index) && parts.length == 4 && parts[1].equals("_recommender") && parts[2].equals("models")) {
                model(ex, method, URLDecoder.decode(parts[3], StandardCharsets.UTF_8), body);
            } else if (index == null) {
                reply(ex, 200, "{\"cluster_name\":\"fake\",\"version\":{\"distribution\":\"opensearch\",\"number\":\"3.6.0\"}}");
            } else if (method.equals("HEAD")) {
                reply(ex, mappings.containsKey(index) ? 200 : 404, null);
            } else if (method.equals("PUT") && action.isEmpty()) {
                mappings.put(index, JSON.readTree(body));
                documents.put(index, new ConcurrentHashMap<>());
                uuids.put(index, UUID.randomUUID().toString());
                reply(ex, 200, "{\"acknowledged\":true,\"index\":\"" + index + "\"}");
            } else if (method.equals("DELETE") && action.isEmpty()) {
                mappings.remove(index);
                documents.remove(index);
                uuids.remove(index);
                reply(ex, 200, "{\"acknowledged\":true}");
            } else if (mappings.containsKey(index) == false) {
                reply(ex, 404, "{\"error\":{\"root_cause\":[{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [" + index
                    + "]\"}],\"type\":\"index_not_found_exception\",\"reason\":\"no such index [" + index + "]\"},\"status\":404}");
            } else if (action.equals("_mapping") && method.equals("PUT")) {
                ObjectNode properties = (ObjectNode) mappings.get(index).path("mappings").path("properties");
                JSON.readTree(body).path("properties").properties().forEach(f -> properties.set(f.getKey(), f.getValue()));
                reply(ex, 200, "{\"acknowledged\":true}");
            } else if (action.equals("_mapping")) {
                reply(ex, 200, JSON.writeValueAsString(Map.of(index, Map.of("mappings", mappings.get(index).path("mappings")))));
            } else if (action.equals("_settings") && method.equals("GET")) {
                reply(ex, 200, JSON.writeValueAsString(Map.of(index, Map.of("settings", Map.of("index", Map.of("uuid", uuids.computeIfAbsent(index, i -> UUID.randomUUID().toString())))))));
            } else if (action.equals("_bulk")) {
                bulk(ex, index, body);
            } else if (action.equals("_refresh")) {
                reply(ex, 200, "{\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}");
            } else if (action.equals("_count")) {
                reply(ex, 200, "{\"count\":" + (documents.get(index).size() - countDeficit) + "}");
            } else if (action.equals("_doc")) {
                String id = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
                JsonNode doc = documents.get(index).get(id);
                reply(ex, doc == null ? 404 : 200, doc == null
                    ? "{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\",\"found\":false}"
                    : JSON.writeValueAsString(Map.of("_index", index, "_id", id, "found", true, "_source", doc)));
            } else if (action.equals("_search")) {
                search(ex, index, JSON.readTree(body));
            } else {
                reply(ex, 400, "{\"error\":\"unsupported " + method + " " + path + "\"}");
            }
        } catch (RuntimeException e) {
            reply(ex, 500, "{\"error\":\"" + e + "\"}");
        }
    }

    /** The plugin's model store, enough for upload: PUT stores a new version, GET reads it with its bundle. */
    private void model(HttpExchange ex, String method, String id, String body) throws IOException {
        if (method.equals("PUT")) {
            JsonNode request = JSON.readTree(body);
            byte[] bytes = java.util.Base64.getDecoder().decode(request.path("bundle").asText());
            org.recommender.core.model.ModelBundle bundle;
            try {
                bundle = org.recommender.core.model.ModelBundle.parse(bytes);
            } catch (RuntimeException e) {
                reply(ex, 400, "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"[bundle] of model [" + id + "] is invalid\"},\"status\":400}");
                return;
            }
            long version = models.containsKey(id) ? models.get(id).path("version").asLong() + 1 : 1;
            models.put(id, JSON.createObjectNode().put("version", version).put("bundle", request.path("bundle").asText()).put("checksum", bundle.checksum()));
            reply(ex, version == 1 ? 201 : 200, "{\"_id\":\"" + id + "\",\"_version\":" + version + ",\"result\":\"" + (version == 1 ? "created" : "updated") + "\"}");
        } else if (method.equals("GET") && models.containsKey(id)) {
            JsonNode stored = models.get(id);
            String bundle = replacedBundle != null ? replacedBundle : stored.path("bundle").asText();
            reply(ex, 200, "{\"_id\":\"" + id + "\",\"_version\":" + stored.path("version").asLong() + ",\"checksum\":\"" + stored.path("checksum").asText()
                + "\",\"bundle\":\"" + bundle + "\"}");
        } else {
            reply(ex, 404, "{\"error\":{\"type\":\"resource_not_found_exception\",\"reason\":\"model [" + id + "] not found\"},\"status\":404}");
        }
    }

    private void bulk(HttpExchange ex, String index, String body) throws IOException {
        if (slowBulkId != null && body.contains("{\"_id\":\"" + slowBulkId + "\"}")) {
            try {
                Thread.sleep(slowBulkMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bulkRequestsWhenSlowAnswered = bulkRequests();
        }
        if (bulkRequests() > refuseBulkAfter) {
            reply(ex, 400, "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"injected refusal\"},\"status\":400}");
            return;
        }
        Integer status = bulkStatuses.poll();
        if (status != null) {
            reply(ex, status, "{\"error\":{\"type\":\"rejected_execution_exception\",\"reason\":\"injected " + status + "\"},\"status\":" + status + "}");
            return;
        }
        String[] lines = body.split("\n");
        ArrayNode items = JSON.createArrayNode();
        boolean errors = false;
        for (int l = 0; l + 1 < lines.length; l += 2) {
            JsonNode action = JSON.readTree(lines[l]);
            boolean update = action.has("update");
            String id = action.path(update ? "update" : "index").path("_id").asText();
            ObjectNode result = items.addObject().putObject(update ? "update" : "index");
            result.put("_id", id);
            if (rejected.contains(id)) {
                result.put("status", 400);
                result.putObject("error").put("type", "mapper_parsing_exception").put("reason", "[embedding] has 3 dimensions but 4 were expected");
                errors = true;
            } else if (busyOnce.remove(id)) {
                result.put("status", 429);
                result.putObject("error").put("type", "es_rejected_execution_exception").put("reason", "queue full");
                errors = true;
            } else {
                JsonNode source = JSON.readTree(lines[l + 1]);
                JsonNode existing = documents.get(index).get(id);
                if (update && existing != null) {
                    ObjectNode merged = ((ObjectNode) existing).deepCopy();
                    source.path("doc").properties().forEach(f -> merged.set(f.getKey(), f.getValue()));
                    documents.get(index).put(id, merged);
                    result.put("status", 200);
                } else {
                    documents.get(index).put(id, update ? source.path("doc") : source);
                    result.put("status", 201);
                }
            }
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("took", 1);
        response.put("errors", errors);
        response.set("items", items);
        reply(ex, 200, JSON.writeValueAsString(response));
    }

    private void search(HttpExchange ex, String index, JsonNode request) throws IOException {
        JsonNode script = request.path("query").path("script_score").path("script");
        String field = script.path("params").path("field").asText();
        JsonNode v = script.path("params").path("vector");
        float[] query = new float[v.size()];
        for (int i = 0; i < query.length; i++) {
            query[i] = v.get(i).floatValue();
        }
        VectorSimilarity similarity = script.path("source").asText().equals("cosine") ? VectorSimilarity.COSINE : VectorSimilarity.DOT_PRODUCT;
        Map<String, Double> scores = new LinkedHashMap<>();
        documents.get(index).forEach((id, doc) -> {
            JsonNode e = doc.path(field);
            float[] item = new float[e.size()];
            for (int i = 0; i < item.length; i++) {
                item[i] = e.get(i).floatValue();
            }
            scores.put(id, (double) similarity.score(query, item));
        });
        ArrayNode hits = JSON.createArrayNode();
        scores.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(request.path("size").asInt(10))
            .forEach(e -> hits.addObject().put("_index", index).put("_id", e.getKey()).put("_score", e.getValue()));
        ObjectNode response = JSON.createObjectNode();
        response.putObject("hits").set("hits", hits);
        reply(ex, 200, JSON.writeValueAsString(response));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        if (ex.getRequestMethod().equals("HEAD") || bytes.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }
}
