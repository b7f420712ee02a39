package org.recommender.core.scoring;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inner products through ND4J's BLAS {@code gemv}. Item vectors are bulk-copied into an off-heap staging matrix
 * that each thread keeps and grows (never shrinks), so a call allocates no native memory once warm. Wins over
 * {@link SimdDotKernel} only for large batches; see {@code docs/benchmarks.md}.
 */
public final class Nd4jDotKernel implements DotKernel {
    private final ThreadLocal<Staging> staging = ThreadLocal.withInitial(Staging::new);

    @Override
    public void dot(float[] user, float[][] items, int count, float[] out) {
        if (count == 0) {
            return;
        }
        int dims = user.length;
        Staging s = staging.get();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            s.ensure(count, dims);
            FloatPointer itemPtr = (FloatPointer) s.items.data().addressPointer();
            for (int i = 0; i < count; i++) {
                itemPtr.position((long) i * dims).put(items[i], 0, dims);
            }
            itemPtr.position(0);
            ((FloatPointer) s.user.data().addressPointer()).put(user, 0, dims);
            INDArray a = count == s.rows ? s.items : s.items.get(NDArrayIndex.interval(0, count), NDArrayIndex.all());
            INDArray y = count == s.rows ? s.out : s.out.get(NDArrayIndex.interval(0, count));
            Nd4j.getBlasWrapper().level2().gemv('c', 'N', 1.0, a, s.user, 0.0, y);
            ((FloatPointer) s.out.data().addressPointer()).get(out, 0, count);
        }
    }

    @Override
    public String name() {
        return "nd4j";
    }

    /** Per-thread off-heap buffers: items (rows × dims), user (dims) and output (rows). */
    private static final class Staging {
        INDArray items;
        INDArray user;
        INDArray out;
        int rows;
        int dims;

        void ensure(int count, int d) {
            if (items != null && count <= rows && d == dims) {
                return;
            }
            int newRows = Math.max(Integer.highestOneBit(Math.max(count, 16) - 1) << 1, count);
            items = Nd4j.createUninitializedDetached(DataType.FLOAT, newRows, d);
            user = Nd4j.createUninitializedDetached(DataType.FLOAT, d);
            out = Nd4j.createUninitializedDetached(DataType.FLOAT, newRows);
            rows = newRows;
            dims = d;
        }
    }
}
