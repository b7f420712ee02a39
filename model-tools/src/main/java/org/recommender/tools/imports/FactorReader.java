package org.recommender.tools.imports;

import java.io.IOException;

/** Reads one side (users or items) of a model trained elsewhere and hands every vector to a {@link FactorSink}. */
@FunctionalInterface
public interface FactorReader {
    /**
     * @param sink receives each (id, vector) in file order
     * @throws ImportFileException naming the file and line or row of a row that cannot be parsed
     */
    void read(FactorSink sink) throws IOException;
}
