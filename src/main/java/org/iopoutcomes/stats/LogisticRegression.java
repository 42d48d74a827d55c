package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Logistic regression by iteratively reweighted least squares, step for step as R's glm.fit: start at
 * mu = (y + 1/2)/2, solve each weighted least-squares step by QR, stop when |dev - dev_old|/(|dev| + 0.1) < epsilon.
 * SEs come from the weights of the last step, as summary.glm's. Never throws on separation: the fit carries a warning.
 */
public final class LogisticRegression {
    /** glm.control(epsilon = 1e-14), the control the reference used (R's default is 1e-8). */
    public static final double DEFAULT_EPSILON = 1e-14;
    public static final int DEFAULT_MAX_ITER = 100;
    private static final double EPS = Math.ulp(1.0);
    /** R's logit link clamps eta at +-30 so that mu stays inside (0, 1). */
    private static final double ETA_THRESHOLD = 30;

    private LogisticRegression() {}

    /**
     * @param y          0/1 outcomes
     * @param covariates n x p covariates (no intercept column: it is added as "(Intercept)")
     * @param terms      names of the p covariates
     */
    public static LogisticFit fit(double[] y, double[][] covariates, List<String> terms) {
        return fit(y, covariates, terms, DEFAULT_EPSILON, DEFAULT_MAX_ITER);
    }

    public static LogisticFit fit(double[] y, double[][] covariates, List<String> terms, double epsilon, int maxIter) {
        int n = y.length;
        int p = terms.size() + 1;
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("outcome must be 0 or 1, got " + y[i] + " in row " + (i + 1));
            }
            x[i][0] = 1.0;
            System.arraycopy(covariates[i], 0, x[i], 1, p - 1);
        }
        double[] mu = new double[n];
        double[] eta = new double[n];
        for (int i = 0; i < n; i++) {
            mu[i] = (y[i] + 0.5) / 2;
            eta[i] = Math.log(mu[i] / (1 - mu[i]));
        }
        double devOld = deviance(y, mu);
        double dev = devOld;
        double[] beta = new double[p];
        double[] previousBeta = null;
        RealMatrix lastWeightedX = null;
        boolean converged = false;
        boolean rankDeficient = false;
        int iter;
        for (iter = 1; iter <= maxIter; iter++) {
            double[][] wx = new double[n][p];
            double[] wz = new double[n];
            for (int i = 0; i < n; i++) {
                double muEta = Math.max(mu[i] * (1 - mu[i]), EPS);
                double variance = mu[i] * (1 - mu[i]);
                double z = eta[i] + (y[i] - mu[i]) / muEta;
                double w = Math.sqrt(muEta * muEta / variance);
                for (int j = 0; j < p; j++) {
                    wx[i][j] = w * x[i][j];
                }
                wz[i] = w * z;
            }
            RealMatrix weightedX = new Array2DRowRealMatrix(wx, false);
            DecompositionSolver solver = new QRDecomposition(weightedX, 1e-11).getSolver();
            if (!solver.isNonSingular()) {
                rankDeficient = true;
                break;
            }
            double[] next = solver.solve(new ArrayRealVector(wz, false)).toArray();
            double[] nextEta = new double[n];
            double[] nextMu = new double[n];
            for (int i = 0; i < n; i++) {
                nextEta[i] = Matrices.dot(next, x[i]);
                nextMu[i] = inverseLogit(nextEta[i]);
            }
            double nextDev = deviance(y, nextMu);
            // glm.fit halves the step when the deviance is not finite
            int halvings = 0;
            while (!Double.isFinite(nextDev) && previousBeta != null && halvings < maxIter) {
                for (int j = 0; j < p; j++) {
                    next[j] = (next[j] + beta[j]) / 2;
                }
                for (int i = 0; i < n; i++) {
                    nextEta[i] = Matrices.dot(next, x[i]);
                    nextMu[i] = inverseLogit(nextEta[i]);
                }
                nextDev = deviance(y, nextMu);
                halvings++;
            }
            previousBeta = beta;
            beta = next;
            eta = nextEta;
            mu = nextMu;
            dev = nextDev;
            lastWeightedX = weightedX;
            if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < epsilon) {
                converged = true;
                break;
            }
            devOld = dev;
        }
        int iterations = Math.min(iter, maxIter);
        List<String> warnings = new ArrayList<>();
        if (rankDeficient) {
            warnings.add("covariates are collinear (the design matrix is singular); no estimates");
        }
        if (!converged && !rankDeficient) {
            warnings.add("algorithm did not converge in " + maxIter + " iterations");
        }
        for (double m : mu) {
            if (m > 1 - 10 * EPS || m < 10 * EPS) {
                warnings.add("fitted probabilities numerically 0 or 1 occurred (separation): estimates and SEs of"
                        + " the separating covariates are not reliable");
                break;
            }
        }

        double[][] covariance = covariance(lastWeightedX, p);
        List<String> names = new ArrayList<>();
        names.add("(Intercept)");
        names.addAll(terms);
        double z95 = Normal.Z95;
        List<LogisticCoefficient> coefficients = new ArrayList<>(p);
        for (int j = 0; j < p; j++) {
            double estimate = rankDeficient ? Na.NA : beta[j];
            double se = covariance == null ? Na.NA : Math.sqrt(covariance[j][j]);
            double z = estimate / se;
            coefficients.add(new LogisticCoefficient(names.get(j), estimate, se, z,
                    rankDeficient ? Na.NA : Normal.twoSidedP(z), Math.exp(estimate),
                    new Interval(Math.exp(estimate - z95 * se), Math.exp(estimate + z95 * se))));
        }
        double mean = 0.0;
        for (double v : y) {
            mean += v / n;
        }
        double[] nullMu = new double[n];
        java.util.Arrays.fill(nullMu, mean);
        double nullDeviance = deviance(y, nullMu);
        double loglik = -dev / 2; // 0/1 outcomes: the saturated log-likelihood is 0
        double aic = dev + 2 * p;
        return new LogisticFit(n, coefficients, nullDeviance, n - 1, dev, n - p, aic, loglik, iterations,
                converged, String.join("; ", warnings));
    }

    private static double[][] covariance(RealMatrix weightedX, int p) {
        if (weightedX == null) {
            return null;
        }
        try {
            RealMatrix information = weightedX.transpose().multiply(weightedX);
            return Matrices.inverseSymmetric(information.getData());
        } catch (SingularMatrixException e) {
            return null;
        }
    }

    static double inverseLogit(double eta) {
        if (eta < -ETA_THRESHOLD) {
            return EPS;
        }
        if (eta > ETA_THRESHOLD) {
            return 1 - EPS;
        }
        double e = Math.exp(eta);
        return e / (1 + e);
    }

    /** Binomial deviance for 0/1 outcomes: -2 sum log P(y_i). */
    static double deviance(double[] y, double[] mu) {
        double sum = 0.0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i] == 1 ? -2 * Math.log(mu[i]) : -2 * Math.log(1 - mu[i]);
        }
        return sum;
    }
}
