package org.recommender.plugin.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of malformed requests for every surface of the plugin. Each request is a valid one with one to
 * three <em>breakers</em> applied, and every breaker alone makes the request invalid, so any combination is invalid
 * too: a 2xx answer is as much a bug as a 5xx.
 */
final class HostileInputs {
    /** One request: where, what, and which breakers made it. */
    record Hostile(String surface, String method, String path, String body, String breakers) {}

    /** A request with one known defect, the status it must get, and the words naming the field. */
    record Expected(String surface, String path, String body, int status, String words) {}

    private final Random random;
    private final int dims;

    HostileInputs(long seed, int dims) {
        this.random = new Random(seed);
        this.dims = dims;
    }

    private String vector(int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = Math.round((random.nextFloat() * 2 - 1) * 100) / 100f;
        }
        return Arrays.toString(v);
    }

    private static final String[] BAD_NUMBERS = { "0", "-1", "\"ten\"", "1e12", "100001", "[]", "{}", "null", "true", "2.5" };

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    /** Applies 1–3 distinct breakers from {@code breakers} to {@code valid} (field name → JSON value; null removes). */
    private Hostile build(String surface, String method, String path, Map<String, String> valid, Map<String, List<Map.Entry<String, String>>> breakers) {
        Map<String, String> body = new LinkedHashMap<>(valid);
        List<String> names = new ArrayList<>(breakers.keySet());
        java.util.Collections.shuffle(names, random);
        int count = 1 + random.nextInt(3);
        StringBuilder applied = new StringBuilder();
        for (int i = 0; i < count && i < names.size(); i++) {
            List<Map.Entry<String, String>> options = breakers.get(names.get(i));
            Map.Entry<String, String> change = options.get(random.nextInt(options.size()));
            if (change.getValue() == null) {
                body.remove(change.getKey());
            } else {
                body.put(change.getKey(), change.getValue());
            }
            applied.append(names.get(i)).append(':').append(change).append(' ');
        }
        StringBuilder json = new StringBuilder("{");
        body.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        json.append('}');
        String text = json.toString();
        if (random.nextInt(10) == 0) {
            text = text.substring(0, 1 + random.nextInt(text.length() - 1)); // truncated: invalid whatever else
            applied.append("truncated");
        }
        return new Hostile(surface, method, path, text, applied.toString());
    }

    private static Map.Entry<String, String> set(String key, String value) {
        return new java.util.AbstractMap.SimpleEntry<>(key, value); // a null value removes the field
    }

    private static List<Map.Entry<String, String>> each(String key, String... values) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String v : values) {
            out.add(set(key, v));
        }
        return out;
    }

    Hostile recommend(String index) {
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("field", "\"emb\"");
        valid.put("user", "{\"vector\":" + vector(dims) + "}");
        valid.put("k", "5");
        Map<String, List<Map.Entry<String, String>>> breakers = new LinkedHashMap<>();
        breakers.put("k", each("k", "0", "-1", "\"ten\"", "1e12", "100001", "[]", "{}", "true", "2.5"));
        breakers.put("field", each("field", "\"nope\"", "\"name\"", "123", "\"\"", "[]", "null"));
        breakers.put("user", each("user", "{}", "{\"vector\":\"a\"}", "{\"vector\":[1,\"a\"]}", "{\"vector\":[]}", "{\"vector\":[1,2]}",
            "{\"id\":\"x\"}", "{\"id\":\"ghost\",\"index\":\"users\",\"field\":\"emb\"}", "{\"vector\":" + vector(dims) + ",\"id\":\"u\"}",
            "{\"history\":[],\"index\":\"catalog\",\"field\":\"emb\"}", "[]", "\"u1\"", "{\"vector\":[1e39," + vector(dims - 1).substring(1) + "}",
            badExampleUser(index)));
        breakers.put("candidates", each("candidates", "{\"knn\":{\"num_candidates\":-5}}", "{\"knn\":3}", "{\"query\":{\"bogus\":{}}}", "{\"foo\":1}",
            "{\"knn\":{\"num_candidates\":1}}", "{\"knn\":{\"exact\":\"yes\"}}", "[]"));
        breakers.put("diversity", each("diversity", "{\"mmr\":{\"lambda\":2}}", "{\"mmr\":{\"lambda\":\"x\"}}", "{\"mmr\":{\"pool\":0}}", "{\"mmr\":1}",
            "{\"other\":{}}", "{\"mmr\":{\"lambda\":-0.1}}"));
        breakers.put("filter", each("filter", "{\"bogus\":{}}", "\"str\"", "[]", "{\"term\":{\"name\":{\"nope\":1}}}"));
        breakers.put("exclude", each("exclude", "{\"ids\":\"x\"}", "{\"seen_field\":5}", "{\"bad\":1}", "7"));
        breakers.put("model", each("model", "\"no-such-model\"", "5", "\"\"", "{}"));
        breakers.put("extra", List.of(set("colour", "1"), set("users", "[]"), set("cold_start", "{\"x\":1}"), set("explain", "\"yes\""),
            set("profile", "3"), set("_source", "5")));
        breakers.put("missing", List.of(set("field", null), set("user", null)));
        return build("recommend", "POST", "/" + index + "/_recommend", valid, breakers);
    }

    Hostile knnSearch(String index) {
        String[] bad = {
            "{\"embedding_knn\":{\"field\":\"emb\",\"k\":" + pick(BAD_NUMBERS) + ",\"user\":{\"vector\":" + vector(dims) + "}}}",
            "{\"embedding_knn\":{\"field\":\"" + pick("nope", "name", "") + "\",\"k\":3,\"user\":{\"vector\":" + vector(dims) + "}}}",
            "{\"embedding_knn\":{\"field\":\"emb\",\"k\":3,\"user\":{\"vector\":" + vector(dims + 1 + random.nextInt(3)) + "}}}",
            "{\"embedding_knn\":{\"field\":\"emb\",\"k\":3,\"num_candidates\":" + pick("1", "-3", "1000000", "\"x\"") + ",\"user\":{\"vector\":" + vector(dims) + "}}}",
            "{\"embedding_knn\":{\"field\":\"emb\",\"k\":3,\"user\":" + pick("{}", "{\"id\":\"ghost\",\"index\":\"users\",\"field\":\"emb\"}", "[1]", "{\"vector\":[\"a\"]}",
                badExampleUser(index)) + "}}",
            "{\"embedding_knn\":{\"field\":\"emb\",\"user\":{\"vector\":" + vector(dims) + "},\"filter\":{\"nope\":{}}}}",
            "{\"embedding_knn\":{\"field\":\"emb\",\"user\":{\"vector\":" + vector(dims) + "},\"wat\":1}}",
            "{\"embedding_knn\":{\"user\":{\"vector\":" + vector(dims) + "}}}",
        };
        String query = bad[random.nextInt(bad.length)];
        return new Hostile("embedding_knn", "POST", "/" + index + "/_search", "{\"query\":" + query + "}", "one of 8");
    }

    Hostile rescore(String index) {
        String[] bad = {
            "{\"user\":{\"vector\":" + vector(dims) + "},\"field\":\"emb\",\"model\":\"no-such-model\"}",
            "{\"user\":{\"vector\":" + vector(dims + 2) + "},\"field\":\"emb\"}",
            "{\"user\":{\"vector\":" + vector(dims) + "},\"field\":\"name\"}",
            "{\"user\":{\"vector\":" + vector(dims) + "},\"field\":\"emb\",\"score_mode\":\"" + pick("sum", "", "max ") + "\"}",
            "{\"user\":{\"vector\":" + vector(dims) + "},\"field\":\"emb\",\"source\":\"l1\"}",
            "{\"user\":{\"vector\":" + vector(dims) + "}}",
            "{\"field\":\"emb\"}",
            "{\"user\":{\"vector\":" + vector(dims) + "},\"field\":\"emb\",\"model\":\"m\",\"source\":\"dot\"}",
            "{\"user\":{\"vector\":" + vector(dims) + "},\"field\":\"emb\",\"query_weight\":\"x\"}",
            "{\"user\":" + badExampleUser(index) + ",\"field\":\"emb\"}",
        };
        String rescorer = bad[random.nextInt(bad.length)];
        return new Hostile("rescorer", "POST", "/" + index + "/_search",
            "{\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":" + pick("10", "50") + ",\"recommender\":" + rescorer + "}}", rescorer);
    }

    /**
     * Example users ({@code positive}, {@code negative}, {@code strategy}) that are wrong whatever else the request
     * holds; {@code index} holds the {@code emb} field but no item named {@code ghost*}.
     */
    private static String[][] exampleUserCases(String index, String vector) {
        String at = ",\"index\":\"" + index + "\",\"field\":\"emb\"";
        return new String[][] {
            { "{\"positive\":[]" + at + "}", "400", "[user.positive] must name at least one item" },
            { "{\"negative\":[\"ghost\"]" + at + "}", "400", "[user.negative] needs [user.positive]: a user is never made of negative examples alone" },
            { "{\"vector\":" + vector + ",\"positive\":[\"ghost\"]" + at + "}", "400", "[user.positive] cannot be combined with [user.vector]" },
            { "{\"positive\":[\"ghost\",7]" + at + "}", "400", "[user.positive][1] must be a string" },
            { "{\"positive\":[\"ghost\"],\"negative\":[[\"ghost-2\"]]" + at + "}", "400", "[user.negative][0] must be a string" },
            { "{\"positive\":\"ghost\"" + at + "}", "400", "[user.positive] must be an array of strings" },
            { "{\"positive\":[\"ghost\"]" + at + ",\"strategy\":\"median\"}", "400", "[user.strategy] must be one of [average, best_score] but was [median]" },
            { "{\"positive\":[" + manyGhosts() + "]" + at + ",\"strategy\":\"best_score\"}", "400",
                "[user.positive] and [user.negative] name 101 distinct items but [user.strategy] [best_score] compares every item with every example: at most 100" },
            { "{\"positive\":[\"ghost\",\"ghost-2\"]" + at + ",\"strategy\":\"best_score\"}", "404",
                "none of the [user.positive] items has a vector in field [emb] of index [" + index + "]" },
            { "{\"vector\":" + vector + ",\"strategy\":\"average\"}", "400", "[user.strategy] applies only to [user.positive]" },
            { "{\"positive\":[\"ghost\",\"ghost-2\"],\"negative\":[\"ghost-3\"]" + at + "}", "404",
                "none of the [user.positive] items has a vector in field [emb] of index [" + index + "]" },
        };
    }

    /** @return 101 distinct ids of items that do not exist, one more than a best-score user may name */
    private static String manyGhosts() {
        StringBuilder ids = new StringBuilder("\"ghost-0\"");
        for (int i = 1; i <= 100; i++) {
            ids.append(",\"ghost-").append(i).append('"');
        }
        return ids.toString();
    }

    /**
     * Users encoded from a history ({@code history} + {@code encoder}) that are wrong whatever else the request
     * holds; no stored model is named {@code ghost-encoder}.
     */
    private static String[][] encoderUserCases(String index, String vector) {
        String at = ",\"index\":\"" + index + "\",\"field\":\"emb\"";
        return new String[][] {
            { "{\"history\":[]" + at + ",\"encoder\":\"ghost-encoder\"}", "400", "[user.history] must name at least one item" },
            { "{\"vector\":" + vector + ",\"encoder\":\"ghost-encoder\"}", "400", "[user.encoder] applies only to [user.history]" },
            { "{\"positive\":[\"ghost\"]" + at + ",\"encoder\":\"ghost-encoder\"}", "400", "[user.encoder] applies only to [user.history]" },
            { "{\"id\":\"ghost\"" + at + ",\"encoder\":\"ghost-encoder\"}", "400", "[user.encoder] applies only to [user.history]" },
            { "{\"history\":[\"ghost\"]" + at + ",\"encoder\":\"bad id!\"}", "400", "[user.encoder] must be [mean] or a stored user encoder's model id" },
            { "{\"history\":[\"ghost\"]" + at + ",\"encoder\":7}", "400", "[user.encoder] must be a string" },
            { "{\"history\":[\"ghost\"]" + at + ",\"encoder\":\"ghost-encoder\"}", "404", "[user.encoder] model [ghost-encoder] not found" },
        };
    }

    /** One of {@link #exampleUserCases} or {@link #encoderUserCases}, for the generated requests. */
    private String badExampleUser(String index) {
        String[][] cases = random.nextBoolean() ? exampleUserCases(index, vector(dims)) : encoderUserCases(index, vector(dims));
        return cases[random.nextInt(cases.length)][0];
    }

    /**
     * Every bad encoder user on every surface that takes a user, each with its status and the words naming the
     * field; {@code extra} cases (which need the caller's documents and models) join them.
     */
    List<Expected> encoderUsers(String index, String[]... extra) {
        List<String[]> cases = new ArrayList<>(List.of(encoderUserCases(index, vector(dims))));
        cases.addAll(List.of(extra));
        return onEverySurface(index, cases);
    }

    /**
     * Every bad example user on every surface that takes a user, each with its status and the words naming the
     * field. {@code extra} user specs (with their status and words) join them: ones that need documents of the
     * caller's, such as positives that exist but have no vector.
     */
    List<Expected> exampleUsers(String index, String[]... extra) {
        List<String[]> cases = new ArrayList<>(List.of(exampleUserCases(index, vector(dims))));
        cases.addAll(List.of(extra));
        return onEverySurface(index, cases);
    }

    private static List<Expected> onEverySurface(String index, List<String[]> cases) {
        String[][] surfaces = {
            { "recommend", "/" + index + "/_recommend", "{\"field\":\"emb\",\"k\":5,\"user\":%s}" },
            { "embedding_knn", "/" + index + "/_search", "{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":5,\"user\":%s}}}" },
            { "rescorer", "/" + index + "/_search",
                "{\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":10,\"recommender\":{\"field\":\"emb\",\"user\":%s}}}" },
        };
        List<Expected> out = new ArrayList<>();
        for (String[] surface : surfaces) {
            for (String[] c : cases) {
                out.add(new Expected(surface[0], surface[1], String.format(java.util.Locale.ROOT, surface[2], c[0]), Integer.parseInt(c[1]), c[2]));
            }
        }
        return out;
    }

    Hostile script(String index) {
        String params = pick(
            "{\"field\":\"emb\",\"vector\":" + vector(dims + 1) + "}",
            "{\"field\":\"emb\"}",
            "{\"vector\":" + vector(dims) + "}",
            "{\"field\":\"name\",\"vector\":" + vector(dims) + "}",
            "{\"field\":\"emb\",\"vector\":\"abc\"}",
            "{\"field\":\"emb\",\"vector\":[1,null]}",
            "{\"field\":\"nope\",\"vector\":" + vector(dims) + "}"
        );
        String source = random.nextInt(5) == 0 ? pick("manhattan", "", "model") : pick("dot", "cosine");
        return new Hostile("script_score", "POST", "/" + index + "/_search",
            "{\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{\"lang\":\"recommender\",\"source\":\"" + source + "\",\"params\":" + params + "}}}}",
            source + " " + params);
    }

    Hostile upload(String id, byte[] validBundle) {
        byte[] bytes = validBundle.clone();
        String kind;
        switch (random.nextInt(8)) {
            case 5 -> {
                // a NaN weight with a correct checksum: only the NaN is wrong (the last float before the checksum)
                java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 36, Float.NaN);
                rechecksum(bytes);
                kind = "NaN weight, valid checksum";
            }
            case 6 -> {
                // lying sizes with a correct checksum: huge total_length or header_length
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                if (random.nextBoolean()) {
                    buffer.putLong(16, Long.MAX_VALUE - random.nextInt(1000));
                    kind = "huge total_length, valid checksum";
                } else {
                    buffer.putInt(12, Integer.MAX_VALUE - random.nextInt(1000));
                    kind = "huge header_length, valid checksum";
                }
                rechecksum(bytes);
            }
            case 7 -> {
                // wrong shapes: the header's dims changed, checksum recomputed
                String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
                String changed = text.replaceFirst("\"user_dims\"\\s*:\\s*\\d+", "\"user_dims\":" + (dims + 1 + random.nextInt(5)));
                bytes = changed.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                rechecksum(bytes);
                kind = changed.equals(text) ? "header unchanged?!" : "user_dims changed, valid checksum";
            }
            case 0 -> {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                kind = "truncated";
            }
            case 1 -> {
                int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                kind = "bit flipped at " + at;
            }
            case 2 -> {
                random.nextBytes(bytes);
                kind = "random bytes";
            }
            case 3 -> {
                bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
                kind = "trailing bytes";
            }
            default -> {
                return new Hostile("upload", "PUT", "/_plugins/_recommender/models/" + id,
                    pick("{\"bundle\":\"%%%\"}", "{\"bundle\":5}", "{}", "{\"bundle\":\"AAAA\",\"extra\":1}", "[]", "{\"bundle\":"), "not a bundle field");
            }
        }
        return new Hostile("upload", "PUT", "/_plugins/_recommender/models/" + id, "{\"bundle\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}", kind);
    }

    /** Rewrites the trailing SHA-256 so that only the deliberate defect remains. */
    private static void rechecksum(byte[] bytes) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, bytes.length - 32);
            System.arraycopy(sha.digest(), 0, bytes, bytes.length - 32, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static final String STORE = ".recommender-models";

    /**
     * A call that would reach the model store around its API — by name, wildcard, alias, template, bulk or multi
     * item, reindex, or an index-admin action — each of which the store guard must refuse with 403.
     */
    Hostile admin() {
        String target = pick(STORE, ".recommender-*", ".recommender-models,fuzz", "*", "_all");
        String wide = target.startsWith(".") && target.contains(",") == false ? target : target + "?expand_wildcards=all";
        String alias = pick("mstore", "models-" + random.nextInt(100), ".recommender-models-alias");
        String[][] calls = {
            { "POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"" + pick(STORE, ".recommender-*", ".rec*") + "\",\"alias\":\"" + alias + "\"}}]}" },
            { "POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"fuzz\",\"alias\":\"" + STORE + "\"}}]}" },
            { "POST", "/_aliases", "{\"actions\":[{\"remove_index\":{\"index\":\"" + STORE + "\"}}]}" },
            { "DELETE", "/" + wide, null },
            { "POST", "/" + under(wide, "_close"), null },
            { "PUT", "/" + under(wide, "_settings"), "{\"index.blocks.write\":true}" },
            { "PUT", "/" + STORE + "/_block/" + pick("write", "read_only", "metadata"), null },
            { "PUT", "/" + STORE + "/_mapping", "{\"properties\":{\"x\":{\"type\":\"keyword\"}}}" },
            { "POST", "/" + STORE + "/_clone/stolen-" + random.nextInt(100), null },
            { "PUT", "/" + STORE, "{}" },
            { "PUT", "/" + STORE + "/_doc/" + pick("evil", "fuzz-model"), "{\"model_id\":\"evil\"}" },
            { "POST", "/" + STORE + "/_update/fuzz-model", "{\"doc\":{\"checksum\":\"x\"}}" },
            { "DELETE", "/" + STORE + "/_doc/fuzz-model", null },
            { "GET", "/" + STORE + "/_doc/fuzz-model", null },
            { "GET", "/" + under(wide, "_search"), null },
            { "POST", "/_mget", "{\"docs\":[{\"_index\":\"fuzz\",\"_id\":\"f1\"},{\"_index\":\"" + STORE + "\",\"_id\":\"fuzz-model\"}]}" },
            { "POST", "/_msearch", "{\"index\":\"" + pick(STORE, ".recommender-*") + "\"}\n{\"query\":{\"match_all\":{}}}\n" },
            { "POST", "/_bulk", "{\"index\":{\"_index\":\"" + STORE + "\",\"_id\":\"evil\"}}\n{\"model_id\":\"evil\"}\n" },
            { "POST", "/_reindex", "{\"source\":{\"index\":\"" + pick(STORE, ".recommender-*") + "\"},\"dest\":{\"index\":\"stolen\"}}" },
            { "POST", "/_reindex", "{\"source\":{\"index\":\"fuzz\"},\"dest\":{\"index\":\"" + STORE + "\"}}" },
            { "POST", "/" + STORE + "/_" + pick("update", "delete") + "_by_query", "{\"query\":{\"match_all\":{}}}" },
            { "PUT", "/_index_template/evil-" + random.nextInt(100), "{\"index_patterns\":[\"" + pick(".recommender-m*", STORE) + "\"],\"template\":{\"settings\":{\"index.blocks.write\":true}}}" },
            { "PUT", "/_index_template/evil-alias-" + random.nextInt(100), "{\"index_patterns\":[\"fuzz-new-*\"],\"template\":{\"aliases\":{\"" + STORE + "\":{}}}}" },
        };
        String[] call = calls[random.nextInt(calls.length)];
        return new Hostile("store-admin", call[0], call[1], call[2], call[0] + " " + call[1]);
    }

    /** @return {@code endpoint} under the index expression {@code target}, keeping its query string */
    private static String under(String target, String endpoint) {
        int query = target.indexOf('?');
        return query < 0 ? target + "/" + endpoint : target.substring(0, query) + "/" + endpoint + target.substring(query);
    }

    /** @return a JSON value nested {@code depth} arrays or objects deep */
    private String nested(int depth) {
        boolean arrays = random.nextBoolean();
        return (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
    }

    /** A request with a value nested deeper than any parser allows, where the surface reads it. */
    Hostile deep(String index) {
        String deep = nested(1001 + random.nextInt(2000));
        String vector = "{\"vector\":" + vector(dims) + "}";
        String[][] calls = {
            { "/" + index + "/_recommend", "{\"field\":\"emb\",\"k\":3,\"user\":{\"" + pick("vector", "history", "id", "x") + "\":" + deep + "}}" },
            { "/" + index + "/_recommend", "{\"field\":\"emb\",\"k\":3,\"user\":" + vector + ",\"" + pick("filter", "exclude", "candidates", "diversity", "cold_start") + "\":" + deep + "}" },
            { "/" + index + "/_recommend", "{\"field\":\"emb\",\"k\":3,\"users\":[" + vector + "," + deep + "]}" },
            { "/" + index + "/_search", "{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":3,\"user\":" + pick(deep, vector) + ",\"filter\":" + deep + "}}}" },
            { "/" + index + "/_search", "{\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":10,\"recommender\":{\"field\":\"emb\",\"user\":{\"history\":" + deep + "}}}}" },
            { "/_plugins/_recommender/models/fuzz-deep", "{\"bundle\":" + deep + "}" },
        };
        String[] call = calls[random.nextInt(calls.length)];
        String method = call[0].contains("/models/") ? "PUT" : "POST";
        return new Hostile("nesting", method, call[0], call[1], "nested " + deep.length() / 2 + " chars");
    }

    Hostile mapping(int n) {
        String field = pick(
            "{\"type\":\"embedding\"}",
            "{\"type\":\"embedding\",\"dims\":0}",
            "{\"type\":\"embedding\",\"dims\":-4}",
            "{\"type\":\"embedding\",\"dims\":5000}",
            "{\"type\":\"embedding\",\"dims\":\"abc\"}",
            "{\"type\":\"embedding\",\"dims\":4,\"similarity\":\"manhattan\"}",
            "{\"type\":\"embedding\",\"dims\":4,\"index\":\"maybe\"}",
            "{\"type\":\"embedding\",\"dims\":4,\"colour\":\"red\"}",
            "{\"type\":\"embedding\",\"dims\":[4]}",
            "{\"type\":\"embedding\",\"dims\":2.5}"
        );
        return new Hostile("mapping", "PUT", "/fuzz-mapping-" + n, "{\"mappings\":{\"properties\":{\"emb\":" + field + "}}}", field);
    }

    Hostile document(String index) {
        String value = pick(
            vector(dims + 1),
            vector(Math.max(1, dims - 1)),
            "\"not a vector\"",
            "[1,\"a\"," + vector(dims - 2).substring(1),
            "[[1,2]," + vector(dims - 1).substring(1),
            "[null," + vector(dims - 1).substring(1),
            "[]",
            "{\"x\":1}",
            "[1e39," + vector(dims - 1).substring(1),
            "[\"NaN\"," + vector(dims - 1).substring(1),
            "true"
        );
        return new Hostile("document", "PUT", "/" + index + "/_doc/bad-" + random.nextInt(1000), "{\"emb\":" + value + ",\"name\":\"x\"}", value);
    }
}
