package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.recommender.tools.cluster.OpenSearchConnection;
import org.recommender.tools.cluster.RecommendationClient;
import org.recommender.tools.cluster.ScoredItem;
import org.recommender.tools.cluster.ScriptScoreQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code model-tools recommend}: shows a user's top items as the cluster ranks them, by reading the user's vector
 * and running an exact {@code script_score} with the plugin's {@code recommender} script over the items index.
 */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Print the top K items for users, scored in OpenSearch by the recommender plugin's script_score.",
        "Reads each user's vector from the users index, then ranks every item of the items index exactly." }
)
public final class RecommendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, paramLabel = "ID", description = "User id; repeatable.")
    List<String> users;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IndexNames indices;

    @Option(names = "--user-field", paramLabel = "FIELD", description = "User vector field (default: the same as --field).")
    String userField;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "How many items per user (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--source", paramLabel = "dot|cosine", defaultValue = "dot", description = "Script: dot or cosine (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        // validate before connecting, so a typo does not wait for retries
        ScriptScoreQuery probe = new ScriptScoreQuery(indices.field, new float[1], source, k);
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode document = mapper.createObjectNode();
        ArrayNode results = document.putArray("results");
        try (OpenSearchConnection connection = cluster.connect()) {
            RecommendationClient client = new RecommendationClient(connection);
            for (String user : users) {
                float[] vector = client.userVector(indices.users, user, userField == null ? indices.field : userField);
                List<ScoredItem> items = client.search(indices.items, new ScriptScoreQuery(probe.field(), vector, probe.source(), probe.size()));
                if (json) {
                    ObjectNode entry = results.addObject();
                    entry.put("user", user);
                    ArrayNode list = entry.putArray("items");
                    for (ScoredItem item : items) {
                        list.addObject().put("id", item.id()).put("score", item.score());
                    }
                } else {
                    printTable(out, user, items);
                }
            }
        }
        if (json) {
            out.println(mapper.writeValueAsString(document));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void printTable(PrintWriter out, String user, List<ScoredItem> items) {
        out.printf("user %s: top %d of [%s] by %s%n", user, k, indices.items, source);
        int width = Math.max(7, items.stream().mapToInt(i -> i.id().length()).max().orElse(0));
        out.printf(Locale.ROOT, "  %4s  %-" + width + "s  %10s%n", "rank", "item_id", "score");
        for (int r = 0; r < items.size(); r++) {
            out.printf(Locale.ROOT, "  %4d  %-" + width + "s  %10.4f%n", r + 1, items.get(r).id(), items.get(r).score());
        }
        if (items.isEmpty()) {
            out.println("  (no items)");
        }
        out.println();
    }
}
