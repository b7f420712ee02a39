package org.recommender.tools.parity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.recommender.core.encoder.UserEncoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Users made of histories, for {@code parity --encoder}: read from a JSON-lines file of
 * {@code {"id": "u1", "history": ["i3", "i9"]}} (oldest item first), and encoded offline by the encoder bundle that
 * was uploaded, from the items' vectors as trained — the vectors the cluster should compute from the same histories.
 */
public final class EncodedUsers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One user: its history and the vector the encoder makes of it offline. */
    public record User(List<String> history, float[] vector) {}

    private EncodedUsers() {}

    /**
     * @param file the histories
     * @param wanted ids to check, in order; empty for a seeded sample of {@code sample} users (reservoir sampling)
     * @return the chosen users by id, encoded
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the line or user at fault: malformed lines, unknown items, a history the
     *     encoder refuses
     */
    public static Map<String, User> load(Path file, List<String> wanted, int sample, long seed, UserEncoder encoder, OfflineCatalog items)
        throws IOException {
        Map<String, List<String>> chosen = wanted.isEmpty() ? sample(file, sample, seed) : pick(file, wanted);
        Map<String, User> users = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : chosen.entrySet()) {
            List<String> history = encoder.ordered() ? e.getValue() : new ArrayList<>(new LinkedHashSet<>(e.getValue()));
            float[][] vectors = new float[history.size()][];
            for (int t = 0; t < vectors.length; t++) {
                int position = items.position(history.get(t));
                if (position < 0) {
                    throw new IllegalArgumentException("user [" + e.getKey() + "]: history item [" + history.get(t) + "] is not in the trained items");
                }
                vectors[t] = items.vectors()[position];
            }
            try {
                users.put(e.getKey(), new User(e.getValue(), encoder.encode(vectors, vectors.length)));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("user [" + e.getKey() + "]: " + x.getMessage(), x);
            }
        }
        return users;
    }

    private static Map<String, List<String>> sample(Path file, int sample, long seed) throws IOException {
        Reservoir<Map.Entry<String, List<String>>> reservoir = new Reservoir<>(sample, seed);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank() == false) {
                    reservoir.offer(parse(file, number, line));
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        reservoir.sample().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Map<String, List<String>> pick(Path file, List<String> wanted) throws IOException {
        Map<String, List<String>> found = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank() == false) {
                    Map.Entry<String, List<String>> user = parse(file, number, line);
                    if (wanted.contains(user.getKey())) {
                        found.put(user.getKey(), user.getValue());
                    }
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String id : wanted) {
            List<String> history = found.get(id);
            if (history == null) {
                throw new IllegalArgumentException("--user [" + id + "] is not in " + file);
            }
            out.put(id, history);
        }
        return out;
    }

    private static Map.Entry<String, List<String>> parse(Path file, int number, String line) {
        String where = file + " line " + number;
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.path("id").isTextual() == false || node.path("history").isArray() == false || node.path("history").isEmpty()) {
            throw new IllegalArgumentException(where + ": expected {\"id\": \"u1\", \"history\": [\"i3\", ...]} with at least one item");
        }
        List<String> history = new ArrayList<>();
        for (JsonNode item : node.path("history")) {
            if (item.isTextual() == false) {
                throw new IllegalArgumentException(where + ": history items must be strings but one is " + item);
            }
            history.add(item.textValue());
        }
        return Map.entry(node.path("id").textValue(), history);
    }
}
