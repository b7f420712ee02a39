package org.recommender.tools.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code .npy} files by hand, as {@code numpy.save} lays them out, for tests. */
public final class Npy {
    private Npy() {}

    /**
     * @param descr the dtype, e.g. {@code <f4}
     * @param fortran write column by column (and say so in the header)
     * @param major the format version, 1 to 3
     * @param m the matrix, rows × dims
     */
    public static void write(Path file, String descr, boolean fortran, int major, double[][] m) throws IOException {
        int rows = m.length;
        int dims = m[0].length;
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + rows + ", " + dims + "), }";
        int lengthBytes = major == 1 ? 2 : 4;
        // numpy pads with spaces and a final newline so the data starts on a 64-byte boundary
        int unpadded = 8 + lengthBytes + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0 });
        ByteBuffer len = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) header.length());
        } else {
            len.putInt(header.length());
        }
        out.write(len.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int size = Integer.parseInt(descr.substring(2));
        ByteBuffer data = ByteBuffer.allocate(rows * dims * size).order(order);
        for (int a = 0; a < (fortran ? dims : rows); a++) {
            for (int b = 0; b < (fortran ? rows : dims); b++) {
                double v = fortran ? m[b][a] : m[a][b];
                switch (descr.substring(1)) {
                    case "f4" -> data.putFloat((float) v);
                    case "f8" -> data.putDouble(v);
                    case "i4" -> data.putInt((int) v);
                    default -> throw new IllegalArgumentException(descr);
                }
            }
        }
        out.write(data.array());
        Files.write(file, out.toByteArray());
    }
}
