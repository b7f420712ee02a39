package org.recommender.plugin.action.vectors;

import org.apache.lucene.index.Term;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.single.shard.TransportSingleShardAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.routing.ShardsIterator;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.index.IndexService;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingFields;
import org.recommender.plugin.mapper.EmbeddingValues;

import java.io.IOException;

/**
 * {@value ShardItemVectorsAction#NAME}: on the shard, finds each id with the engine's realtime get (which refreshes
 * first when the document was written since the last refresh, so a document written a moment ago counts, as with a
 * realtime multi-get) and reads its vector from the field's Lucene values at the document found: no stored field is
 * decompressed and no JSON parsed. Runs on the {@code get} pool.
 */
public final class TransportShardItemVectorsAction extends TransportSingleShardAction<ShardItemVectorsAction.Request, ItemVectorsAction.Response> {
    private final IndicesService indicesService;

    /** Wired by the node's injector. */
    @Inject
    public TransportShardItemVectorsAction(
        ClusterService clusterService,
        TransportService transportService,
        IndicesService indicesService,
        ThreadPool threadPool,
        ActionFilters actionFilters,
        IndexNameExpressionResolver resolver
    ) {
        super(ShardItemVectorsAction.NAME, threadPool, clusterService, transportService, actionFilters, resolver, ShardItemVectorsAction.Request::new,
            ThreadPool.Names.GET);
        this.indicesService = indicesService;
    }

    @Override
    protected boolean resolveIndex(ShardItemVectorsAction.Request request) {
        return true;
    }

    @Override
    protected ShardsIterator shards(ClusterState state, InternalRequest request) {
        return clusterService.operationRouting().getShards(state, request.concreteIndex(), request.request().shard, request.request().preference);
    }

    @Override
    protected Writeable.Reader<ItemVectorsAction.Response> getResponseReader() {
        return ItemVectorsAction.Response::new;
    }

    @Override
    protected ItemVectorsAction.Response shardOperation(ShardItemVectorsAction.Request request, ShardId shardId) throws IOException {
        IndexService indexService = indicesService.indexServiceSafe(shardId.getIndex());
        IndexShard shard = indexService.getShard(shardId.id());
        EmbeddingFieldType field;
        try {
            field = EmbeddingFields.require(indexService.mapperService(), request.field, "[field]");
        } catch (IllegalArgumentException e) {
            // not a field Lucene holds vectors of here (unmapped, or numbers in an object): the caller reads _source
            return new ItemVectorsAction.Response(false, new float[request.ids.size()][]);
        }
        float[][] vectors = new float[request.ids.size()][];
        for (int i = 0; i < vectors.length; i++) {
            String id = request.ids.get(i);
            try (Engine.GetResult found = shard.get(new Engine.Get(true, false, id, new Term(IdFieldMapper.NAME, Uid.encodeId(id))))) {
                if (found.exists() == false || found.docIdAndVersion() == null) {
                    continue;
                }
                if (found.isFromTranslog()) {
                    // a translog reader holds the source only; never reached with readFromTranslog false, said for safety
                    return new ItemVectorsAction.Response(false, new float[request.ids.size()][]);
                }
                EmbeddingValues values = field.values(found.docIdAndVersion().reader);
                if (values.advanceExact(found.docIdAndVersion().docId)) {
                    vectors[i] = values.vector().clone(); // readers reuse their array
                }
            }
        }
        return new ItemVectorsAction.Response(true, vectors);
    }
}
