package org.recommender.plugin.action.recommend;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.recommender.plugin.recommend.RecommendService;

/** {@value RecommendAction#NAME}: hands the request to {@link RecommendService}. */
public final class TransportRecommendAction extends HandledTransportAction<RecommendRequest, RecommendResponse> {
    private final RecommendService service;

    /** Wired by the node's injector. */
    @Inject
    public TransportRecommendAction(TransportService transportService, ActionFilters actionFilters, RecommendService service) {
        super(RecommendAction.NAME, transportService, actionFilters, RecommendRequest::new);
        this.service = service;
    }

    @Override
    protected void doExecute(Task task, RecommendRequest request, ActionListener<RecommendResponse> listener) {
        service.recommend((CancellableTask) task, request.indices(), request.indicesOptions(), request.query(),
            ActionListener.map(listener, RecommendResponse::new));
    }
}
