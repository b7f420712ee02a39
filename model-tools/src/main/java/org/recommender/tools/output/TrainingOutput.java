package org.recommender.tools.output;

import org.recommender.core.io.TrainingManifest;
import org.recommender.core.model.ModelBundle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The directory {@code train} and {@code import} write and {@code index}, {@code upload} and {@code parity} read:
 * {@value TrainingManifest#FILE_NAME}, the user and item vectors it names ({@value TrainingManifest#USERS_FILE},
 * {@value TrainingManifest#ITEMS_FILE}), the serving model {@value #MODEL_BUNDLE}, and the progress files of
 * interrupted {@code index} runs. A model with a user encoder adds {@value #ENCODER_BUNDLE}; Mult-DAE, whose encoder
 * reads vectors of its own and makes users {@value #MODEL_BUNDLE} cannot score, also the history vectors the
 * manifest names ({@value TrainingManifest#HISTORY_FILE}) and {@value #ENCODED_BUNDLE}.
 *
 * <p>The manifest vouches for the other files: a directory with a manifest always holds the complete vectors and
 * bundle that manifest describes. Writing keeps that true through failures and crashes: a new output is written in
 * full into a staging directory beside this one (same file system, so moving is renaming), and only then
 * {@linkplain Staging#publish published}: the old manifest is removed, the vectors and bundle are moved in, the new
 * manifest comes last. A failure before publishing leaves the previous output exactly as it was; a crash while
 * publishing leaves a directory without a manifest, which every reader refuses. The staged files are forced to disk
 * before the first move and the directory after the last, so after a power loss the manifest never names files whose
 * contents were still in the page cache. A staging directory left by a killed run is removed by the next
 * {@link #stage} into the same output once it is {@link #STALE_STAGING} old (a live run's staging lives only while its
 * files are written).
 */
public final class TrainingOutput {
    /** The serving model: upload it and {@code _recommend} scores exactly as the trained model does. */
    public static final String MODEL_BUNDLE = "model.bundle";
    /** The user encoder (SASRec, GRU4Rec, Mult-DAE): turns a history into a user vector. */
    public static final String ENCODER_BUNDLE = "encoder.bundle";
    /**
     * The model that scores the encoder's users against the item vectors, where {@value #MODEL_BUNDLE} cannot (Mult-DAE:
     * its stored users carry a constant 1 for the item bias, its encoded users do not).
     */
    public static final String ENCODED_BUNDLE = "encoded.bundle";
    /** The files an output holds only with some models, in the order they are published (all before the manifest). */
    private static final List<String> OPTIONAL_FILES = List.of(TrainingManifest.HISTORY_FILE, ENCODER_BUNDLE, ENCODED_BUNDLE);
    /** The files one output holds, for messages. */
    public static final String FILES = TrainingManifest.USERS_FILE + ", " + TrainingManifest.ITEMS_FILE + ", " + MODEL_BUNDLE + " and "
        + TrainingManifest.FILE_NAME;

    /** How old a staging directory beside the output must be before {@link #stage} takes it for a killed run's. */
    public static final Duration STALE_STAGING = Duration.ofHours(1);

    private final Path dir;

    /** @param dir the output directory; nothing is read or created yet */
    public TrainingOutput(Path dir) {
        this.dir = dir;
    }

    /** @return the directory */
    public Path dir() {
        return dir;
    }

    /**
     * @return the manifest, read now
     * @throws IOException naming the file when it is missing (not an output, or one that was never completed) or invalid
     */
    public TrainingManifest manifest() throws IOException {
        return TrainingManifest.read(dir);
    }

    /** @return the user vectors {@code manifest} names, inside this directory */
    public Path usersFile(TrainingManifest manifest) {
        return manifest.usersFile(dir);
    }

    /** @return the item vectors {@code manifest} names, inside this directory */
    public Path itemsFile(TrainingManifest manifest) {
        return manifest.itemsFile(dir);
    }

    /** @return the serving model's file inside this directory */
    public Path bundleFile() {
        return dir.resolve(MODEL_BUNDLE);
    }

    /** @return the user encoder's file inside this directory (which exists only for a model with an encoder) */
    public Path encoderFile() {
        return dir.resolve(ENCODER_BUNDLE);
    }

    /** @return the model that scores the encoder's users: {@value #ENCODED_BUNDLE} where the output has one, else {@value #MODEL_BUNDLE} */
    public Path encodedBundleFile() {
        Path encoded = dir.resolve(ENCODED_BUNDLE);
        return Files.exists(encoded) ? encoded : bundleFile();
    }

    /** @return the history vectors {@code manifest} names inside this directory, or null when it names none */
    public Path historyFile(TrainingManifest manifest) {
        return manifest.historyFile(dir);
    }

    /** @return where an interrupted {@code index} run into {@code index} records its progress */
    public Path progressFile(String index) {
        return dir.resolve(".index-progress-" + index.toLowerCase(Locale.ROOT) + ".json");
    }

    /**
     * Reads and validates a model bundle file, this directory's or any other.
     *
     * @return the file's bytes, exactly as read, and the bundle they hold
     * @throws IllegalArgumentException naming the file when it is not a valid bundle
     */
    public static Bundle readBundle(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return new Bundle(bytes, ModelBundle.parse(bytes));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a valid model bundle: " + e.getMessage(), e);
        }
    }

    /** A bundle file as read: the bytes to upload and what they parse to. */
    public record Bundle(byte[] bytes, ModelBundle parsed) {}

    /**
     * Checks, creating nothing, that an output can be written to {@code dir}: the {@link OutputDirectory} rule for
     * {@code dir}, and the same for the directory above it, where the output is {@linkplain #stage staged} before it is
     * moved in. {@link #stage} applies this rule when it writes; a command applies it first, before it loads data and
     * trains, so that an unusable {@code --out} costs a second, not the run. What {@code dir} already holds is no
     * obstacle: publishing replaces an earlier output's files and leaves others alone.
     *
     * @throws IllegalArgumentException starting with {@code [dir]} and saying what is in the way, for the caller to
     *     prefix with its option's name
     */
    public static void requireUsable(Path dir) {
        OutputDirectory.requireUsable(dir);
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("[" + dir + "] has no directory above it to stage the output in");
        }
        if (Files.isDirectory(parent) && Files.isWritable(parent) == false) {
            // a missing parent is created where the check above found room; an existing one must take the staging directory
            throw new IllegalArgumentException("[" + dir + "] is written by way of a staging directory beside it, but " + parent
                + " cannot be written");
        }
    }

    /**
     * Starts writing a new output. Close the staging area in a finally block: unpublished files are removed then.
     *
     * @throws IllegalArgumentException when {@link #requireUsable} refuses the directory
     */
    public Staging stage() throws IOException {
        requireUsable(dir);
        Path target = dir.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        String prefix = "." + target.getFileName() + ".partial-";
        removeStaleStaging(target.getParent(), prefix);
        return new Staging(target, Files.createTempDirectory(target.getParent(), prefix));
    }

    private static void removeStaleStaging(Path parent, String prefix) throws IOException {
        Instant before = Instant.now().minus(STALE_STAGING);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path leftover : leftovers) {
                if (Files.isDirectory(leftover, LinkOption.NOFOLLOW_LINKS)
                    && Files.getLastModifiedTime(leftover).toInstant().isBefore(before)) {
                    Staging.deleteTree(leftover);
                }
            }
        }
    }

    /** A new output being written: write the vectors and the bundle here, then {@link #publish} with the manifest. */
    public static final class Staging implements AutoCloseable {
        private final Path target;
        private final Path staging;

        private Staging(Path target, Path staging) {
            this.target = target;
            this.staging = staging;
        }

        /** @return where to write the user vectors */
        public Path usersFile() {
            return staging.resolve(TrainingManifest.USERS_FILE);
        }

        /** @return where to write the item vectors */
        public Path itemsFile() {
            return staging.resolve(TrainingManifest.ITEMS_FILE);
        }

        /** @return where to write the history vectors; a manifest published from here names them exactly when they were written */
        public Path historyFile() {
            return staging.resolve(TrainingManifest.HISTORY_FILE);
        }

        /** Writes the serving model. */
        public void writeBundle(ModelBundle bundle) throws IOException {
            Files.write(staging.resolve(MODEL_BUNDLE), bundle.toBytes());
        }

        /** Writes the user encoder; an output without one loses an earlier run's encoder when it is published. */
        public void writeEncoder(ModelBundle encoder) throws IOException {
            Files.write(staging.resolve(ENCODER_BUNDLE), encoder.toBytes());
        }

        /** Writes the model of the encoder's users; an output without one loses an earlier run's when it is published. */
        public void writeEncodedBundle(ModelBundle encoded) throws IOException {
            Files.write(staging.resolve(ENCODED_BUNDLE), encoded.toBytes());
        }

        /**
         * Replaces the output with what was staged: the old manifest goes first and {@code manifest} comes last; an
         * optional file (history vectors, encoder, encoded-user model) an earlier run left and this one did not write
         * is removed, since it belongs to other vectors.
         *
         * @param manifest describes the staged files; it must name the default file names, which is where they were
         *     staged, and the history vectors exactly when they were written
         * @throws IllegalArgumentException when {@code manifest} names other files
         */
        public void publish(TrainingManifest manifest) throws IOException {
            boolean history = Files.exists(historyFile());
            TrainingManifest.FileNames expected = history ? TrainingManifest.FileNames.defaultsWithHistory() : TrainingManifest.FileNames.defaults();
            if (manifest.files().equals(expected) == false) {
                throw new IllegalArgumentException("a new output names the files it holds, " + expected + ", not " + manifest.files());
            }
            manifest.write(staging);
            List<String> names = new ArrayList<>(List.of(TrainingManifest.USERS_FILE, TrainingManifest.ITEMS_FILE, MODEL_BUNDLE));
            List<String> absent = new ArrayList<>();
            for (String optional : OPTIONAL_FILES) {
                (Files.exists(staging.resolve(optional)) ? names : absent).add(optional);
            }
            names.add(TrainingManifest.FILE_NAME); // last
            for (String name : names) {
                force(staging.resolve(name));
            }
            Files.createDirectories(target);
            Files.deleteIfExists(target.resolve(TrainingManifest.FILE_NAME));
            for (String name : absent) {
                Files.deleteIfExists(target.resolve(name));
            }
            for (String name : names) {
                move(staging.resolve(name), target.resolve(name));
            }
            forceDirectory(target);
        }

        /** Forces a file's contents to disk. */
        private static void force(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }

        /** Forces a directory's entries (the renames) to disk where the file system allows opening a directory. */
        private static void forceDirectory(Path dir) {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException e) {
                // not every platform can open a directory (Windows cannot); the renames are then as durable as it makes them
            }
        }

        /** Removes the staging directory and whatever was not published. */
        @Override
        public void close() throws IOException {
            deleteTree(staging);
        }

        private static void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        static void deleteTree(Path dir) throws IOException {
            if (Files.exists(dir) == false) {
                return;
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }
}
