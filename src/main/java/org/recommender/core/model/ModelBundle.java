package org.recommender.core.model;

import org.recommender.core.encoder.Gru4RecEncoder;
import org.recommender.core.encoder.MultDaeEncoder;
import org.recommender.core.encoder.SasRecEncoder;
import org.recommender.core.encoder.UserEncoder;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.scoring.NetworkKernels;
import org.recommender.core.scoring.ScratchPool;
import org.recommender.core.scoring.Workspaces;

import java.util.List;
import java.util.Map;

/**
 * A model bundle: one self-describing, versioned, checksummed byte string holding a scoring model or a user
 * encoder (format in {@code docs/model-format.md}). Written by model-tools (or {@link #builder}), stored by the
 * plugin, and compiled where it is used: a scoring model by {@link #compile} into a {@link ScoringModel}, an encoder
 * ({@link #isEncoder}) by {@link #compileEncoder} into a {@link UserEncoder}. Parsing validates everything — framing,
 * checksum, header, every shape, every weight — so a bundle that parses always compiles. Immutable.
 */
public final class ModelBundle {
    /** The bundle format version this code reads and writes. */
    public static final int FORMAT_VERSION = BundleCodec.FORMAT_VERSION;
    /** The largest {@code max_length} a {@code multdae} encoder may declare: the most distinct history items it reads. */
    public static final int MAX_SET_LENGTH = EncoderSpec.MAX_SET_LENGTH;

    private final byte[] bytes;
    private final ModelHeader header;
    private final List<float[]> blocks;
    private final String checksum;

    private ModelBundle(byte[] bytes, ModelHeader header, List<float[]> blocks, String checksum) {
        this.bytes = bytes;
        this.header = header;
        this.blocks = blocks;
        this.checksum = checksum;
    }

