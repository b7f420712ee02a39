package org.recommender.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * End-to-end latency of {@code _recommend} against a running node, next to a plain approximate kNN search for the
 * same vectors in the same run, `_recommend` with a SASRec-encoded history beside the same request with a stored vector,
 * and `_recommend` with exact candidates (every item scored) beside a plain exact search. Indexes {@code items} synthetic items and {@code users} users (d-dim, seeded) unless
 * the indices already hold them, uploads a seeded NeuMF model, then drives each workload at a fixed concurrency for
 * a fixed time and prints p50 / p99 latency and throughput as a markdown table; then drives the NeuMF + MMR
 * workload once more with {@code "profile": true} and prints, per stage, the mean over all requests beside the mean
 * over the slowest 1 % (where its tail goes). Run by
 * {@code benchmarks/recommend-bench.sh}, which starts the node.
 *
 * <pre>
 *   RecommendEndpointBenchmark URL ITEMS USERS DIMS CONCURRENCY SECONDS CANDIDATES
 * </pre>
 */
public final class RecommendEndpointBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BULK = 2_000;
    /** History items a SASRec-encoded user sends. */
    private static final int HISTORY = 50;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private final int dims;

    private RecommendEndpointBenchmark(String url, int dims) {
        this.url = url;
        this.dims = dims;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int items = Integer.parseInt(args[1]);
        int users = Integer.parseInt(args[2]);
        int dims = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int candidates = Integer.parseInt(args[6]);
        RecommendEndpointBenchmark bench = new RecommendEndpointBenchmark(url, dims);
        bench.ensureIndex("items", items, 'i', 1);
        bench.ensureIndex("users", users, 'u', 2);
        bench.send("PUT", "/_plugins/_recommender/models/bench-neumf",
            "{\"bundle\":\"" + Base64.getEncoder().encodeToString(RandomModels.neumf(dims, new int[] { 64, 32 }, 5).toBytes()) + "\"}");

        bench.send("PUT", "/_plugins/_recommender/models/bench-dot", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(ModelBundle.dot(dims).toBytes()) + "\"}");
        // issue 17's setting: SASRec with 2 blocks and 2 heads over the latest 50 items
        bench.send("PUT", "/_plugins/_recommender/models/bench-sasrec", "{\"bundle\":\""
            + Base64.getEncoder().encodeToString(RandomModels.sasrec(dims, HISTORY, 2, 2, dims, 7).toBytes()) + "\"}");

        IntFunction<String> user = n -> "u" + new SplittableRandom(n).nextInt(users);
        IntFunction<String> history = n -> {
            SplittableRandom random = new SplittableRandom(n);
            StringBuilder ids = new StringBuilder();
            for (int h = 0; h < HISTORY; h++) {
                ids.append(h == 0 ? "\"i" : ",\"i").append(random.nextInt(items)).append('"');
            }
            return "[" + ids + "]";
        };
        List<Workload> workloads = List.of(
            new Workload("approximate kNN `_search` (`embedding_knn`, k = 10, num_candidates = " + candidates + ", inline user vector)", "POST", "/items/_search",
                n -> "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":10,\"num_candidates\":" + candidates
                    + ",\"user\":{\"vector\":" + Arrays.toString(vector(new SplittableRandom(n), dims)) + "}}}}"),
            new Workload("approximate kNN `_search`, user looked up (`embedding_knn` with `user.id`)", "POST", "/items/_search",
                n -> "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":10,\"num_candidates\":" + candidates
                    + ",\"user\":{\"id\":\"" + user.apply(n) + "\",\"index\":\"users\",\"field\":\"emb\"}}}}"),
            new Workload("`_recommend`: user lookup + knn " + candidates + " + NeuMF + MMR (λ 0.7), k = 10", "POST", "/items/_recommend",
                n -> "{\"field\":\"emb\",\"k\":10,\"model\":\"bench-neumf\",\"_source\":false,\"user\":{\"id\":\"" + user.apply(n)
                    + "\",\"index\":\"users\",\"field\":\"emb\"},\"candidates\":{\"knn\":{\"num_candidates\":" + candidates
                    + "}},\"diversity\":{\"mmr\":{\"lambda\":0.7}}}"),
            new Workload("`_recommend`: stored user vector + knn " + candidates + " + dot, k = 10", "POST", "/items/_recommend",
                n -> "{\"field\":\"emb\",\"k\":10,\"model\":\"bench-dot\",\"_source\":false,\"user\":{\"id\":\"" + user.apply(n)
                    + "\",\"index\":\"users\",\"field\":\"emb\"},\"candidates\":{\"knn\":{\"num_candidates\":" + candidates + "}}}"),
            new Workload("`_recommend`: " + HISTORY + "-item history encoded by SASRec (2 blocks) + knn " + candidates + " + dot, k = 10", "POST",
                "/items/_recommend",
                n -> "{\"field\":\"emb\",\"k\":10,\"model\":\"bench-dot\",\"_source\":false,\"user\":{\"history\":" + history.apply(n)
                    + ",\"index\":\"items\",\"field\":\"emb\",\"encoder\":\"bench-sasrec\"},\"candidates\":{\"knn\":{\"num_candidates\":"
                    + candidates + "}}}"),
            new Workload("exact `_search` over every item (`embedding_knn`, `exact`, k = 10, inline user vector)", "POST", "/items/_search",
                n -> "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":10,\"exact\":true"
                    + ",\"user\":{\"vector\":" + Arrays.toString(vector(new SplittableRandom(n), dims)) + "}}}}"),
            new Workload("`_recommend`: stored user vector + exact over every item + dot, k = 10", "POST", "/items/_recommend",
                n -> "{\"field\":\"emb\",\"k\":10,\"model\":\"bench-dot\",\"_source\":false,\"user\":{\"id\":\"" + user.apply(n)
                    + "\",\"index\":\"users\",\"field\":\"emb\"},\"candidates\":{\"knn\":{\"exact\":true}}}")
        );
        for (Workload w : workloads) {
            bench.drive(w, concurrency, Math.max(3, seconds / 5)); // warm-up: JIT, caches, model compile
        }
        System.out.printf(Locale.ROOT, "%n| workload | requests | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) |%n|---|---:|---:|---:|---:|---:|%n");
        double[] p99 = new double[workloads.size()];
        double[] p50 = new double[workloads.size()];
        for (int i = 0; i < workloads.size(); i++) {
            Result r = bench.drive(workloads.get(i), concurrency, seconds);
            p99[i] = r.percentile(0.99);
            p50[i] = r.percentile(0.5);
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f |%n", workloads.get(i).name, r.latencies.length, r.throughput(),
                r.percentile(0.5), r.percentile(0.99), r.percentile(1.0));
        }
        System.out.printf(Locale.ROOT, "%np99 of `_recommend` / p99 of plain kNN (inline vector): %.2f×%n", p99[2] / p99[0]);
        System.out.printf(Locale.ROOT, "p50 of `_recommend` with a SASRec-encoded history / with a stored vector (same candidates and model): %.2f×%n",
            p50[4] / p50[3]);
        System.out.printf(Locale.ROOT, "p99 of `_recommend` with exact candidates / p99 of the plain exact `_search`: %.2f×%n", p99[6] / p99[5]);
        bench.stages(workloads.get(2), concurrency, seconds);
    }

    /**
     * Drives {@code workload} again with {@code "profile": true} and prints where its time goes: per stage of
     * {@code _recommend} (the response's {@code profile}), the node's {@code took} and the client's round trip, the
     * mean over all requests beside the mean over the slowest 1 % (by round trip) — which stages the tail comes from.
     */
    private void stages(Workload workload, int concurrency, int seconds) throws Exception {
        Workload profiled = new Workload(workload.name, workload.method, workload.path, n -> "{\"profile\":true," + workload.body.apply(n).substring(1));
        List<Sample> samples = new ArrayList<>();
        for (List<Sample> part : run(profiled, concurrency, seconds, true)) {
            samples.addAll(part);
        }
        samples.sort((a, b) -> Double.compare(a.millis, b.millis));
        List<Sample> tail = samples.subList(samples.size() - Math.max(1, samples.size() / 100), samples.size());
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            JsonNode response = JSON.readTree(samples.get(i).body);
            Iterator<Map.Entry<String, JsonNode>> stages = response.path("profile").fields();
            while (stages.hasNext()) {
                Map.Entry<String, JsonNode> stage = stages.next();
                rows.computeIfAbsent(stage.getKey().replace("_in_nanos", ""), k -> new double[samples.size()])[i] = stage.getValue().asLong() / 1e6;
            }
            rows.computeIfAbsent("node `took`", k -> new double[samples.size()])[i] = response.path("took").asDouble();
            rows.computeIfAbsent("client round trip", k -> new double[samples.size()])[i] = samples.get(i).millis;
        }
        System.out.printf(Locale.ROOT, "%n%d requests of %s with `\"profile\": true`, at %d client(s):%n%n", samples.size(), workload.name, concurrency);
        System.out.printf(Locale.ROOT, "| stage | mean, all requests (ms) | mean, slowest 1 %% (%d, by round trip) (ms) | p99 of the stage (ms) |%n|---|---:|---:|---:|%n", tail.size());
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            double[] values = row.getValue();
            double all = Arrays.stream(values).average().orElse(0);
            double slowest = Arrays.stream(values, samples.size() - tail.size(), samples.size()).average().orElse(0);
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.99 * sorted.length) - 1)];
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", row.getKey(), all, slowest, p99);
        }
    }

    private record Sample(double millis, String body) {}

    private record Workload(String name, String method, String path, IntFunction<String> body) {}

    private record Result(double[] latencies, double seconds) {
        double percentile(double p) {
            return latencies[Math.min(latencies.length - 1, (int) Math.ceil(p * latencies.length) - 1)];
        }

        double throughput() {
            return latencies.length / seconds;
        }
    }

    private Result drive(Workload workload, int concurrency, int seconds) throws Exception {
        long start = System.nanoTime();
        List<List<Sample>> parts = run(workload, concurrency, seconds, false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] sorted = parts.stream().flatMap(List::stream).mapToDouble(Sample::millis).sorted().toArray();
        return new Result(sorted, elapsed);
    }

    /** @return each client's samples: round trip in ms, and the response body when {@code keepBodies} */
    private List<List<Sample>> run(Workload workload, int concurrency, int seconds, boolean keepBodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong sequence = new AtomicLong();
        List<Future<List<Sample>>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            futures.add(pool.submit(() -> {
                List<Sample> samples = new ArrayList<>();
                while (System.nanoTime() < end) {
                    String body = workload.body.apply((int) sequence.incrementAndGet());
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = send(workload.method, workload.path, body);
                    double millis = (System.nanoTime() - t0) / 1e6;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(workload.name + " failed: " + response.statusCode() + " " + response.body());
                    }
                    samples.add(new Sample(millis, keepBodies ? response.body() : null));
                }
                return samples;
            }));
        }
        List<List<Sample>> parts = new ArrayList<>();
        for (Future<List<Sample>> f : futures) {
            parts.add(f.get());
        }
        pool.shutdown();
        return parts;
    }

    /** Creates and fills {@code index} with {@code count} seeded vectors unless it already holds that many. */
    private void ensureIndex(String index, int count, char prefix, long seed) throws Exception {
        HttpResponse<String> existing = send("GET", "/" + index + "/_count", null);
        if (existing.statusCode() == 200 && JSON.readTree(existing.body()).path("count").asLong() == count) {
            System.out.printf(Locale.ROOT, "%s: %d documents already indexed%n", index, count);
            return;
        }
        send("DELETE", "/" + index, null);
        check(send("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"-1\"},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + dims + ",\"index\":" + (prefix == 'i') + "}}}}"));
        long start = System.nanoTime();
        int threads = 2;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                for (int from = first * BULK; from < count; from += threads * BULK) {
                    StringBuilder bulk = new StringBuilder();
                    for (int i = from; i < Math.min(count, from + BULK); i++) {
                        bulk.append("{\"index\":{\"_id\":\"").append(prefix).append(i).append("\"}}\n{\"emb\":")
                            .append(Arrays.toString(vector(new SplittableRandom(seed * 1_000_003L + i), dims))).append("}\n");
                    }
                    HttpResponse<String> response = send("POST", "/" + index + "/_bulk", bulk.toString());
                    if (response.statusCode() != 200 || JSON.readTree(response.body()).path("errors").asBoolean()) {
                        throw new IllegalStateException("bulk failed: " + response.body().substring(0, Math.min(500, response.body().length())));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double indexSeconds = (System.nanoTime() - start) / 1e9;
        check(send("PUT", "/" + index + "/_settings", "{\"refresh_interval\":\"1s\"}"));
        long mergeStart = System.nanoTime();
        check(send("POST", "/" + index + "/_forcemerge?max_num_segments=1", null));
        check(send("POST", "/" + index + "/_refresh", null));
        System.out.printf(Locale.ROOT, "%s: %d documents indexed in %.0f s (%.0f docs/s), force-merged to one segment in %.0f s%n", index, count,
            indexSeconds, count / indexSeconds, (System.nanoTime() - mergeStart) / 1e9);
    }

    private static float[] vector(SplittableRandom random, int dims) {
        float[] v = new float[dims];
        for (int d = 0; d < dims; d++) {
            v[d] = (float) (random.nextGaussian() / Math.sqrt(dims));
        }
        return v;
    }

    private void check(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(60))
            .header("Content-Type", path.endsWith("_bulk") ? "application/x-ndjson" : "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
