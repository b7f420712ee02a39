package org.recommender.plugin.query;

import org.opensearch.core.ParseField;
import org.opensearch.core.xcontent.ObjectParser;
import org.opensearch.core.xcontent.XContentParseException;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one way the plugin reads a JSON object of a request: OpenSearch's {@link ObjectParser} (unknown fields refused
 * with a suggestion, duplicate and nesting handling as core's own requests), with every scalar read by
 * {@link StrictValues}' rules — no {@code 2.5} truncated to {@code 2}, no numbers from strings, no booleans from
 * {@code "yes"} — under its full path ({@code candidates.knn.num_candidates}).
 *
 * <p>{@link ObjectParser} wraps each field's failure in a location message per level of nesting ("failed to parse
 * field [candidates]"); {@link #parse} unwraps them so the headline of the 400 is the reason itself, naming the field.
 *
 * @param <V> the mutable holder the fields are read into
 */
public final class StrictObjectParser<V> {
    /** Reads one value; the parser is on its first token and must end on its last. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(XContentParser parser) throws IOException;
    }

    private final String name;
    private final String path;
    private final ObjectParser<V, Void> parser;

    /**
     * A parser of a request body or a top-level object ({@code embedding_knn}), whose fields are named alone in
     * messages ({@code [k]}), as every surface names the same condition the same way.
     *
     * @param name the object's name in messages ({@code _recommend}, {@code embedding_knn})
     * @param newValue a fresh holder per {@link #parse}
     */
    public static <V> StrictObjectParser<V> root(String name, Supplier<V> newValue) {
        return new StrictObjectParser<>(name, null, newValue);
    }

    /**
     * A parser of an object nested at {@code path} ({@code candidates.knn}), whose fields are named by their full
     * path in messages ({@code [candidates.knn.num_candidates]}); its holder is the parent's.
     */
    public static <V> StrictObjectParser<V> nested(String path) {
        return nested(path, () -> {
            throw new IllegalStateException("[" + path + "] is read into its parent's holder");
        });
    }

    /** A parser of an object nested at {@code path} that is also read on its own, into a fresh holder. */
    public static <V> StrictObjectParser<V> nested(String path, Supplier<V> newValue) {
        return new StrictObjectParser<>(path, path, newValue);
    }

    private StrictObjectParser(String name, String path, Supplier<V> newValue) {
        this.name = name;
        this.path = path;
        this.parser = new ObjectParser<>(name, newValue);
    }

    /** Declares a non-empty string field. */
    public StrictObjectParser<V> text(String field, BiConsumer<V, String> set) {
        return value(field, p -> StrictValues.text(p, pathOf(field)), set);
    }

    /** Declares an integer field (a whole JSON number that fits an int). */
    public StrictObjectParser<V> integer(String field, BiConsumer<V, Integer> set) {
        return value(field, p -> StrictValues.integer(p, pathOf(field)), set);
    }

    /** Declares a finite float field. */
    public StrictObjectParser<V> number(String field, BiConsumer<V, Float> set) {
        return value(field, p -> StrictValues.number(p, pathOf(field)), set);
    }

    /** Declares a double field (any JSON number; its range is the reader's caller to check). */
    public StrictObjectParser<V> real(String field, BiConsumer<V, Double> set) {
        return value(field, p -> {
            if (p.currentToken() != XContentParser.Token.VALUE_NUMBER) {
                throw new IllegalArgumentException("[" + pathOf(field) + "] must be a number");
            }
            return p.doubleValue();
        }, set);
    }

    /** Declares a boolean field, written as {@code true} or {@code false}. */
    public StrictObjectParser<V> bool(String field, BiConsumer<V, Boolean> set) {
        return value(field, p -> StrictValues.bool(p, pathOf(field)), set);
    }

    /** Declares a field of any JSON shape, read by {@code reader} (which refuses the shapes it does not take). */
    public <T> StrictObjectParser<V> value(String field, Reader<T> reader, BiConsumer<V, T> set) {
        parser.declareField((p, holder, c) -> set.accept(holder, reader.read(p)), new ParseField(field), ObjectParser.ValueType.VALUE_OBJECT_ARRAY);
        return this;
    }

    /**
     * Declares a field holding one query of the query DSL ({@code {"term": {...}}}); any other shape, or a query
     * core cannot parse, is a 400 naming the field.
     */
    public StrictObjectParser<V> query(String field, BiConsumer<V, QueryBuilder> set) {
        String fieldPath = pathOf(field);
        return value(field, p -> {
            if (p.currentToken() != XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException("[" + fieldPath + "] must be a query object");
            }
            try {
                return AbstractQueryBuilder.parseInnerQueryBuilder(p);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("[" + fieldPath + "] is not a valid query: " + e.getMessage(), e);
            }
        }, set);
    }

    /** Declares an object field whose fields {@code inner} reads into the same holder. */
    public StrictObjectParser<V> object(String field, StrictObjectParser<V> inner) {
        return object(field, holder -> {}, inner);
    }

    /** Declares an object field whose fields {@code inner} reads into the same holder, after {@code present}. */
    public StrictObjectParser<V> object(String field, Consumer<V> present, StrictObjectParser<V> inner) {
        parser.declareField((p, holder, c) -> {
            inner.expectObject(p);
            present.accept(holder);
            inner.parser.parse(p, holder, null);
        }, new ParseField(field), ObjectParser.ValueType.VALUE_OBJECT_ARRAY);
        return this;
    }

    /** @return {@code field}'s path in messages */
    public String pathOf(String field) {
        return path == null ? field : path + "." + field;
    }

    /**
     * Reads the object the parser is on (or, before the first token of a body, the next one) into a fresh holder.
     *
     * @throws IllegalArgumentException naming the offending field, as the headline of the message
     */
    public V parse(XContentParser p) throws IOException {
        if (p.currentToken() == null) {
            p.nextToken();
        }
        expectObject(p);
        try {
            return parser.parse(p, null);
        } catch (XContentParseException e) {
            throw reason(e);
        }
    }

    /**
     * Reads a whole request body: one object and nothing after it (a stray {@code }} or a second object would
     * otherwise be ignored, and what the client meant with it silently lost).
     *
     * @throws IllegalArgumentException naming the offending field, or saying what follows the object
     */
    public V parseBody(XContentParser p) throws IOException {
        V value = parse(p);
        XContentParser.Token after = p.nextToken();
        if (after != null) {
            throw new IllegalArgumentException("[" + name + "] body must hold one JSON object, but [" + after + "] follows it");
        }
        return value;
    }

    private void expectObject(XContentParser p) {
        if (p.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("[" + (path == null ? name : path) + "] must be a JSON object");
        }
    }

    /** The innermost failure under {@link ObjectParser}'s per-level wrappers: what went wrong, naming the field. */
    private static RuntimeException reason(XContentParseException e) throws IOException {
        Throwable cause = e;
        while (cause instanceof XContentParseException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IOException io) {
            throw io; // the JSON itself is broken, or a value too long to read: the caller's to answer
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime; // an IllegalArgumentException naming the field, or a status exception of a reader
        }
        return new IllegalArgumentException(cause.getMessage(), e);
    }
}
