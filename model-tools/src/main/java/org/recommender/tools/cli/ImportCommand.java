package org.recommender.tools.cli;

import org.recommender.core.io.TrainingManifest;
import org.recommender.core.model.ModelBundle;
import org.recommender.tools.imports.FactorFileWriter;
import org.recommender.tools.imports.FactorReader;
import org.recommender.tools.imports.ImportFormat;
import org.recommender.tools.output.TrainingOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code model-tools import}: turns user and item factors trained elsewhere (Spark MLlib ALS, any CSV or JSON Lines,
 * NumPy matrices) into the directory {@code train} writes, so {@code index} and {@code upload} serve them unchanged.
 * Everything is read, validated and written as a {@link TrainingOutput} stages it; only a complete import replaces
 * {@code --out}, so a bad row leaves it untouched.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Import user and item factors trained elsewhere (Spark ALS, CSV, JSON Lines, NumPy) as embeddings, a model bundle and a manifest.",
        "Every vector is validated (one dimension, finite values, unique non-empty ids); a bad row fails with its file and line and writes nothing." }
)
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--users", required = true, paramLabel = "PATH", description = "User factors: a file, or the directory of part-* files Spark wrote.")
    Path users;

    @Option(names = "--items", required = true, paramLabel = "PATH", description = "Item factors: a file, or the directory of part-* files Spark wrote.")
    Path items;

    @Option(names = "--format", paramLabel = "FORMAT",
        description = "spark-csv, spark-json, csv, jsonl or npy (default: from the --users file name: .csv, .json/.jsonl, .npy).")
    String format;

    @Option(names = "--user-ids", paramLabel = "FILE", description = "npy: the user ids, one per line, one line per matrix row.")
    Path userIds;

    @Option(names = "--item-ids", paramLabel = "FILE", description = "npy: the item ids, one per line, one line per matrix row.")
    Path itemIds;

    @Option(names = "--id-field", paramLabel = "NAME",
        description = "Name of the id field or column of both files, unless --user-id-field or --item-id-field names another (default: id).")
    String idField;

    @Option(names = "--user-id-field", paramLabel = "NAME", description = "Name of the id field or column of the --users file (default: --id-field).")
    String userIdField;

    @Option(names = "--item-id-field", paramLabel = "NAME", description = "Name of the id field or column of the --items file (default: --id-field).")
    String itemIdField;

    @Option(names = "--vector-field", paramLabel = "NAME", description = "Name of the vector field or column (default: features, else vector).")
    String vectorField;

    @Option(names = "--similarity", paramLabel = "dot_product|cosine", defaultValue = "dot_product",
        description = "How the factors are compared; ALS factors are trained for dot_product (default: ${DEFAULT-VALUE}).")
    String similarity;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    /** What one side of the import produced. */
    private record Side(int count, int dims) {}

    @Override
    public Integer call() throws IOException {
        ImportFormat importFormat = format();
        if (similarity.equals("dot_product") == false && similarity.equals("cosine") == false) {
            throw new ParameterException(spec.commandLine(), "unknown --similarity [" + similarity + "]; expected one of [dot_product, cosine]");
        }
        OutOption.require(spec, out, TrainingOutput::requireUsable);
        TrainingOutput output = new TrainingOutput(out);
        try (TrainingOutput.Staging staging = output.stage()) {
            Side u = readSide(reader(importFormat, users, userIds, userIdField, "--user-id-field"), staging.usersFile(), users);
            Side i = readSide(reader(importFormat, items, itemIds, itemIdField, "--item-id-field"), staging.itemsFile(), items);
            if (u.dims() != i.dims()) {
                throw new IllegalArgumentException("user factors have " + u.dims() + " dimensions (" + users + ") but item factors have " + i.dims() + " ("
                    + items + "); they must match to be compared");
            }
            staging.writeBundle(similarity.equals("cosine") ? ModelBundle.cosine(u.dims()) : ModelBundle.dot(u.dims()));
            staging.publish(manifest(importFormat, u, i));
            spec.commandLine().getOut().printf("imported %,d users and %,d items with %d dimensions (%s, %s); wrote %s to %s%n",
                u.count(), i.count(), u.dims(), importFormat.label(), similarity, TrainingOutput.FILES, out);
            return ExitCodes.OK;
        }
    }

    private ImportFormat format() throws IOException {
        ImportFormat f;
        try {
            f = format == null ? ImportFormat.infer(users) : ImportFormat.fromLabel(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (f.needsIdFile() && (userIds == null || itemIds == null)) {
            throw new ParameterException(spec.commandLine(), "--format npy needs --user-ids and --item-ids: the row ids, one per line");
        }
        if (f.needsIdFile() == false && (userIds != null || itemIds != null)) {
            throw new ParameterException(spec.commandLine(), "--user-ids and --item-ids apply only to --format npy; " + f.label() + " carries its ids");
        }
        return f;
    }

    /**
     * @param sideIdField the id field given for this side's file alone, or null for {@code --id-field}'s
     * @param sideOption the option that gives it
     * @return a reader of {@code source} whose missing-id error names the option that sets its id field
     */
    private FactorReader reader(ImportFormat f, Path source, Path ids, String sideIdField, String sideOption) throws IOException {
        return sideIdField != null ? f.reader(source, ids, sideIdField, sideOption, vectorField)
            : f.reader(source, ids, idField, sideOption + " or --id-field", vectorField);
    }

    private static Side readSide(FactorReader reader, Path file, Path source) throws IOException {
        try (FactorFileWriter writer = new FactorFileWriter(file)) {
            reader.read(writer);
            if (writer.count() == 0) {
                throw new IllegalArgumentException(source + " holds no vectors");
            }
            return new Side(writer.count(), writer.dims());
        }
    }

    private TrainingManifest manifest(ImportFormat f, Side u, Side i) {
        // the sources stand where a trainer records its settings, so the manifest says where the vectors came from
        Map<String, Object> sources = new LinkedHashMap<>();
        sources.put("format", f.label());
        sources.put("users", users.toString());
        sources.put("items", items.toString());
        if (userIds != null) {
            sources.put("user_ids", userIds.toString());
            sources.put("item_ids", itemIds.toString());
        }
        return new TrainingManifest(
            TrainingManifest.FORMAT_VERSION,
            "imported:" + f.label(),
            u.dims(),
            similarity,
            0, // no seed: the factors were trained elsewhere
            sources,
            new TrainingManifest.Counts(u.count(), i.count(), 0),
            0,
            TrainingManifest.FileNames.defaults(),
            Map.of()
        );
    }
}
