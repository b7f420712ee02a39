package org.recommender.plugin.action.model;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.recommender.plugin.store.ModelStoreService;

/** The transport actions of the model store: each hands its request to {@link ModelStoreService}. */
public final class TransportModelActions {
    private TransportModelActions() {}

    /** {@value PutModelAction#NAME}. */
    public static final class Put extends HandledTransportAction<PutModelAction.Request, PutModelAction.Response> {
        private final ModelStoreService store;

        /** Wired by the node's injector. */
        @Inject
        public Put(TransportService transportService, ActionFilters actionFilters, ModelStoreService store) {
            super(PutModelAction.NAME, transportService, actionFilters, PutModelAction.Request::new);
            this.store = store;
        }

        @Override
        protected void doExecute(Task task, PutModelAction.Request request, ActionListener<PutModelAction.Response> listener) {
            store.put(
                request.id(),
                request.bundle(),
                request.description(),
                ActionListener.map(listener, r -> new PutModelAction.Response(r.model(), r.created()))
            );
        }
    }

    /** {@value GetModelAction#NAME}. */
    public static final class Get extends HandledTransportAction<GetModelAction.Request, GetModelAction.Response> {
        private final ModelStoreService store;

        /** Wired by the node's injector. */
        @Inject
        public Get(TransportService transportService, ActionFilters actionFilters, ModelStoreService store) {
            super(GetModelAction.NAME, transportService, actionFilters, GetModelAction.Request::new);
            this.store = store;
        }

        @Override
        protected void doExecute(Task task, GetModelAction.Request request, ActionListener<GetModelAction.Response> listener) {
            store.get(request.id(), request.includeBundle(), ActionListener.map(listener, GetModelAction.Response::new));
        }
    }

    /** {@value DeleteModelAction#NAME}. */
    public static final class Delete extends HandledTransportAction<DeleteModelAction.Request, DeleteModelAction.Response> {
        private final ModelStoreService store;
        private final CompiledModelEviction eviction;

        /** Wired by the node's injector. */
        @Inject
        public Delete(TransportService transportService, ActionFilters actionFilters, ClusterService clusterService, ModelStoreService store) {
            super(DeleteModelAction.NAME, transportService, actionFilters, DeleteModelAction.Request::new);
            this.store = store;
            this.eviction = new CompiledModelEviction(transportService, clusterService, store);
        }

        /** Deletes the model, then has every node drop its compiled copy before answering. */
        @Override
        protected void doExecute(Task task, DeleteModelAction.Request request, ActionListener<DeleteModelAction.Response> listener) {
            store.delete(
                request.id(),
                ActionListener.wrap(
                    version -> eviction.evictEverywhere(
                        request.id(),
                        ActionListener.map(listener, ignored -> new DeleteModelAction.Response(request.id(), version))
                    ),
                    listener::onFailure
                )
            );
        }
    }

    /** {@value ListModelsAction#NAME}. */
    public static final class List extends HandledTransportAction<ListModelsAction.Request, ListModelsAction.Response> {
        private final ModelStoreService store;

        /** Wired by the node's injector. */
        @Inject
        public List(TransportService transportService, ActionFilters actionFilters, ModelStoreService store) {
            super(ListModelsAction.NAME, transportService, actionFilters, ListModelsAction.Request::new);
            this.store = store;
        }

        @Override
        protected void doExecute(Task task, ListModelsAction.Request request, ActionListener<ListModelsAction.Response> listener) {
            store.list(request.from(), request.size(), ActionListener.map(listener, ListModelsAction.Response::new));
        }
    }
}
