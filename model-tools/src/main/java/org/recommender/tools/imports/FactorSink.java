package org.recommender.tools.imports;

import java.io.IOException;

/** Receives the vectors a {@link FactorReader} finds, in file order. */
@FunctionalInterface
public interface FactorSink {
    /**
     * @param id the user or item id, as text
     * @param vector its factors
     * @param where the line or row it was read from, for error messages
     * @throws ImportFileException when the vector cannot be used
     */
    void accept(String id, float[] vector, Location where) throws IOException;
}
