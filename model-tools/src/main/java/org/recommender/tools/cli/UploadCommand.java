package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.recommender.core.model.ModelBundle;
import org.recommender.tools.cluster.ClusterException;
import org.recommender.tools.cluster.ClusterResponse;
import org.recommender.tools.cluster.OpenSearchConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code model-tools upload}: validates a model bundle locally, stores it in the plugin's model store as the next
 * version of {@code --id}, reads it back and checks that the stored bytes are the uploaded ones.
 */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Store a model bundle in the recommender plugin's model store as a new version, then read it back and compare.",
        "The bundle is validated here first, so a broken file never reaches the cluster." }
)
public final class UploadCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "Model bundle file (e.g. model.bundle written by train).")
    Path bundle;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "Model id in the store.")
    String id;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text stored with this version.")
    String description;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws IOException {
        byte[] bytes = Files.readAllBytes(bundle);
        ModelBundle parsed;
        try {
            parsed = ModelBundle.parse(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(bundle + " is not a valid model bundle: " + e.getMessage(), e);
        }
        ObjectNode body = JSON.createObjectNode().put("bundle", Base64.getEncoder().encodeToString(bytes));
        if (description != null) {
            body.put("description", description);
        }
        String path = "/_plugins/_recommender/models/" + OpenSearchConnection.encode(id);
        PrintWriter out = spec.commandLine().getOut();
        try (OpenSearchConnection connection = cluster.connect()) {
            ClusterResponse put = connection.sendJson("PUT", path, JSON.writeValueAsBytes(body));
            if (put.ok() == false) {
                throw new ClusterException("the model store refused model [" + id + "]: " + put.status() + " " + put.errorSummary());
            }
            long version = put.json().path("_version").asLong();
            ClusterResponse get = connection.send("GET", path, Map.of("include_bundle", "true"), null, null);
            if (get.ok() == false) {
                throw new ClusterException("model [" + id + "] could not be read back: " + get.status() + " " + get.errorSummary());
            }
            JsonNode stored = get.json();
            byte[] back = Base64.getDecoder().decode(stored.path("bundle").asText());
            if (Arrays.equals(bytes, back) == false || parsed.checksum().equals(stored.path("checksum").asText()) == false) {
                throw new ClusterException(
                    "model [" + id + "] read back differs from the upload (checksum " + stored.path("checksum").asText() + ", expected " + parsed.checksum()
                        + "); another writer may have replaced it"
                );
            }
            out.printf(
                "model [%s] stored as version %d: %s, user dims %d, item dims %d, %d bytes, checksum %s (read back and verified)%n",
                id,
                version,
                parsed.type(),
                parsed.userDims(),
                parsed.itemDims(),
                bytes.length,
                parsed.checksum()
            );
        }
        return ExitCodes.OK;
    }
}
