package org.recommender.tools.cluster;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.opensearch.client.transport.httpclient5.ResponseException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One OpenSearch endpoint, spoken to through opensearch-java's generic client. The typed API cannot express this
 * project's {@code embedding} field type or its script language, and raw JSON keeps the requests exactly as the
 * docs show them. Every request goes through {@link #send}, which retries connection errors, 429 and transient
 * 5xx responses according to a {@link RetryPolicy}, announcing each retry ({@link #backOff}).
 */
public final class OpenSearchConnection implements Closeable {
    /** The content type of JSON bodies. */
    public static final String JSON = "application/json";
    /** The content type of bulk bodies. */
    public static final String NDJSON = "application/x-ndjson";

    private final URI url;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Consumer<String> retries;
    private final OpenSearchTransport transport;
    private final OpenSearchGenericClient client;

    /** A connection that retries silently; see {@link #OpenSearchConnection(URI, String, RetryPolicy, Sleeper, Consumer)}. */
    public OpenSearchConnection(URI url, String basicAuth, RetryPolicy retry, Sleeper sleeper) {
        this(url, basicAuth, retry, sleeper, line -> {});
    }

    /**
     * @param url the node's base URL, e.g. {@code http://127.0.0.1:9200} (a path, if any, becomes a path prefix)
     * @param basicAuth {@code user:password} for HTTP basic authentication, or {@code null}
     * @param retry how to retry failed requests
     * @param sleeper how to wait between retries
     * @param retries told one line before each wait for a retry (see {@link #backOff}), so that a run against an
     *     unreachable or overloaded cluster does not sit silent through its retries; called from whichever thread
     *     sent the request
     * @throws IllegalArgumentException for a URL that is not http(s)://host[:port][/prefix]
     */
    public OpenSearchConnection(URI url, String basicAuth, RetryPolicy retry, Sleeper sleeper, Consumer<String> retries) {
        this.url = checkUrl(url);
        this.retry = retry;
        this.sleeper = sleeper;
        this.retries = retries;
        HttpHost host = new HttpHost(url.getScheme(), url.getHost(), url.getPort() < 0 ? defaultPort(url) : url.getPort());
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
            .setConnectionConfigCallback(c -> c.setConnectTimeout(Timeout.ofSeconds(5)))
            .setRequestConfigCallback(c -> c.setResponseTimeout(Timeout.ofSeconds(120)));
        if (url.getPath() != null && url.getPath().length() > 1) {
            builder.setPathPrefix(url.getPath());
        }
        if (basicAuth != null && basicAuth.isEmpty() == false) {
            if (basicAuth.indexOf(':') < 0) {
                throw new IllegalArgumentException("--basic-auth must be user:password");
            }
            String token = Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8));
            builder.setDefaultHeaders(new Header[] { new BasicHeader("Authorization", "Basic " + token) });
        }
        this.transport = builder.build();
        this.client = new OpenSearchClient(transport).generic();
    }

    /** @return the base URL */
    public URI url() {
        return url;
    }

    /** @return the retry policy */
    public RetryPolicy retryPolicy() {
        return retry;
    }

    /**
     * Says that an attempt failed and waits before retrying it: tells the retry listener one line naming what failed,
     * the attempt of how many, and the wait, e.g. {@code OpenSearch at http://127.0.0.1:9200 could not be reached
     * (ConnectException: Connection refused) on GET /: attempt 1 of 6 failed, retrying in 250 ms}.
     *
     * @param failure what failed, e.g. {@code OpenSearch at URL answered 503 (…)}
     * @param request the request retried, e.g. {@code POST /items/_bulk}
     * @param retry the 1-based number of the retry about to be made, at most {@link RetryPolicy#maxRetries()}
     * @throws ClusterException when interrupted while waiting
     */
    public void backOff(String failure, String request, int retry) throws ClusterException {
        long delay = this.retry.delayMillis(retry);
        retries.accept(String.format(Locale.ROOT, "%s on %s: attempt %d of %d failed, retrying in %s", failure, request, retry,
            this.retry.maxRetries() + 1, delay < 1000 ? delay + " ms" : String.format(Locale.ROOT, "%.1f s", delay / 1000.0)));
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting to retry " + request, e);
        }
    }

    /**
     * Sends one request, retrying connection errors and retryable statuses. Other statuses are returned for the
     * caller to interpret.
     *
     * @param method HTTP method
     * @param path the path, already encoded (see {@link #encode})
     * @param query query parameters
     * @param body the body, or {@code null}
     * @param contentType the body's content type
     * @throws ClusterException when the node cannot be reached, or still answers with a retryable status, after
     *     the last retry
     */
    public ClusterResponse send(String method, String path, Map<String, String> query, byte[] body, String contentType) throws ClusterException {
        String request = method + " " + path;
        for (int attempt = 0;; attempt++) {
            String failure;
            Throwable cause = null;
            try {
                ClusterResponse response = execute(method, path, query, body, contentType);
                if (RetryPolicy.retryableStatus(response.status()) == false) {
                    return response;
                }
                failure = "OpenSearch at " + url + " answered " + response.status() + " (" + response.errorSummary() + ")";
            } catch (IOException | RuntimeException e) {
                // the transport reports refused connections, resets and timeouts as exceptions of several types
                failure = "OpenSearch at " + url + " could not be reached (" + describe(e) + ")";
                cause = e;
            }
            if (attempt >= retry.maxRetries()) {
                String tries = retry.maxRetries() == 0 ? "" : " after " + retry.maxRetries() + " retries";
                throw new ClusterException(failure + " on " + request + tries, cause);
            }
            backOff(failure, request, attempt + 1);
        }
    }

    /** Sends a JSON body (or none); see {@link #send}. */
    public ClusterResponse sendJson(String method, String path, byte[] body) throws ClusterException {
        return send(method, path, Map.of(), body, JSON);
    }

    /** Sends {@code body} serialized as JSON; see {@link #send}. */
    public ClusterResponse sendJsonNode(String method, String path, com.fasterxml.jackson.databind.JsonNode body) throws ClusterException {
        return sendJson(method, path, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return {@code segment} percent-encoded for use as one path segment (an index name or document id) */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }

    private ClusterResponse execute(String method, String path, Map<String, String> query, byte[] body, String contentType) throws IOException {
        Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(path).query(query);
        if (body != null) {
            request.body(Body.from(body, contentType));
        }
        Request built = request.build();
        try (Response response = client.execute(built)) {
            byte[] bytes = new byte[0];
            if (response.getBody().isPresent()) {
                try (Body b = response.getBody().get(); InputStream in = b.body()) {
                    bytes = in.readAllBytes();
                }
            }
            return new ClusterResponse(response.getStatus(), bytes);
        } catch (ResponseException e) {
            // the transport throws for 502/503/504 (it marks the node dead) even through the generic client
            return new ClusterResponse(e.status(), bodyOf(e));
        }
    }

    /**
     * The response body of a {@link ResponseException}. Its response class is not public, but the exception's
     * message is the request line followed by the body on the next lines.
     */
    private static byte[] bodyOf(ResponseException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? new byte[0] : message.substring(newline + 1).strip().getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(Throwable e) {
        // wrappers such as TransportException hide the useful message in a cause
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static URI checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) == false || url.getHost() == null) {
            throw new IllegalArgumentException("--url must look like http://host:9200 but was [" + url + "]");
        }
        return url;
    }

    private static int defaultPort(URI url) {
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
}
