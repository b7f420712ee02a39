package org.recommender.plugin.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSearch node in its own process, started from the unpacked Maven Central distribution with the built
 * plugin zip (and any other plugin a test names, such as k-NN) installed by {@code bin/opensearch-plugin}, listening
 * on 127.0.0.1 only.
 */
public final class RealNode implements AutoCloseable {
    private final Path home;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The HTTP port on 127.0.0.1. */
    public final int httpPort;

    private RealNode(Path home, Process process, int httpPort) {
        this.home = home;
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * Starts a node from the distribution, zip and work folder the build passes to the end-to-end tests
     * ({@code recommender.e2e.*} system properties).
     *
     * @param workSuffix appended to the work folder, so several test classes each get a node of their own
     */
    public static RealNode fromBuild(String workSuffix, Path... otherPlugins) throws Exception {
        List<Path> plugins = new ArrayList<>(List.of(otherPlugins));
        plugins.add(Path.of(System.getProperty("recommender.e2e.plugin.zip")));
        return start(
            Path.of(System.getProperty("recommender.e2e.distribution")),
            plugins,
            Path.of(System.getProperty("recommender.e2e.work") + workSuffix)
        );
    }

    /** Copies the distribution to {@code work}, installs {@code pluginZip}, starts the node and waits for HTTP. */
    public static RealNode start(Path distribution, Path pluginZip, Path work) throws Exception {
        return start(distribution, List.of(pluginZip), work);
    }

    /** The same with several plugins, installed in order (another plugin first, ours last). */
    public static RealNode start(Path distribution, List<Path> pluginZips, Path work) throws Exception {
        Path home = work.resolve("opensearch");
        deleteRecursively(work);
        Files.createDirectories(work);
        copyRecursively(distribution, home);
        String javaHome = System.getProperty("java.home");
        for (Path pluginZip : pluginZips) {
            run(home, javaHome, List.of(home.resolve("bin/opensearch-plugin").toString(), "install", "--batch", pluginZip.toUri().toString()));
        }

        // a free port can be taken by another process's outgoing connection before the node binds it: try new ports
        for (int attempt = 1;; attempt++) {
            try {
                return launch(home, javaHome, work);
            } catch (PortTakenException e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException("node could not bind its ports in " + PORT_ATTEMPTS + " attempts:\n" + e.getMessage());
                }
            }
        }
    }

    /** How often the node is started with new ports when a chosen one was taken meanwhile. */
    private static final int PORT_ATTEMPTS = 3;

    /** The node exited because a port it was given was in use. */
    private static final class PortTakenException extends Exception {
        PortTakenException(String output) {
            super(output);
        }
    }

    private static RealNode launch(Path home, String javaHome, Path work) throws Exception {
        int httpPort = freePort();
        int transportPort = freePort();
        List<String> command = new ArrayList<>(
            List.of(
                home.resolve("bin/opensearch").toString(),
                "-E", "network.host=127.0.0.1",
                "-E", "discovery.type=single-node",
                "-E", "http.port=" + httpPort,
                "-E", "transport.port=" + transportPort,
                "-E", "path.data=" + work.resolve("data"),
                "-E", "path.logs=" + work.resolve("logs"),
                "-E", "cluster.name=recommender-e2e"
            )
        );
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("node.out").toFile());
        builder.environment().put("OPENSEARCH_JAVA_HOME", javaHome);
        builder.environment().put("OPENSEARCH_JAVA_OPTS", "-Xms1g -Xmx1g");
        builder.environment().remove("JAVA_HOME");
        RealNode node = new RealNode(home, builder.start(), httpPort);
        try {
            node.awaitHttp(Duration.ofSeconds(180), work);
        } catch (IllegalStateException e) {
            if (node.process.isAlive() == false && e.getMessage().contains("Address already in use")) {
                throw new PortTakenException(e.getMessage());
            }
            throw e;
        }
        return node;
    }

    private void awaitHttp(Duration timeout, Path work) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process.isAlive() == false) {
                throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + tail(work.resolve("node.out")));
            }
            try {
                if (request("GET", "/_cluster/health?wait_for_status=yellow&timeout=1s", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("node did not answer within " + timeout + ":\n" + tail(work.resolve("node.out")));
    }

    /** Sends a request with an optional JSON (or NDJSON for _bulk) body. */
    public HttpResponse<String> request(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(build(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request without waiting for its answer (for concurrent requests). */
    public java.util.concurrent.CompletableFuture<HttpResponse<String>> requestAsync(String method, String path, String body) {
        return http.sendAsync(build(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest build(String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String type = path.contains("_bulk") ? "application/x-ndjson" : "application/json";
            builder.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the node shuts down cleanly
        if (process.waitFor(60, TimeUnit.SECONDS) == false) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void run(Path home, String javaHome, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("OPENSEARCH_JAVA_HOME", javaHome);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) throws IOException {
        if (Files.exists(file) == false) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(source -> {
                Path target = to.resolve(from.relativize(source).toString());
                try {
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir) == false) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
