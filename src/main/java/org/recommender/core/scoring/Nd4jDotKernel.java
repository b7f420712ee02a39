package org.recommender.core.scoring;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inner products through ND4J's BLAS {@code gemv}. Item vectors are bulk-copied ({@link OffHeapRows}, shared with
 * the neural kernels) into an off-heap staging matrix
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
            OffHeapRows.copy(items, count, dims, s.itemPointer, 0);
            OffHeapRows.copy(user, s.userPointer, 0);
            s.viewsFor(count);
            Nd4j.getBlasWrapper().level2().gemv('c', 'N', 1.0, s.itemsView, s.user, 0.0, s.outView);
            ((FloatPointer) s.out.data().addressPointer()).get(out, 0, count);
        }
    }

    @Override
    public Kernel kernel() {
        return Kernel.ND4J;
    }

    /**
     * Per-thread off-heap buffers: items (rows × dims), user (dims) and output (rows), plus views of the first
     * {@code viewRows} rows — kept because creating an ND4J view costs more than a small gemv.
     */
    private static final class Staging {
        INDArray items;
        FloatPointer itemPointer; // our own cursors over the arrays' memory, as OffHeapRows requires
        INDArray user;
        FloatPointer userPointer;
        INDArray out;
        INDArray itemsView;
        INDArray outView;
        int rows;
        int dims;
        int viewRows = -1;

        void viewsFor(int count) {
            if (count == viewRows) {
                return;
            }
            itemsView = count == rows ? items : items.get(NDArrayIndex.interval(0, count), NDArrayIndex.all());
            outView = count == rows ? out : out.get(NDArrayIndex.interval(0, count));
            viewRows = count;
        }

        void ensure(int count, int d) {
            if (items != null && count <= rows && d == dims) {
                return;
            }
            int newRows = Math.max(Integer.highestOneBit(Math.max(count, 16) - 1) << 1, count);
            items = Nd4j.createUninitializedDetached(DataType.FLOAT, newRows, d);
            itemPointer = new FloatPointer(items.data().addressPointer());
            user = Nd4j.createUninitializedDetached(DataType.FLOAT, d);
            userPointer = new FloatPointer(user.data().addressPointer());
            out = Nd4j.createUninitializedDetached(DataType.FLOAT, newRows);
            rows = newRows;
            dims = d;
            viewRows = -1;
        }
    }
}
