package org.recommender.plugin.recommend;

import org.opensearch.core.action.ActionListener;
import org.opensearch.transport.client.Client;
import org.recommender.plugin.query.BestScoreUsers;
import org.recommender.plugin.query.UserServices;
import org.recommender.plugin.query.UserLookup;
import org.recommender.plugin.store.HeldMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * The cold-start chain of {@code _recommend} on top of the users every surface resolves alike ({@link UserLookup}):
 * a stored user is its embedding, else the mean of its history items' embeddings
 * ({@code cold_start.history_field}, read from the request's indices; or what {@code cold_start.encoder} makes of
 * them), else the fallback ranking
 * ({@code cold_start.fallback_field}), else a 404 that says what is missing. An example user's examples (positive
 * and negative) are excluded from its items, as seen items are.
 */
final class UserResolver {
    private final Client client;
    private final UserServices userServices;

    UserResolver(Client client, UserServices userServices) {
        this.client = client;
        this.userServices = userServices;
    }

    /**
     * Resolves the plan's users, in request order; stored histories' items are read from the plan's concrete indices.
     * Each user's excluded items (the request's, the seen items its document lists, its examples) are reserved in
     * {@code held} before they are gathered: they are held until the response is sent, after the lookup has released
     * the documents they were read from.
     *
     * @param held what the request holds until it is answered
     * @throws IllegalArgumentException (to {@code listener}) when a vector has another dimension than the plan's
     *     scorer takes
     * @throws org.opensearch.core.common.breaker.CircuitBreakingException (to {@code listener}) when the exclusions do
     *     not fit the plugin's breaker
     */
    void resolve(RecommendPlan plan, HeldMemory held, ActionListener<List<ResolvedUser>> listener) {
        RecommendQuery request = plan.query();
        UserLookup.ColdStart coldStart = new UserLookup.ColdStart(
            request.seenField(),
            request.historyField(),
            plan.concreteIndices(),
            request.field(),
            request.historyEncoder()
        );
        UserLookup.resolve(client, userServices, request.users(), coldStart, ActionListener.wrap(found -> {
            held.reserve(ResolvedUser.stringBytes(request.excludeIds())); // shared by every user's exclusions
            List<ResolvedUser> users = new ArrayList<>(found.size());
            for (int i = 0; i < found.size(); i++) {
                UserLookup.User user = found.get(i);
                Strategy strategy;
                if (user.vector() != null || user.examples() != null) {
                    strategy = switch (user.origin()) {
                        case INLINE -> Strategy.VECTOR;
                        case STORED -> Strategy.EMBEDDING;
                        case HISTORY -> Strategy.HISTORY;
                        case EXAMPLES -> Strategy.EXAMPLES;
                    };
                } else if (request.fallbackField() != null) {
                    strategy = Strategy.FALLBACK;
                } else {
                    throw UserLookup.noVector(
                        request.users().get(i),
                        coldStart,
                        "; set [cold_start.history_field] or [cold_start.fallback_field] to serve such users"
                    );
                }
                if (user.examples() != null) {
                    checkBestScore(plan, user);
                } else {
                    checkDims(plan, user);
                }
                // the examples are what the user already told us about: never recommended back, like seen items
                List<String> never = new ArrayList<>(user.seen());
                never.addAll(request.users().get(i).examples());
                held.reserve(ResolvedUser.exclusionBytes(request, never));
                users.add(
                    new ResolvedUser(
                        user.id(),
                        strategy,
                        user.vector(),
                        ResolvedUser.excluded(request, never),
                        user.encoder() == null ? null : user.encoder().label(),
                        user.examples()
                    )
                );
            }
            listener.onResponse(users);
        }, listener::onFailure));
    }

    /** A best-score user is compared with the field's items, by the model when there is one (dot or cosine only). */
    private static void checkBestScore(RecommendPlan plan, UserLookup.User user) {
        BestScoreUsers.checkDims(user.examples(), plan.field().dims(), plan.query().field());
        if (plan.model() != null) {
            BestScoreUsers.checkModel(plan.model().model(), "[model]", plan.query().model(), user.examples().dims());
        }
    }

    private static void checkDims(RecommendPlan plan, UserLookup.User user) {
        int expected = plan.userDims();
        if (user.vector() != null && user.vector().length != expected && user.encoder() != null) {
            UserServices.Pinned encoder = user.encoder();
            throw new IllegalArgumentException(
                "encoder [" + encoder.id() + "] (" + encoder.encoder().type() + ") makes user vectors of " + encoder.encoder().userDims()
                    + " dimensions but " + (plan.model() == null ? "the items' field [" + plan.query().field() + "] has " : "the model [" + plan.query().model() + "] expects ")
                    + expected
            );
        }
        if (user.vector() != null && user.vector().length != expected) {
            throw new IllegalArgumentException(
                "[user] "
                    + (user.id() == null ? "vector" : "[" + user.id() + "]")
                    + " has "
                    + user.vector().length
                    + " dimensions but "
                    + (plan.model() == null ? "the items' field has " : "the model expects ")
                    + expected
            );
        }
        if (user.vector() != null && plan.model() == null) {
            // ranked by the field's similarity, here or by its knn search: a zero vector against a cosine field would
            // tie every candidate (a candidate query's ranking) where knn candidates refuse it
            plan.field().similarity().requireComparable("user vector", user.vector());
        }
    }
}
