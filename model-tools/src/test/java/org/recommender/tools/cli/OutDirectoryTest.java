package org.recommender.tools.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Every command that writes a directory named by {@code --out} refuses one it could not write before it reads its
 * input: it was found only when the results were written, after loading and training. The inputs here do not
 * exist, so a command that read them before checking {@code --out} would fail on them instead.
 */
class OutDirectoryTest {
    @TempDir
    Path dir;

    /** Each command's arguments, {@code --out} last so that the test appends its value. */
    private List<List<String>> commands() {
        String missing = dir.resolve("missing.csv").toString();
        String vectors = dir.resolve("missing.jsonl").toString();
        return List.of(
            List.of("train", "--algorithm", "bpr", "--data", missing, "-q", "--out"),
            List.of("evaluate", "--data", missing, "--algorithms", "bpr", "-q", "--out"),
            List.of("tune", "--data", missing, "--algorithm", "bpr", "-q", "--out"),
            List.of("import", "--users", vectors, "--items", vectors, "--format", "jsonl", "--out"));
    }

    private static CliRun run(List<String> command, Path out) {
        List<String> args = new ArrayList<>(command);
        args.add(out.toString());
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void anOutThatIsAFileIsRefusedFirst() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "not a directory");
        for (List<String> command : commands()) {
            CliRun r = run(command, file);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.errLine().contains("--out [" + file + "] is a file, not a directory"), r.errLine());
        }
        Path below = file.resolve("model");
        for (List<String> command : commands()) {
            CliRun r = run(command, below);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.errLine().contains("--out [" + below + "] cannot be created: " + file + " is a file"), r.errLine());
        }
        assertEquals("not a directory", Files.readString(file), "left as it was");
    }

    @Test
    void anOutThatCannotBeWrittenIsRefusedFirst() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(locked), "every directory is writable to this user (root)");
            for (List<String> command : commands()) {
                CliRun existing = run(command, locked);
                assertEquals(2, existing.code(), existing.err());
                assertTrue(existing.errLine().contains("--out [" + locked + "] is a directory that cannot be written"), existing.errLine());
                Path inside = locked.resolve("a").resolve("b");
                CliRun created = run(command, inside);
                assertEquals(2, created.code(), created.err());
                assertTrue(created.errLine().contains("--out [" + inside + "] cannot be created: " + locked + " cannot be written"), created.errLine());
            }
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var left = Files.list(locked)) {
            assertFalse(left.findAny().isPresent(), "nothing was created");
        }
    }

    /** A usable {@code --out}, one to be created with its parents too, passes the check: the missing input is what fails. */
    @Test
    void aUsableOutIsLeftToTheCommand() {
        Path fresh = dir.resolve("new").resolve("out");
        for (List<String> command : commands()) {
            CliRun r = run(command, fresh);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.errLine().contains("no such file: " + dir.resolve("missing.")), r.errLine());
        }
    }
}
