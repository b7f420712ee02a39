package org.recommender.tools.train.mf;

import org.recommender.tools.data.UserItemMatrix;

import java.util.Arrays;

/**
 * Each factor row's regularisation weight in {@link IalsTrainer}: {@code λ · (w_r / mean w)^ν}, where
 * {@code w_r = Σ_cells c} is the row's total weight in the loss — 1 for each of the {@code columns} cells plus
 * {@code c − 1} for each observed one. With ν = 0 every row gets λ. Normalising by the mean keeps λ the average
 * penalty whatever ν is, so a search over (λ, ν) does not have to move λ by orders of magnitude as ν changes.
 */
final class RowPenalties {
    private RowPenalties() {}

    /**
     * @param rows one row per factor vector being penalised (users, or the transpose for items)
     * @param columns the number of cells in a row (items for user rows, users for item rows)
     * @param config λ, ν, α and the confidence function
     * @return λ per row
     */
    static double[] of(UserItemMatrix rows, int columns, IalsConfig config) {
        double[] penalty = new double[rows.users()];
        if (config.regExponent() == 0) {
            Arrays.fill(penalty, config.regularization());
            return penalty;
        }
        double sum = 0;
        for (int r = 0; r < penalty.length; r++) {
            double w = columns;
            for (int e = rows.rowStart(r); e < rows.rowStart(r + 1); e++) {
                w += config.confidence().of(rows.valueOfEntry(e), config.alpha()) - 1;
            }
            penalty[r] = w;
            sum += w;
        }
        double mean = sum / Math.max(1, penalty.length);
        for (int r = 0; r < penalty.length; r++) {
            penalty[r] = config.regularization() * Math.pow(penalty[r] / mean, config.regExponent());
        }
        return penalty;
    }
}
