package org.recommender.tools.cli;

import org.recommender.tools.cluster.OpenSearchConnection;
import org.recommender.tools.cluster.RetryPolicy;
import org.recommender.tools.cluster.Sleeper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;

/** The options every command that talks to OpenSearch shares. */
public final class ClusterOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:9200", description = "OpenSearch base URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "5",
        description = "Retries of a request after a connection error, 429 or 5xx, with exponential back-off from 250 ms (default: ${DEFAULT-VALUE}).")
    int maxRetries;

    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD", defaultValue = "${env:MODEL_TOOLS_BASIC_AUTH}",
        description = "HTTP basic authentication; default: the environment variable MODEL_TOOLS_BASIC_AUTH.")
    String basicAuth;

    /**
     * @return a connection to the configured cluster that prints a line on the command's stderr before each retry,
     *     even with {@code --quiet}: a failing cluster is news, not progress
     * @throws IllegalArgumentException for a bad URL, retry count or credentials
     */
    OpenSearchConnection connect() {
        PrintWriter stderr = spec.commandLine().getErr();
        return new OpenSearchConnection(url, basicAuth, RetryPolicy.withRetries(maxRetries), Sleeper.SYSTEM, line -> {
            stderr.println(line);
            stderr.flush();
        });
    }
}
