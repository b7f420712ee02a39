package org.recommender.tools.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0): the magic {@code \x93NUMPY}, the
 * version, the header length (2 bytes in 1.0, 4 bytes after), then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (100, 32), }}. Only 2-d float32 and float64 matrices are
 * accepted, since a factor matrix is (rows, dims) of floats.
 *
 * @param rows the number of rows (one per id)
 * @param dims the number of columns (the factor dimension)
 * @param elementBytes 4 for float32, 8 for float64
 * @param order the byte order of the elements
 * @param fortranOrder whether the matrix is stored column by column
 * @param dataOffset where the elements start in the file
 */
public record NpyHeader(long rows, int dims, int elementBytes, ByteOrder order, boolean fortranOrder, long dataOffset) {
    private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** @return the number of bytes the elements take */
    public long dataBytes() {
        return rows * dims * elementBytes;
    }

    /**
     * Reads the header from the start of {@code in}.
     *
     * @param file the file, for messages
     * @throws IOException naming the file when the header is not one of a 2-d float matrix
     */
    public static NpyHeader read(Path file, InputStream in) throws IOException {
        byte[] prefix = in.readNBytes(8);
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix.length <= i || prefix[i] != MAGIC[i]) {
                throw error(file, "not a NumPy .npy file (no \\x93NUMPY magic); save the matrix with numpy.save");
            }
        }
        if (prefix.length < 8) {
            throw error(file, "truncated before the header");
        }
        int major = prefix[6] & 0xff;
        int lengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw error(file, "format version " + major + "." + (prefix[7] & 0xff) + " is not supported (1.0, 2.0 and 3.0 are)");
        };
        byte[] len = in.readNBytes(lengthBytes);
        if (len.length < lengthBytes) {
            throw error(file, "truncated before the header");
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (len[i] & 0xff); // little-endian
        }
        if (headerLength > 1 << 20) {
            throw error(file, "header of " + headerLength + " bytes is implausibly long");
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw error(file, "truncated inside the header");
        }
        // 1.0 and 2.0 headers are latin-1; 3.0 allows UTF-8 (only in field names, which we do not read)
        String dict = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(file, dict, 8L + lengthBytes + headerLength);
    }

    private static NpyHeader parse(Path file, String dict, long dataOffset) throws IOException {
        String descr = group(file, DESCR, dict, "descr");
        String fortran = group(file, FORTRAN, dict, "fortran_order");
        String shape = group(file, SHAPE, dict, "shape");
        ByteOrder order;
        int elementBytes;
        switch (descr) {
            case "<f4", "=f4" -> { order = ByteOrder.LITTLE_ENDIAN; elementBytes = 4; }
            case "<f8", "=f8" -> { order = ByteOrder.LITTLE_ENDIAN; elementBytes = 8; }
            case ">f4" -> { order = ByteOrder.BIG_ENDIAN; elementBytes = 4; }
            case ">f8" -> { order = ByteOrder.BIG_ENDIAN; elementBytes = 8; }
            default -> throw error(file, "dtype [" + descr + "] is not supported: only float32 (<f4) and float64 (<f8); "
                + "convert with matrix.astype(numpy.float32)");
        }
        String[] parts = shape.strip().split("\\s*,\\s*");
        if (parts.length != 2 || parts[1].isEmpty()) {
            throw error(file, "shape (" + shape.strip() + ") is not a 2-d matrix (rows, dims)");
        }
        long rows;
        long dims;
        try {
            rows = Long.parseLong(parts[0].strip());
            dims = Long.parseLong(parts[1].strip());
        } catch (NumberFormatException e) {
            throw error(file, "shape (" + shape.strip() + ") is not a pair of integers");
        }
        if (rows < 1 || dims < 1 || dims > Integer.MAX_VALUE) {
            throw error(file, "shape (" + shape.strip() + ") has no vectors");
        }
        return new NpyHeader(rows, (int) dims, elementBytes, order, fortran.equals("True"), dataOffset);
    }

    private static String group(Path file, Pattern pattern, String dict, String key) throws IOException {
        Matcher m = pattern.matcher(dict);
        if (m.find() == false) {
            throw error(file, "the header " + dict.strip() + " has no readable '" + key + "'");
        }
        return m.group(1);
    }

    private static IOException error(Path file, String problem) {
        return new IOException(file + ": " + problem);
    }
}
