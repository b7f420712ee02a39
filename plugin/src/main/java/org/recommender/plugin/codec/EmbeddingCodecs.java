package org.recommender.plugin.codec;

import org.apache.lucene.codecs.Codec;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.AdditionalCodecs;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperService;
import org.recommender.plugin.mapper.EmbeddingFieldType;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Offers the {@link EmbeddingCodec} to every index under the name {@value EmbeddingCodec#ALIAS}; an index uses it
 * only when its {@code index.codec} says so. Adding a named codec, rather than replacing the codec service, leaves
 * other plugins' codecs (the k-NN plugin's, for its own indices) alone.
 */
public final class EmbeddingCodecs implements AdditionalCodecs {
    @Override
    public Map<String, Codec> getCodecs(MapperService mapperService, IndexSettings indexSettings, Supplier<Codec> defaultCodec) {
        EmbeddingVectorsFormat vectors = new EmbeddingVectorsFormat(field -> {
            MappedFieldType type = mapperService == null ? null : mapperService.fieldType(field);
            return type instanceof EmbeddingFieldType embedding ? embedding : null;
        });
        return Map.of(EmbeddingCodec.ALIAS, EmbeddingCodec.forWriting(defaultCodec.get(), vectors));
    }
}
