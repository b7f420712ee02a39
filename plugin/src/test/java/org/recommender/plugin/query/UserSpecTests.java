package org.recommender.plugin.query;

import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.plugin.action.recommend.RecommendRequest;

import java.io.IOException;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The user spec's forms as read from JSON, written back, and sent between nodes, with the example form
 * ({@code positive} / {@code negative} / {@code strategy}) in detail: what it refuses and the words it refuses with.
 */
public class UserSpecTests extends OpenSearchTestCase {
    private static UserSpec parse(String json) throws IOException {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            parser.nextToken();
            return UserSpec.parse(parser);
        }
    }

    private static String error(String json) {
        return expectThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    public void testAnExampleSpecReadsEveryField() throws IOException {
        UserSpec spec = parse("{\"positive\": [\"i1\", \"i2\"], \"negative\": [\"i3\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"average\"}");
        assertThat(spec.positive(), equalTo(List.of("i1", "i2")));
        assertThat(spec.negative(), equalTo(List.of("i3")));
        assertThat(spec.strategy(), equalTo("average"));
        assertThat(spec.index(), equalTo("items"));
        assertThat(spec.field(), equalTo("emb"));
        assertThat(spec.examples(), equalTo(List.of("i1", "i2", "i3")));
        assertThat(spec.vector(), nullValue());
        assertThat(spec.id(), nullValue());
        assertThat(spec.history(), nullValue());

        UserSpec defaults = parse("{\"positive\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\"}");
        assertThat("average is the default strategy", defaults.strategy(), equalTo(UserSpec.AVERAGE));
        assertThat("no negatives is an empty list", defaults.negative(), equalTo(List.of()));
        assertThat(defaults, equalTo(parse("{\"positive\": [\"i1\"], \"negative\": [], \"index\": \"items\", \"field\": \"emb\"}")));
        assertThat(defaults, equalTo(UserSpec.ofExamples(List.of("i1"), null, null, "items", "emb")));
        assertNotEquals(defaults, parse("{\"history\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\"}"));
        assertNotEquals(defaults, parse("{\"positive\": [\"i1\"], \"negative\": [\"i2\"], \"index\": \"items\", \"field\": \"emb\"}"));
    }

    public void testAResolvedUserSurvivesTheWire() throws IOException {
        org.recommender.core.vector.BestScore examples = org.recommender.core.vector.BestScore.of(
            List.of(new float[] { 1, 2 }, new float[] { -3, 0.5f }), List.of(new float[] { 7, -1 })
        );
        for (UserSpec.Resolved resolved : List.of(
            UserSpec.Resolved.of(new float[] { 0.25f, -4 }),
            new UserSpec.Resolved(null, examples),
            new UserSpec.Resolved(new float[] { 1.5f, 2 }, null, "encoder [gru] version [3] (gru4rec)")
        )) {
            try (BytesStreamOutput out = new BytesStreamOutput()) {
                resolved.writeTo(out);
                out.writeString("after");
                try (StreamInput in = out.bytes().streamInput()) {
                    UserSpec.Resolved read = UserSpec.Resolved.readFrom(in);
                    assertThat(read.encodedBy(), equalTo(resolved.encodedBy()));
                    if (resolved.examples() == null) {
                        assertArrayEquals(resolved.vector(), read.vector(), 0f);
                        assertNull(read.examples());
                    } else {
                        assertNull(read.vector());
                        assertArrayEquals(examples.positive(), read.examples().positive());
                        assertArrayEquals(examples.negative(), read.examples().negative());
                    }
                    assertThat(in.readString(), equalTo("after"));
                }
            }
        }
    }

    /**
     * A user without an encoder keeps the layout of builds before encoders (the vector, then a boolean: examples or
     * not), both ways; an encoder's label is refused by a reader of that layout rather than misread.
     */
    public void testAResolvedUserWithoutAnEncoderKeepsTheOlderLayout() throws IOException {
        float[] vector = { 0.25f, -4 };
        try (BytesStreamOutput current = new BytesStreamOutput(); BytesStreamOutput older = new BytesStreamOutput()) {
            UserSpec.Resolved.of(vector).writeTo(current);
            older.writeFloatArray(vector);
            older.writeBoolean(false);
            assertThat(current.bytes(), equalTo(older.bytes()));
            try (StreamInput in = older.bytes().streamInput()) {
                assertArrayEquals(vector, UserSpec.Resolved.readFrom(in).vector(), 0f);
            }
        }
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            new UserSpec.Resolved(vector, null, "encoder [gru] version [3] (gru4rec)").writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                in.readFloatArray();
                expectThrows(IllegalStateException.class, in::readBoolean); // what an older build reads next
            }
        }
    }

    public void testEveryFormSurvivesTheWireAndJsonUnchanged() throws IOException {
        for (String json : List.of(
            "{\"vector\": [1.5, -2]}",
            "{\"id\": \"u1\", \"index\": \"users\", \"field\": \"profile.emb\"}",
            "{\"history\": [\"i9\", \"i4\", \"i9\"], \"index\": \"items\", \"field\": \"emb\", \"encoder\": \"mean\"}",
            "{\"history\": [\"i9\", \"i4\", \"i9\"], \"index\": \"items\", \"field\": \"emb\", \"encoder\": \"seq-enc\"}",
            "{\"positive\": [\"i1\", \"i2\"], \"index\": \"items\", \"field\": \"emb\"}",
            "{\"positive\": [\"i1\"], \"negative\": [\"i3\", \"i4\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"average\"}",
            "{\"positive\": [\"i1\"], \"negative\": [\"i3\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}"
        )) {
            UserSpec spec = parse(json);
            try (BytesStreamOutput out = new BytesStreamOutput()) {
                spec.writeTo(out);
                // a spec that is followed by more of the request must read back exactly its own bytes
                out.writeString("after");
                try (StreamInput in = out.bytes().streamInput()) {
                    UserSpec read = new UserSpec(in);
                    assertThat(json, read, equalTo(spec));
                    assertThat(read.hashCode(), equalTo(spec.hashCode()));
                    assertThat(in.readString(), equalTo("after"));
                }
            }
            XContentBuilder builder = JsonXContent.contentBuilder();
            spec.toXContent(builder, ToXContent.EMPTY_PARAMS);
            assertThat(json, parse(builder.toString()), equalTo(spec));
        }
    }

    public void testBadExampleSpecsNameTheField() throws IOException {
        String where = ", \"index\": \"items\", \"field\": \"emb\"";
        assertThat(error("{\"positive\": []" + where + "}"), equalTo("[user.positive] must name at least one item"));
        assertThat(error("{\"positive\": [\"i1\"], \"id\": \"u1\"" + where + "}"), equalTo("[user.positive] cannot be combined with [user.id]"));
        assertThat(error("{\"vector\": [1], \"positive\": [\"i1\"]}"), equalTo("[user.positive] cannot be combined with [user.vector]"));
        assertThat(error("{\"history\": [\"i2\"], \"positive\": [\"i1\"]" + where + "}"), equalTo("[user.positive] cannot be combined with [user.history]"));
        assertThat(error("{\"negative\": [\"i1\"]" + where + "}"),
            equalTo("[user.negative] needs [user.positive]: a user is never made of negative examples alone"));
        assertThat(error("{\"history\": [\"i2\"], \"negative\": [\"i1\"]" + where + "}"),
            equalTo("[user.negative] needs [user.positive]: a user is never made of negative examples alone"));
        StringBuilder many = new StringBuilder("\"i0\"");
        for (int i = 1; i <= 100; i++) {
            many.append(", \"i").append(i).append('"');
        }
        // 101 distinct ids: best_score compares every item with each, so it is bounded; average takes them all
        assertThat(error("{\"positive\": [" + many + "], \"negative\": [\"i0\"], \"strategy\": \"best_score\"" + where + "}"),
            equalTo("[user.positive] and [user.negative] name 101 distinct items but [user.strategy] [best_score] compares every item with every"
                + " example: at most 100"));
        assertThat(parse("{\"positive\": [" + many + "], \"strategy\": \"average\"" + where + "}").positive().size(), equalTo(101));
        assertThat(error("{\"positive\": [\"i1\"], \"strategy\": \"sum_scores\"" + where + "}"),
            equalTo("[user.strategy] must be one of [average, best_score] but was [sum_scores]"));
        assertThat(error("{\"positive\": [\"i1\"], \"strategy\": 3" + where + "}"), equalTo("[user.strategy] must be a string"));
        assertThat(error("{\"positive\": [\"i1\", 2]" + where + "}"), equalTo("[user.positive][1] must be a string"));
        assertThat(error("{\"positive\": [\"i1\"], \"negative\": [{\"id\": \"i2\"}]" + where + "}"), equalTo("[user.negative][0] must be a string"));
        assertThat(error("{\"positive\": \"i1\"" + where + "}"), equalTo("[user.positive] must be an array of strings"));
        assertThat(error("{\"positive\": [\"i1\"], \"field\": \"emb\"}"), equalTo("[user.positive] needs [user.index] and [user.field]"));
        assertThat(error("{\"positive\": [\"i1\"], \"index\": \"items\"}"), equalTo("[user.positive] needs [user.index] and [user.field]"));
        assertThat(error("{\"id\": \"u1\", \"strategy\": \"average\"" + where + "}"), equalTo("[user.strategy] applies only to [user.positive]"));
        assertThat(error("{\"positive\": [\"i1\"], \"encoder\": \"mean\"" + where + "}"), equalTo("[user.encoder] applies only to [user.history]"));
        assertThat(error("{\"positive\": [\"i1\"], \"weights\": [1]" + where + "}"), org.hamcrest.Matchers.containsString("[user] unknown field [weights]"));
        assertThat(error("{\"index\": \"items\"}"), equalTo("[user] needs exactly one of [vector], [id], [history] or [positive]"));
    }

    /**
     * An id list is refused as it is parsed once it holds more than {@link UserSpec#MAX_LISTED} ids, repeats included
     * (a list of one id repeated costs one read but is held, and sent to every shard, as written); at the limit it is read.
     */
    public void testIdListsAreCappedAsTheyAreParsedRepeatsIncluded() throws IOException {
        String where = ", \"index\": \"items\", \"field\": \"emb\"";
        String atTheLimit = String.join(",", java.util.Collections.nCopies(UserSpec.MAX_LISTED, "\"i\""));
        assertEquals(UserSpec.MAX_LISTED, parse("{\"history\": [" + atTheLimit + "]" + where + "}").history().size());
        for (String list : List.of("history", "positive", "negative")) {
            String prefix = list.equals("negative") ? "\"positive\": [\"p\"], " : "";
            assertThat(
                error("{" + prefix + "\"" + list + "\": [" + atTheLimit + ", \"i\"]" + where + "}"),
                equalTo("[user." + list + "] lists more than " + UserSpec.MAX_LISTED + " ids but at most " + UserSpec.MAX_LISTED + " are allowed")
            );
        }
    }

    public void testASpecBuiltInJavaPassesTheSameChecks() {
        assertThat(expectThrows(IllegalArgumentException.class, () -> UserSpec.ofExamples(List.of(), List.of(), null, "items", "emb")).getMessage(),
            equalTo("[user.positive] must name at least one item"));
        assertThat(expectThrows(IllegalArgumentException.class, () -> UserSpec.ofExamples(null, null, null, "items", "emb")).getMessage(),
            equalTo("[user.positive] must name at least one item"));
        assertThat(expectThrows(IllegalArgumentException.class, () -> UserSpec.ofExamples(List.of("i1"), List.of(""), null, "items", "emb")).getMessage(),
            equalTo("[user.negative][0] must be a non-empty string"));
        assertTrue(UserSpec.ofExamples(List.of("i1"), null, "best_score", "items", "emb").bestScore());
        assertFalse(UserSpec.ofExamples(List.of("i1"), null, null, "items", "emb").bestScore());
        assertThat(expectThrows(IllegalArgumentException.class, () -> UserSpec.ofExamples(List.of("i1"), null, null, null, "emb")).getMessage(),
            equalTo("[user.positive] needs [user.index] and [user.field]"));
    }

    public void testEverySurfaceReadsExamplesTheSameWay() throws IOException {
        String user = "\"user\": {\"positive\": [\"i1\"], \"negative\": [\"i2\"], \"index\": \"items\", \"field\": \"emb\"}";
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
            "{\"field\": \"emb\", " + user + "}")) {
            UserSpec spec = new RecommendRequest("items").parse(parser).query().users().get(0);
            assertThat(spec, equalTo(UserSpec.ofExamples(List.of("i1"), List.of("i2"), "average", "items", "emb")));
        }
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
            "{\"field\": \"emb\", \"user\": {\"positive\": [\"i1\"], \"strategy\": \"best_score\", \"index\": \"items\", \"field\": \"emb\"}}")) {
            parser.nextToken();
            XContentBuilder builder = JsonXContent.contentBuilder();
            EmbeddingKnnQueryBuilder.fromXContent(parser).toXContent(builder, ToXContent.EMPTY_PARAMS);
            assertThat(builder.toString(), org.hamcrest.Matchers.containsString("\"strategy\":\"best_score\""));
        }
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
            "{\"field\": \"emb\", \"user\": {\"positive\": []}}")) {
            parser.nextToken();
            assertThat(expectThrows(IllegalArgumentException.class, () -> RecommenderRescorerBuilder.parse(parser, null)).getMessage(),
                equalTo("[user.positive] must name at least one item"));
        }
    }

    public void testAnEncoderSpecReadsItsEncoderAndMeanIsTheDefault() throws IOException {
        UserSpec encoded = parse("{\"history\": [\"i9\", \"i4\", \"i9\"], \"index\": \"items\", \"field\": \"emb\", \"encoder\": \"seq-enc\"}");
        assertThat(encoded.encoder(), equalTo("seq-enc"));
        assertThat("repeats are kept: an ordered encoder reads them", encoded.history(), equalTo(List.of("i9", "i4", "i9")));
        assertThat(encoded, equalTo(UserSpec.ofHistory(List.of("i9", "i4", "i9"), "items", "emb", "seq-enc")));
        UserSpec mean = parse("{\"history\": [\"i9\"], \"index\": \"items\", \"field\": \"emb\", \"encoder\": \"mean\"}");
        assertThat(mean.encoder(), nullValue());
        assertThat(mean, equalTo(parse("{\"history\": [\"i9\"], \"index\": \"items\", \"field\": \"emb\"}")));
        assertNotEquals(mean, parse("{\"history\": [\"i9\"], \"index\": \"items\", \"field\": \"emb\", \"encoder\": \"seq-enc\"}"));

        String where = ", \"index\": \"items\", \"field\": \"emb\"";
        assertThat(error("{\"history\": [\"i1\"], \"encoder\": 7" + where + "}"), equalTo("[user.encoder] must be a string"));
        assertThat(error("{\"history\": [\"i1\"], \"encoder\": \"bad id!\"" + where + "}"),
            org.hamcrest.Matchers.startsWith("[user.encoder] must be [mean] or a stored user encoder's model id: invalid model id [bad id!]"));
        assertThat(error("{\"history\": [], \"encoder\": \"seq-enc\"" + where + "}"), equalTo("[user.history] must name at least one item"));
        assertThat(error("{\"id\": \"u1\", \"encoder\": \"seq-enc\"" + where + "}"), equalTo("[user.encoder] applies only to [user.history]"));
        assertThat(error("{\"vector\": [1], \"encoder\": \"seq-enc\"}"), equalTo("[user.encoder] applies only to [user.history]"));
        assertThat(expectThrows(IllegalArgumentException.class, () -> UserSpec.ofHistory(List.of(), "items", "emb", "seq-enc")).getMessage(),
            equalTo("[user.history] must name at least one item"));
        assertThat(expectThrows(IllegalArgumentException.class, () -> UserSpec.ofHistory(List.of("i1"), null, "emb", "seq-enc")).getMessage(),
            equalTo("[user.history] needs [user.index] and [user.field]"));
    }

    /**
     * The encoder travels in the example strategy's slot, so a node of a build without encoders reads a spec this
     * build writes (and the request bytes after it), and this build reads that build's history specs as the mean.
     */
    public void testAnEncoderSpecKeepsTheStreamLayoutOfBuildsWithoutEncoders() throws IOException {
        UserSpec encoded = UserSpec.ofHistory(List.of("i9", "i4"), "items", "emb", "seq-enc");
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            encoded.writeTo(out);
            out.writeString("after");
            try (StreamInput in = out.bytes().streamInput()) {
                // what the build before encoders reads, field by field
                assertFalse(in.readBoolean());
                assertThat(in.readOptionalString(), nullValue());
                assertThat(in.readOptionalStringList(), equalTo(List.of("i9", "i4")));
                assertThat(in.readOptionalString(), equalTo("items"));
                assertThat(in.readOptionalString(), equalTo("emb"));
                assertThat(in.readOptionalStringList(), nullValue());
                assertThat(in.readOptionalStringList(), nullValue());
                assertThat(in.readOptionalString(), equalTo("seq-enc"));
                assertThat(in.readString(), equalTo("after"));
            }
        }
        try (BytesStreamOutput old = new BytesStreamOutput()) {
            // a history spec as the build before encoders writes it
            old.writeBoolean(false);
            old.writeOptionalString(null);
            old.writeOptionalStringCollection(List.of("i9"));
            old.writeOptionalString("items");
            old.writeOptionalString("emb");
            old.writeOptionalStringCollection(null);
            old.writeOptionalStringCollection(null);
            old.writeOptionalString(null);
            try (StreamInput in = old.bytes().streamInput()) {
                UserSpec read = new UserSpec(in);
                assertThat(read.encoder(), nullValue());
                assertThat(read, equalTo(UserSpec.ofHistory(List.of("i9"), "items", "emb", null)));
            }
        }
    }
}
