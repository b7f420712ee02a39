package org.recommender.tools.imports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NumPy matrices written by hand: dtypes, orders, versions, and the errors users meet. */
class NpyFactorReaderTest {
    private static final double[][] M = { { 0.5, -1.25, 3.0 }, { 0.1, 0.2, 0.3 } };

    @TempDir
    Path dir;

    private List<String> read(Path npy, Path ids, List<float[]> vectors) throws IOException {
        List<String> seen = new ArrayList<>();
        new NpyFactorReader(npy, ids).read((id, v, where) -> {
            seen.add(id + "@" + where);
            vectors.add(v);
        });
        return seen;
    }

    private Path ids(String... ids) throws IOException {
        return Files.writeString(dir.resolve("ids.txt"), String.join("\n", ids) + "\n");
    }

    private void assertMatrix(List<float[]> vectors) {
        assertEquals(M.length, vectors.size());
        for (int r = 0; r < M.length; r++) {
            float[] expected = new float[M[r].length];
            for (int c = 0; c < expected.length; c++) {
                expected[c] = (float) M[r][c];
            }
            assertArrayEquals(expected, vectors.get(r), Arrays.toString(vectors.get(r)));
        }
    }

    @Test
    void readsFloat32AndFloat64InBothOrdersAndAllVersions() throws IOException {
        for (String descr : List.of("<f4", "<f8", ">f4", ">f8")) {
            for (boolean fortran : new boolean[] { false, true }) {
                for (int major = 1; major <= 3; major++) {
                    Path npy = dir.resolve("m.npy");
                    Npy.write(npy, descr, fortran, major, M);
                    List<float[]> vectors = new ArrayList<>();
                    List<String> seen = read(npy, ids("u1", "u2"), vectors);
                    assertEquals(List.of("u1@" + npy + ": row 0", "u2@" + npy + ": row 1"), seen, descr + " fortran " + fortran + " v" + major);
                    assertMatrix(vectors);
                }
            }
        }
    }

    @Test
    void refusesIntegersWithTheDtypeAndAHint() throws IOException {
        Path npy = dir.resolve("m.npy");
        Npy.write(npy, "<i4", false, 1, M);
        IOException e = assertThrows(IOException.class, () -> read(npy, ids("u1", "u2"), new ArrayList<>()));
        assertTrue(e.getMessage().startsWith(npy + ": dtype [<i4] is not supported"), e.getMessage());
    }

    @Test
    void refusesATruncatedMatrix() throws IOException {
        Path npy = dir.resolve("m.npy");
        Npy.write(npy, "<f4", false, 1, M);
        byte[] bytes = Files.readAllBytes(npy);
        Files.write(npy, Arrays.copyOf(bytes, bytes.length - 5));
        IOException e = assertThrows(IOException.class, () -> read(npy, ids("u1", "u2"), new ArrayList<>()));
        assertEquals(npy + ": truncated: shape (2, 3) needs 24 bytes of data but only 19 follow the header", e.getMessage());
    }

    @Test
    void refusesIdCountMismatchEmptyAndDuplicateIds() throws IOException {
        Path npy = dir.resolve("m.npy");
        Npy.write(npy, "<f4", false, 1, M);
        Path three = ids("u1", "u2", "u3");
        IOException e = assertThrows(IOException.class, () -> read(npy, three, new ArrayList<>()));
        assertEquals(three + " has 3 ids but " + npy + " has 2 rows; they must match, one id per row", e.getMessage());
        Path dup = ids("u1", "u1");
        e = assertThrows(ImportFileException.class, () -> read(npy, dup, new ArrayList<>()));
        assertEquals(dup + ":2: duplicate id [u1], first seen on line 1", e.getMessage());
        Path empty = ids("u1", "", "u2");
        e = assertThrows(ImportFileException.class, () -> read(npy, empty, new ArrayList<>()));
        assertTrue(e.getMessage().startsWith(empty + ":2: empty id"), e.getMessage());
    }

    @Test
    void refusesOtherFilesAndShapes() throws IOException {
        Path txt = Files.writeString(dir.resolve("m.npy"), "id,features\n");
        IOException e = assertThrows(IOException.class, () -> read(txt, ids("u1"), new ArrayList<>()));
        assertTrue(e.getMessage().contains("not a NumPy .npy file"), e.getMessage());
    }
}
