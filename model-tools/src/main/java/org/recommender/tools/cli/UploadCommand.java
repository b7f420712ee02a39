package org.recommender.tools.cli;

import org.recommender.core.model.ModelBundle;
import org.recommender.tools.cluster.ClusterException;
import org.recommender.tools.cluster.ModelStoreClient;
import org.recommender.tools.cluster.OpenSearchConnection;
import org.recommender.tools.output.TrainingOutput;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code model-tools upload}: validates a model bundle locally (a training output's, or any file), stores it in the
 * plugin's model store as the next version of {@code --id}, reads it back and checks that the stored bytes are the
 * uploaded ones.
 */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Store a model bundle in the recommender plugin's model store as a new version, then read it back and compare.",
        "The bundle is a training output's (--model DIR, the directory index and parity take) or any bundle file (--bundle FILE).",
        "The bundle is validated here first, so a broken file never reaches the cluster." }
)
public final class UploadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the bundle comes from: a training output directory, as {@code index} and {@code parity} take it, or a file. */
    static final class Source {
        @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Training output directory (the --out of train or import): uploads its model.bundle.")
        Path model;

        @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "Model bundle file (e.g. model.bundle written by train).")
        Path bundle;
    }

    @Option(names = "--id", required = true, paramLabel = "ID", description = "Model id in the store.")
    String id;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text stored with this version.")
    String description;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws IOException {
        Path file = source.bundle;
        if (source.model != null) {
            TrainingOutput output = new TrainingOutput(source.model);
            output.manifest(); // a directory without one is no output, or one whose writing never finished
            file = output.bundleFile();
        }
        TrainingOutput.Bundle read = TrainingOutput.readBundle(file);
        byte[] bytes = read.bytes();
        ModelBundle parsed = read.parsed();
        PrintWriter out = spec.commandLine().getOut();
        try (OpenSearchConnection connection = cluster.connect()) {
            ModelStoreClient store = new ModelStoreClient(connection);
            long version = store.put(id, bytes, description);
            ModelStoreClient.StoredModel stored = store.get(id, true)
                .orElseThrow(() -> new ClusterException("model [" + id + "] could not be read back: 404, deleted right after the upload"));
            if (Arrays.equals(bytes, stored.bundle()) == false || parsed.checksum().equals(stored.checksum()) == false) {
                throw new ClusterException(
                    "model [" + id + "] read back differs from the upload (checksum " + stored.checksum() + ", expected " + parsed.checksum()
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
