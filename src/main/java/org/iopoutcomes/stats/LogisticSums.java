package org.iopoutcomes.stats;

/**
 * What the IRLS loop of {@link LogisticRegression} needs from the data: per pass over the rows at one beta, the
 * deviance and the weighted cross-products of glm.fit's working model. The driver-side rows compute them from arrays;
 * a Spark pipeline computes the same sums with aggregates, so only p x p numbers reach the driver.
 *
 * <p>Per row (x with the intercept as its first element): mu = inverse logit of eta = x'beta (eta clamped at +-30
 * as R's logit link), mu_eta = max(mu (1 - mu), machine epsilon), W = mu_eta^2 / (mu (1 - mu)),
 * z = eta + (y - mu) / mu_eta. At the start (beta null) mu = (y + 1/2) / 2 and eta = logit(mu), as glm.fit.
 */
public interface LogisticSums {
    /** Number of coefficients, the intercept included. */
    int dimension();

    /** Number of rows. */
    long observations();

    /** Number of rows with outcome 1. */
    long events();

    /** One pass over the rows at beta (null = glm.fit's starting values). */
    LogisticPass pass(double[] beta);

    /**
     * @param deviance    binomial deviance, -2 sum log P(y_i)
     * @param xtwx        X'WX
     * @param xtwz        X'Wz
     * @param xtwResidual X'W(z - eta), the score: the Newton step is (X'WX)^-1 of it, accurate however large beta
     * @param boundary    number of rows whose fitted probability is within 10 machine epsilons of 0 or 1
     */
    record LogisticPass(double deviance, double[][] xtwx, double[] xtwz, double[] xtwResidual, long boundary) {}
}
