package org.recommender.tools.output;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rule for a directory a command writes its files into, created with its parents if missing ({@code --out} of
 * {@code evaluate} and {@code tune}; a {@link TrainingOutput} adds the directory it is staged in). Commands check it
 * before they load data or train, so that an unusable directory is refused in a second rather than after the work.
 */
public final class OutputDirectory {
    private OutputDirectory() {}

    /**
     * Checks, creating nothing, that files can be written into {@code dir}: it is a directory this process can write,
     * or it does not exist and the nearest directory above it that does exist can be written (so {@code dir} and its
     * missing parents can be created there).
     *
     * @throws IllegalArgumentException starting with {@code [dir]} and saying what is in the way, for the caller to
     *     prefix with its option's name
     */
    public static void requireUsable(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (Files.isDirectory(target) == false) {
                throw new IllegalArgumentException("[" + dir + "] is a file, not a directory");
            }
            if (Files.isWritable(target) == false) {
                throw new IllegalArgumentException("[" + dir + "] is a directory that cannot be written");
            }
            return;
        }
        Path existing = target.getParent();
        while (existing != null && Files.exists(existing) == false) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException("[" + dir + "] cannot be created: no directory above it exists");
        }
        if (Files.isDirectory(existing) == false) {
            throw new IllegalArgumentException("[" + dir + "] cannot be created: " + existing + " is a file");
        }
        if (Files.isWritable(existing) == false) {
            throw new IllegalArgumentException("[" + dir + "] cannot be created: " + existing + " cannot be written");
        }
    }
}
