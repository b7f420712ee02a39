package org.recommender.tools.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files behind one {@code --users} / {@code --items} argument. Spark writes a DataFrame as a directory of
 * {@code part-*} files plus {@code _SUCCESS} and {@code .crc} checksums; given a directory, the part files are read
 * in name order, which is Spark's partition order.
 */
public final class SourceFiles {
    private SourceFiles() {}

    /**
     * @param path a file, or a directory written by Spark
     * @return {@code path} itself, or the directory's {@code part-*} files sorted by name
     * @throws IOException when the path does not exist or the directory holds no part file
     */
    public static List<Path> of(Path path) throws IOException {
        if (Files.isDirectory(path) == false) {
            if (Files.exists(path) == false) {
                throw new NoSuchFileException(path.toString());
            }
            return List.of(path);
        }
        List<Path> parts;
        try (Stream<Path> children = Files.list(path)) {
            parts = children.filter(SourceFiles::isPart).sorted().toList();
        }
        if (parts.isEmpty()) {
            throw new IOException(path + " is a directory without part-* files; give a file or the directory Spark wrote");
        }
        return parts;
    }

    private static boolean isPart(Path p) {
        String name = p.getFileName().toString();
        // Hadoop's checksums are hidden files named .part-….crc; _SUCCESS marks a finished job
        return name.startsWith("part-") && name.endsWith(".crc") == false && Files.isRegularFile(p);
    }
}
