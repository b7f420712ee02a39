package org.recommender.tools.tune;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.SettingDoesNotTrainException;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.registry.Algorithms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A seeded, budgeted search over one algorithm's declared search ranges ({@link HyperParameter#search()}), judged
 * on validation data only: {@link #search} takes training matrices and validators ({@link Holdout}), and nothing
 * else of the data — the test set cannot be reached from here. One holdout is a protocol's validation split; several
 * are the inner folds of nested k-fold, and a setting's score is then its mean over them. The same seed, data and
 * budget give the same trials in the same order. Every trial trains with the same training seed, so trials differ in
 * their settings, not in their luck.
 */
public final class Tuner {
    /** Successive halving keeps the best 1/η of each rung and gives the next rung η times the epochs. */
    public static final int DEFAULT_ETA = 3;
    /** Redraws of a setting already drawn before it is accepted as a repeat (the space may have fewer settings than trials). */
    private static final int MAX_REDRAWS = 20;

    private final String algorithm;
    private final Map<String, String> fixed;
    private final Integer dims;
    private final int maxEpochs;
    private final SearchMethod method;
    private final int trials;
    private final int eta;
    private final long seed;
    private final List<HyperParameter<?>> searched;

    /**
     * Validation data a setting is judged on: what it trains on and what scores the trained model.
     *
     * @param label names it in progress output, e.g. {@code inner 2/3}, or empty for a protocol's validation split
     * @param train what the trial learns from
     * @param validator scores the model, higher is better (NDCG@10, or −RMSE)
     */
    public record Holdout(String label, UserItemMatrix train, EpochValidator validator) {}

    /**
     * The result of a search.
     *
     * @param trials every trial, in the order they ran
     * @param chosen the trial with the best validation score among those trained with the full epoch budget (the
     *     earliest of equals; a score that is not a number, e.g. from a diverged run, is never chosen over one that is)
     */
    public record Search(List<Trial> trials, Trial chosen) {}

    /**
     * @param algorithm a registered algorithm
     * @param fixed parameters given by the user ({@code -P name=value}): not searched
     * @param dims the dimension given with {@code --dims}, or null; when given, the dimension is not searched
     * @param epochs the epochs given with {@code --epochs}, or null for the algorithm's default — or, under random
     *     search of an algorithm that declares a search range for its epochs, for searching them; the full epoch
     *     budget of a trial otherwise (ignored by closed-form algorithms)
     * @param method random search or successive halving
     * @param trials how many settings to draw, at least 1
     * @param eta successive halving's factor, at least 2
     * @param seed seeds the draws and every trial's training
     * @throws IllegalArgumentException for an unknown algorithm, a budget below 1, halving of a closed-form algorithm,
     *     or an algorithm with nothing left to search
     */
    public Tuner(String algorithm, Map<String, String> fixed, Integer dims, Integer epochs, SearchMethod method, int trials, int eta, long seed) {
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be at least 1 but was " + trials);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("--eta must be at least 2 but was " + eta);
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1 but was " + epochs);
        }
        boolean iterative = Algorithms.iterative(algorithm);
        if (method == SearchMethod.HALVING && iterative == false) {
            throw new IllegalArgumentException("--search halving spreads epochs over settings; " + algorithm + " trains in closed form (use --search random)");
        }
        this.algorithm = algorithm;
        this.fixed = Map.copyOf(fixed);
        this.dims = dims;
        this.maxEpochs = epochs != null ? epochs : Algorithms.parameters(algorithm).stream().filter(h -> h.name().equals(HyperParameter.EPOCHS))
            .map(h -> (Integer) h.defaultValue()).findFirst().orElse(1);
        this.method = method;
        this.trials = trials;
        this.eta = eta;
        this.seed = seed;
        // epochs are a searched setting only where nothing else spends them: not given, and not halving's budget
        boolean searchEpochs = epochs == null && method == SearchMethod.RANDOM;
        this.searched = Algorithms.parameters(algorithm).stream()
            .filter(p -> p.search() != null && fixed.containsKey(p.name()) == false && (p.name().equals(HyperParameter.DIMS) == false || dims == null)
                && (p.name().equals(HyperParameter.EPOCHS) == false || searchEpochs))
            .toList();
        if (searched.isEmpty()) {
            throw new IllegalArgumentException(algorithm + " declares no search range that is not fixed by the options; nothing to tune");
        }
        if (method == SearchMethod.HALVING) {
            // the first rung's short budget may be one the algorithm refuses (bpmf: sweeps within its burn-in); say so
            // now, not after the first fold's search has started
            int rungs = rungs(trials, eta);
            int first = rungBudget(0, rungs);
            try {
                trainer(Map.of(), first);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--search halving trains its first rung for " + first + " epochs (--epochs " + maxEpochs + " / --eta "
                    + eta + "^" + (rungs - 1) + "), which " + algorithm + " refuses: " + e.getMessage() + "; raise --epochs, or lower --trials");
            }
        }
    }

    /** @return the epochs of rung {@code rung} (0-based) of {@code rungs}: the full budget last, η times less per rung before */
    private int rungBudget(int rung, int rungs) {
        return rung == rungs - 1 ? maxEpochs : Math.max(1, (int) Math.round(maxEpochs / Math.pow(eta, rungs - 1 - rung)));
    }

    /** @return the parameters this search draws, each with its range */
    public List<HyperParameter<?>> searched() {
        return searched;
    }

    /** @return the full epoch budget of a trial when its epochs are not searched ({@link #epochBudget}) */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** @return trainings a search runs on each holdout: every setting once, or under successive halving each rung's settings */
    public int trainings() {
        if (method != SearchMethod.HALVING) {
            return trials;
        }
        int count = 0;
        int n = trials;
        for (int rung = 0; rung < rungs(trials, eta); rung++) {
            count += n;
            n = Math.max(1, (int) Math.ceil(n / (double) eta));
        }
        return count;
    }

    /** @return whether the epochs are one of the searched settings (random search, no {@code --epochs}, a declared range) */
    public boolean searchesEpochs() {
        return searched.stream().anyMatch(p -> p.name().equals(HyperParameter.EPOCHS));
    }

    /** @return the epochs a setting trains for with the full budget: its own when searched, else {@link #maxEpochs} */
    public int epochBudget(Map<String, String> settings) {
        String own = settings.get(HyperParameter.EPOCHS);
        return own != null ? Integer.parseInt(own) : maxEpochs;
    }

    /**
     * @param settings a trial's searched settings
     * @param epochs the epoch budget, unless the settings hold searched epochs
     * @return the trainer for those settings, the fixed parameters and {@code --dims}, seeded with the search's seed
     */
    public Trainer trainer(Map<String, String> settings, int epochs) {
        // dims and epochs are searched values only: a user's -P dims / -P epochs stays in the fixed parameters, where
        // Algorithms.create refuses it and names --dims / --epochs
        Map<String, String> searched = new LinkedHashMap<>(settings);
        String searchedDims = searched.remove(HyperParameter.DIMS);
        String searchedEpochs = searched.remove(HyperParameter.EPOCHS);
        Map<String, String> given = new LinkedHashMap<>(fixed);
        given.putAll(searched);
        Integer d = searchedDims != null ? Integer.valueOf(searchedDims) : dims;
        Integer e = searchedEpochs != null ? Integer.valueOf(searchedEpochs) : Integer.valueOf(epochs);
        return Algorithms.create(algorithm, given, d, Algorithms.iterative(algorithm) ? e : null, seed);
    }

    /**
     * Runs the search on one validation split.
     *
     * @param train what every trial learns from (the protocol's training part)
     * @param validator the protocol's validation score; the only judge of a trial
     * @param runner trains one trial
     * @param progress hears about each trial as it finishes
     * @return every trial and the chosen one
     */
    public Search search(UserItemMatrix train, EpochValidator validator, TrialRunner runner, Consumer<Trial> progress) {
        return search(List.of(new Holdout("", train, validator)), runner, progress);
    }

    /**
     * Runs the search: each setting trains once on each holdout, and its score is the mean of the holdouts'.
     *
     * @param holdouts the validation data, at least one (nested k-fold: the inner folds)
     * @param runner trains one setting on one holdout
     * @param progress hears about each trial as it finishes
     * @return every trial and the chosen one
     */
    public Search search(List<Holdout> holdouts, TrialRunner runner, Consumer<Trial> progress) {
        if (holdouts.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one validation holdout");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, String>> drawn = new ArrayList<>();
        for (int c = 0; c < trials; c++) {
            Map<String, String> settings = draw(random);
            // a repeat (rounding, or a small choice space) would spend a trial learning nothing; a few redraws, then accept
            for (int redraw = 0; redraw < MAX_REDRAWS && drawn.contains(settings); redraw++) {
                settings = draw(random);
            }
            drawn.add(settings);
        }
        List<Trial> all = new ArrayList<>();
        List<Integer> survivors = new ArrayList<>();
        for (int c = 0; c < trials; c++) {
            survivors.add(c);
        }
        int rungs = method == SearchMethod.HALVING ? rungs(trials, eta) : 1;
        List<Trial> last = List.of();
        for (int rung = 0; rung < rungs; rung++) {
            int budget = rungBudget(rung, rungs);
            List<Trial> ran = new ArrayList<>();
            for (int c : survivors) {
                int number = all.size() + 1;
                Map<String, String> settings = drawn.get(c);
                int epochBudget = settings.containsKey(HyperParameter.EPOCHS) ? epochBudget(settings) : budget;
                String label = String.format("%s trial %d (setting %d/%d%s)", algorithm, number, c + 1, trials,
                    rungs > 1 ? ", rung " + (rung + 1) + "/" + rungs + ", " + budget + " epochs" : "");
                List<Double> scores = new ArrayList<>();
                int epochs = 0;
                int kept = 0;
                double seconds = 0;
                for (Holdout h : holdouts) {
                    long start = System.nanoTime();
                    TrialRunner.Fitted fitted;
                    try {
                        fitted = runner.fit(trainer(settings, budget), h.train(), h.validator(), h.label().isEmpty() ? label : label + " " + h.label());
                    } catch (SettingDoesNotTrainException e) {
                        // a setting that does not train (diverged, or too little regularisation for a closed form)
                        // scores nothing (NaN ranks last) and the search goes on: one such draw of a wide range
                        // stopped a whole search and lost every trial before it
                        scores.add(Double.NaN);
                        epochs = Math.max(epochs, e.epoch());
                        seconds += (System.nanoTime() - start) / 1e9;
                        continue;
                    }
                    scores.add(fitted.validation());
                    epochs = Math.max(epochs, fitted.epochs());
                    kept = Math.max(kept, fitted.keptEpoch());
                    seconds += fitted.seconds();
                }
                double mean = scores.stream().mapToDouble(Double::doubleValue).sum() / scores.size();
                Trial trial = new Trial(number, c + 1, rung, settings, epochBudget, mean, scores, epochs, kept, seconds);
                all.add(trial);
                ran.add(trial);
                progress.accept(trial);
            }
            last = ran;
            int keep = Math.max(1, (int) Math.ceil(ran.size() / (double) eta));
            // sorted is stable: of equal scores the earlier setting goes on
            survivors = ran.stream().sorted(Comparator.comparingDouble((Trial t) -> comparable(t.validation())).reversed()).limit(keep)
                .map(t -> t.config() - 1).toList();
        }
        Trial chosen = last.get(0);
        for (Trial t : last) {
            if (comparable(t.validation()) > comparable(chosen.validation())) {
                chosen = t;
            }
        }
        if (Double.isNaN(chosen.validation())) {
            throw new IllegalStateException("no setting of the search for " + algorithm + " trained to a validation score (every run of "
                + last.size() + " in the last round diverged or was not positive definite); narrow the searched ranges, or fix a parameter with -P name=value");
        }
        return new Search(List.copyOf(all), chosen);
    }

    /** @return the score as the search compares it: a score that is not a number (a diverged run) ranks below every other */
    static double comparable(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }

    private Map<String, String> draw(SplittableRandom random) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (HyperParameter<?> p : searched) {
            settings.put(p.name(), p.drawText(random));
        }
        return settings;
    }

    /** @return how many rungs halve {@code settings} down to at most η: 1 + ⌊log_η(settings)⌋, at least 1 */
    static int rungs(int settings, int eta) {
        int rungs = 1;
        for (long n = settings; n >= eta; n /= eta) {
            rungs++;
        }
        return rungs;
    }
}
