package org.iopoutcomes.stats;

import java.util.List;

/**
 * A logistic regression fitted as R's glm(family = binomial): deviances, AIC = -2 loglik + 2k, iterations,
 * convergence, and a warning text (empty when none) for fitted probabilities of 0 or 1 or non-convergence,
 * the signs of separation.
 */
public record LogisticFit(long n, List<LogisticCoefficient> coefficients, double nullDeviance, long dfNull,
                          double deviance, long dfResidual, double aic, double loglik, int iterations,
                          boolean converged, String warning) {
    public LogisticFit {
        coefficients = List.copyOf(coefficients);
    }

    public boolean hasWarning() {
        return !warning.isEmpty();
    }
}
