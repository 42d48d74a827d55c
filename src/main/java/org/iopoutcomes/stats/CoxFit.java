package org.iopoutcomes.stats;

import java.util.List;

/**
 * A fitted Cox model (columns of cox_fit.csv). Tests: likelihood ratio, Wald (beta' V^-1 beta, unrounded) and the
 * score test at beta = 0. Concordance is NA when the data source cannot give per-subject risk scores.
 *
 * @param robust true when {@code coefficients} carry robust SEs clustered by an id ({@code wald} then uses them)
 */
public record CoxFit(CoxTies ties, long n, long nevent, List<CoxCoefficient> coefficients,
                     double loglikNull, double loglik, double lrt, int df, double lrtP,
                     double wald, double waldP, double score, double scoreP,
                     double concordance, double concordanceSe,
                     int iterations, boolean converged, boolean robust, double[][] naiveVariance,
                     double[][] variance) {
    public CoxFit {
        coefficients = List.copyOf(coefficients);
    }

    public double[] beta() {
        return coefficients.stream().mapToDouble(CoxCoefficient::coef).toArray();
    }
}