    /**
     * Parses and validates a bundle.
     *
     * @param bytes the bundle; copied
     * @return the bundle
     * @throws InvalidModelException naming the field, layer or block that is wrong; nothing else, whatever the bytes
     */
    public static ModelBundle parse(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidModelException("bundle: no bytes");
        }
        byte[] copy = bytes.clone();
        try {
            BundleCodec.Frame frame = BundleCodec.readFrame(copy);
            ModelHeader header = HeaderJson.read(copy, frame.headerOffset(), frame.headerLength());
            List<float[]> blocks = BundleCodec.readBlocks(copy, frame, header.blocks());
            return new ModelBundle(copy, header, List.copyOf(blocks), frame.checksum());
        } catch (InvalidModelException e) {
            throw e;
        } catch (RuntimeException e) {
            // Every rule has its own message; this only guarantees the contract if a check was missed.
            throw new InvalidModelException("bundle: unreadable: " + e, e);
        }
    }

    /** @return the bundle's bytes: exactly those parsed (or built); {@code parse(toBytes())} gives an equal bundle */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** @return {@code dot}, {@code cosine}, {@code mlp}, {@code neumf}, or an encoder's {@code sasrec}, {@code gru4rec}, {@code multdae} */
    public String type() {
        return header.type().externalName();
    }

    /** @return whether the bundle is a user encoder ({@link #compileEncoder}) rather than a scoring model ({@link #compile}) */
    public boolean isEncoder() {
        return header.type().isEncoder();
    }

    /** @return the dimension user vectors must have */
    public int userDims() {
        return header.userDims();
    }

    /** @return the dimension item vectors must have */
    public int itemDims() {
        return header.itemDims();
    }

    /** @return the SHA-256 stored at the end of the bundle (verified when parsed), lower-case hex */
    public String checksum() {
        return checksum;
    }

    /** @return the bundle's size in bytes */
    public long sizeInBytes() {
        return bytes.length;
    }

    /** @return the header's free-form {@code metadata} object (e.g. {@code trained_by}, {@code dataset}); read-only */
    public Map<String, Object> metadata() {
        return header.metadata();
    }

    /** @return the format version the bundle was written in */
    public int formatVersion() {
        return FORMAT_VERSION;
    }

    /**
     * An upper bound on the memory {@link #compile(KernelProvider)} allocates for this bundle, heap and native together, so a
     * server can admit or refuse the compilation before any of it is allocated. Per layer of i inputs and o outputs
     * (4-byte floats): the network's own rows (with their array headers), the transient row-major copy the kernels
     * are built from, the SIMD kernel's transposed copy with o padded to 16 lanes, and ND4J's native copy with its
     * bias; plus the one-unit output layer, a constant for the objects around them, and the scratch a neural model
     * keeps between calls ({@link Workspaces#RETAINED} workspaces of folds, SIMD buffers and staging arrays).
     *
     * @return bytes; small for {@code dot} and {@code cosine}, which hold no weights
     */
    public long compileBytesBound() {
        if (isEncoder()) {
            // The encoders copy their weights into rows once (plus a header per row); nothing else.
            long floats = 0;
            long rows = 0;
            for (BlockSpec block : header.blocks()) {
                floats += block.floats();
                rows += block.rows();
            }
            return 64 * 1024 + 4 * floats + 16 * rows;
        }
        long bytes = 64 * 1024;
        long last = 0;
        for (LayerSpec layer : header.layers()) {
            long in = layer.inputs();
            long out = layer.outputs();
            long padded = (out + 15) / 16 * 16;
            bytes += out * (16 + 4 * in) + 4 * in * out + 4 * in * padded + 4 * out * (in + 1) + 8 * padded + 64;
            last = layer.outputs();
        }
        bytes += 16L * (last + header.gmfDims() + 16); // output layer: network, SIMD and native copies of one row
        if (!header.layers().isEmpty()) {
            bytes += Workspaces.retainedBytes(ScratchPool.POOLED_BYTES + 2 * scratchBytesBound() + simdBufferBytesBound() + NetworkKernels.KEPT_STAGING_BYTES);
        }
        return bytes;
    }

    /*
     * Scratch a neural model keeps between calls, per retained workspace: user folds (at most POOLED_BYTES of them,
     * or two scratches when one is larger), the SIMD kernel's buffer and the native staging slots.
     */

    /** One NetworkScratch: the user, the folded first layer (rows × item features), offsets, skip row and outputs. */
    private long scratchBytesBound() {
        long rows = header.layers().get(0).outputs();
        long bytes = 256 + 4L * header.userDims() + rows * (16 + 4L * header.itemDims()) + 8 * rows + 4L * header.itemDims();
        for (LayerSpec layer : header.layers()) {
            bytes += 16 + 4L * layer.outputs();
        }
        return bytes;
    }

    /** The SIMD kernel's buffer: the transposed fold (features × padded rows) and two groups of 8 padded outputs. */
    private long simdBufferBytesBound() {
        long widest = 0;
        for (LayerSpec layer : header.layers()) {
            widest = Math.max(widest, (layer.outputs() + 15) / 16 * 16);
        }
        return 256 + 4L * header.itemDims() * widest + 4 * widest + 2 * 8 * (16 + 4 * widest);
    }

    /**
     * Compiles for {@link KernelProvider#auto()}: kernels as this JVM and its native backend allow, the crossover
     * chosen per call.
     *
     * @return a ready-to-score, immutable, thread-safe model
     */
    public ScoringModel compile() {
        return compile(KernelProvider.auto());
    }

    /**
     * Compiles the model.
     *
     * @param kernels chooses the kernel for each call the model scores, and builds the model's kernels
     * @return a ready-to-score, immutable, thread-safe model
     */
    public ScoringModel compile(KernelProvider kernels) {
        return switch (header.type()) {
            case DOT, COSINE -> new SimilarityModel(header, kernels);
            case MLP, NEUMF -> new NeuralModel(header.type(), NetworkFactory.build(header, blocks), kernels);
            case SASREC, GRU4REC, MULTDAE -> throw new InvalidModelException(
                "type: [" + type() + "] is a user encoder, not a scoring model; it turns a history into a user vector"
            );
        };
    }

    /**
     * Compiles a user encoder.
     *
     * @return a ready-to-encode, immutable, thread-safe encoder
     * @throws InvalidModelException naming {@code type} when the bundle is a scoring model
     */
    public UserEncoder compileEncoder() {
        EncoderSpec e = header.encoder();
        return switch (header.type()) {
            case SASREC -> new SasRecEncoder(
                header.itemDims(), e.maxLength(), e.heads(), e.numBlocks(), e.ffnDims(), (float) e.inputScale(), e.layerNormEpsilon(), blocks
            );
            case GRU4REC -> new Gru4RecEncoder(header.itemDims(), header.userDims(), e.hiddenDims(), e.maxLength(), blocks);
            case MULTDAE -> new MultDaeEncoder(header.itemDims(), e.maxLength(), blocks.get(0));
            case DOT, COSINE, MLP, NEUMF -> throw new InvalidModelException(
                "type: [" + type() + "] is a scoring model, not a user encoder; encoders are " + List.of("sasrec", "gru4rec", "multdae")
            );
        };
    }

    /**
     * @param type {@code dot}, {@code cosine}, {@code mlp}, {@code neumf}, or an encoder type ({@code sasrec},
     *     {@code gru4rec}, {@code multdae}, whose weights are set by name with {@link ModelBundleBuilder#weights})
     * @return a builder for a bundle of that type
     * @throws InvalidModelException for an unknown type
     */
    public static ModelBundleBuilder builder(String type) {
        return new ModelBundleBuilder(ModelType.fromName(type));
    }

    /** @return a {@code dot} model over {@code dims}-dimensional vectors, without biases */
    public static ModelBundle dot(int dims) {
        return builder("dot").dims(dims).build();
    }

    /** @return a {@code cosine} model over {@code dims}-dimensional vectors, without biases */
    public static ModelBundle cosine(int dims) {
        return builder("cosine").dims(dims).build();
    }

    @Override
    public String toString() {
        return "ModelBundle[" + type() + ", user_dims=" + userDims() + ", item_dims=" + itemDims() + ", " + bytes.length
            + " bytes, sha256=" + checksum + "]";
    }
}
