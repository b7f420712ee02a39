package org.recommender.tools.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads factors from a NumPy {@code .npy} matrix of shape (rows, dims), float32 or float64 (converted to float32),
 * with the row ids in a separate text file ({@link IdListReader}). C-ordered matrices are streamed row by row;
 * Fortran-ordered ones are stored column by column, so they are read whole and transposed.
 */
public final class NpyFactorReader implements FactorReader {
    private final Path matrix;
    private final Path idFile;

    /**
     * @param matrix the {@code .npy} file
     * @param idFile one id per line, one line per row
     */
    public NpyFactorReader(Path matrix, Path idFile) {
        this.matrix = matrix;
        this.idFile = idFile;
    }

    @Override
    public void read(FactorSink sink) throws IOException {
        List<String> ids = IdListReader.read(idFile);
        long size = Files.size(matrix);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(matrix), 1 << 16)) {
            NpyHeader header = NpyHeader.read(matrix, in);
            if (ids.size() != header.rows()) {
                throw new IOException(idFile + " has " + ids.size() + " ids but " + matrix + " has " + header.rows() + " rows; they must match, one id per row");
            }
            long follow = size - header.dataOffset();
            if (follow < header.dataBytes()) {
                throw new IOException(matrix + ": truncated: shape (" + header.rows() + ", " + header.dims() + ") needs " + header.dataBytes()
                    + " bytes of data but only " + follow + " follow the header");
            }
            if (follow > header.dataBytes()) {
                throw new IOException(matrix + ": " + (follow - header.dataBytes()) + " bytes follow the (" + header.rows() + ", " + header.dims()
                    + ") matrix; is the header's shape right?");
            }
            Elements elements = new Elements(in, header);
            if (header.fortranOrder()) {
                readColumnMajor(elements, header, ids, sink);
            } else {
                for (int r = 0; r < header.rows(); r++) {
                    float[] v = new float[header.dims()];
                    for (int c = 0; c < v.length; c++) {
                        v[c] = elements.next();
                    }
                    sink.accept(ids.get(r), v, Location.row(matrix, r));
                }
            }
        }
    }

    private void readColumnMajor(Elements elements, NpyHeader header, List<String> ids, FactorSink sink) throws IOException {
        int rows = ids.size();
        float[][] m = new float[rows][header.dims()];
        for (int c = 0; c < header.dims(); c++) {
            for (int r = 0; r < rows; r++) {
                m[r][c] = elements.next();
            }
        }
        for (int r = 0; r < rows; r++) {
            sink.accept(ids.get(r), m[r], Location.row(matrix, r));
        }
    }

    /** Decodes the matrix's elements in file order, as float32. */
    private static final class Elements {
        private final InputStream in;
        private final ByteBuffer buffer;
        private final boolean doubles;

        Elements(InputStream in, NpyHeader header) {
            this.in = in;
            this.doubles = header.elementBytes() == 8;
            this.buffer = ByteBuffer.allocate(header.elementBytes()).order(header.order());
        }

        float next() throws IOException {
            // the file's size was checked against the shape, so a short read means it changed while being read
            if (in.readNBytes(buffer.array(), 0, buffer.capacity()) < buffer.capacity()) {
                throw new IOException("unexpected end of data");
            }
            return doubles ? (float) buffer.getDouble(0) : buffer.getFloat(0);
        }
    }
}
