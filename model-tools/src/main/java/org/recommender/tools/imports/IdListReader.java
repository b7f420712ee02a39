package org.recommender.tools.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the ids of a NumPy matrix's rows: a UTF-8 text file, one id per line, line N naming row N-1. Empty and
 * repeated ids are refused here, with the id file's line, because that is the file to fix.
 */
public final class IdListReader {
    private IdListReader() {}

    /**
     * @return the ids in file order
     * @throws ImportFileException naming the line of an empty or repeated id
     */
    public static List<String> read(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long line = 0;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                String id = text.strip();
                if (id.isEmpty()) {
                    // a blank line would shift every later id onto the wrong row
                    throw new ImportFileException(Location.line(file, line), "empty id; the file must hold one id per line, one line per matrix row");
                }
                Long first = seen.putIfAbsent(id, line);
                if (first != null) {
                    throw new ImportFileException(Location.line(file, line), "duplicate id [" + id + "], first seen on line " + first);
                }
                ids.add(id);
            }
        }
        return ids;
    }
}
