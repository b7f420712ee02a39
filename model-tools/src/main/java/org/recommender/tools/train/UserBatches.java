package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;

import java.util.SplittableRandom;

/**
 * The epochs of the autoencoders that learn from whole user rows (Mult-DAE, ELSA): every user with at least one
 * training item once per epoch (an empty row has nothing to reconstruct), in an order shuffled by the trainer's
 * {@link SplittableRandom}, in minibatches of users. Progress is counted in users.
 */
public final class UserBatches {
    /** What a trainer does with one minibatch. */
    @FunctionalInterface
    public interface Step {
        /**
         * @param users the shuffled users; the batch is {@code users[from]} … {@code users[from + size − 1]}
         * @return the batch's mean loss
         */
        double apply(int[] users, int from, int size);
    }

    private final int[] users;

    /** @param data the training matrix, whose users with items are batched */
    public UserBatches(UserItemMatrix data) {
        int n = 0;
        for (int u = 0; u < data.users(); u++) {
            n += data.rowLength(u) > 0 ? 1 : 0;
        }
        users = new int[n];
        n = 0;
        for (int u = 0; u < data.users(); u++) {
            if (data.rowLength(u) > 0) {
                users[n++] = u;
            }
        }
    }

    /** @return how many users an epoch visits: those with at least one training item */
    public int size() {
        return users.length;
    }

    /**
     * One epoch: shuffles the users (continuing the previous epoch's order, as a shuffled data loader does) and runs
     * {@code step} on each minibatch in turn.
     *
     * @return the mean of the batches' mean losses, 0 without users
     */
    public double epoch(int batchSize, SplittableRandom random, TrainingControl control, Step step) {
        for (int i = users.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = users[i];
            users[i] = users[j];
            users[j] = t;
        }
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < users.length; start += batchSize) {
            int size = Math.min(batchSize, users.length - start);
            lossSum += step.apply(users, start, size);
            batches++;
            control.steps(size);
        }
        return batches == 0 ? 0 : lossSum / batches;
    }
}
