package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Cox proportional hazards by Newton-Raphson with step halving, as R's coxph (coxfit6): starts at beta = 0,
 * stops when |1 - loglik_old/loglik_new| <= eps on a full step, halves the step when the likelihood drops.
 */
public final class CoxRegression {
    /** coxph.control(eps = 1e-12), the control the reference used. */
    public static final double DEFAULT_EPS = 1e-12;
    public static final int DEFAULT_MAX_ITER = 100;

    private CoxRegression() {}

    /** Log partial likelihood, score vector and observed information at one beta. */
    record Likelihood(double loglik, double[] score, double[][] information) {}

    static Likelihood evaluate(CoxRiskSetSums data, double[] beta, CoxTies ties) {
        int p = data.dimension();
        double loglik = 0.0;
        double[] score = new double[p];
        double[][] information = new double[p][p];
        double[] mean = new double[p];
        for (EventTimeSums s : data.sums(beta)) {
            long d = s.events();
            if (d == 0) {
                continue;
            }
            loglik += Matrices.dot(beta, s.eventX());
            for (int i = 0; i < p; i++) {
                score[i] += s.eventX()[i];
            }
            // Efron takes away a growing share of the tied events' weight at each of the d steps; Breslow none
            long steps = ties == CoxTies.EFRON ? d : 1;
            double multiplicity = ties == CoxTies.EFRON ? 1.0 : d;
            for (long r = 0; r < steps; r++) {
                double f = ties == CoxTies.EFRON ? (double) r / d : 0.0;
                double denominator = s.riskW() - f * s.tiedW();
                loglik -= multiplicity * Math.log(denominator);
                for (int i = 0; i < p; i++) {
                    mean[i] = (s.riskWx()[i] - f * s.tiedWx()[i]) / denominator;
                    score[i] -= multiplicity * mean[i];
                }
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j <= i; j++) {
                        double value = multiplicity * ((s.riskWxx()[i][j] - f * s.tiedWxx()[i][j]) / denominator
                                - mean[i] * mean[j]);
                        information[i][j] += value;
                        if (i != j) {
                            information[j][i] += value;
                        }
                    }
                }
            }
        }
        return new Likelihood(loglik, score, information);
    }

    /** Result of the iterations alone: final beta, its likelihood and the model-based variance. */
    record Iterations(double[] beta, Likelihood atBeta, Likelihood atZero, double[][] variance, int iterations,
                      boolean converged) {}

    static Iterations iterate(CoxRiskSetSums data, CoxTies ties, double eps, int maxIter) {
        int p = data.dimension();
        double[] beta = new double[p];
        if (data.sums(beta).stream().mapToLong(EventTimeSums::events).sum() == 0) {
            throw new IllegalArgumentException("no events: a Cox model needs at least one event");
        }
        Likelihood current = evaluate(data, beta, ties);
        Likelihood atZero = current;
        int rank = new org.apache.commons.math3.linear.SingularValueDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(current.information())).getRank();
        if (rank < p) {
            // R would report NA for the aliased coefficients; refuse instead of returning arbitrary numbers
            throw new IllegalArgumentException("the covariates are collinear or constant within the risk sets"
                    + " (information matrix of rank " + rank + " for " + p + " covariates)");
        }
        double[] newBeta = step(beta, current);
        boolean halving = false;
        boolean converged = false;
        int iter;
        for (iter = 1; iter <= maxIter; iter++) {
            Likelihood trial = evaluate(data, newBeta, ties);
            boolean finite = Double.isFinite(trial.loglik()) && Matrices.allFinite(trial.score());
            if (finite && !halving && Math.abs(1 - current.loglik() / trial.loglik()) <= eps) {
                beta = newBeta;
                current = trial;
                converged = true;
                break;
            }
            if (iter == maxIter) {
                break;
            }
            if (!finite || trial.loglik() < current.loglik()) {
                halving = true;
                for (int i = 0; i < p; i++) {
                    newBeta[i] = (newBeta[i] + beta[i]) / 2;
                }
            } else {
                halving = false;
                current = trial;
                beta = newBeta;
                newBeta = step(beta, current);
            }
        }
        if (!converged) {
            // as R: report the last accepted beta
            current = evaluate(data, beta, ties);
        }
        return new Iterations(beta.clone(), current, atZero, Matrices.inverseSymmetric(current.information()),
                Math.min(iter, maxIter), converged);
    }

    private static double[] step(double[] beta, Likelihood at) {
        double[] delta = Matrices.multiply(Matrices.inverseSymmetric(at.information()), at.score());
        double[] next = new double[beta.length];
        for (int i = 0; i < beta.length; i++) {
            next[i] = beta[i] + delta[i];
        }
        return next;
    }

    /** Fits from any source of risk-set sums; concordance is then NA (it needs per-subject risk scores). */
    public static CoxFit fit(CoxRiskSetSums data, List<String> terms, CoxTies ties) {
        Iterations it = iterate(data, ties, DEFAULT_EPS, DEFAULT_MAX_ITER);
        return assemble(data, terms, ties, it, it.variance(), false, Na.NA, Na.NA);
    }

    /**
     * Fits from any source of risk-set sums with robust SEs clustered as coxph(..., cluster = id) when
     * {@code clustered} is not null (model-based SEs when it is); concordance is NA.
     */
    public static CoxFit fitAggregated(CoxRiskSetSums data, List<String> terms, CoxTies ties,
                                       CoxClusteredScores clustered) {
        Iterations it = iterate(data, ties, DEFAULT_EPS, DEFAULT_MAX_ITER);
        double[][] variance = it.variance();
        boolean robust = clustered != null;
        if (robust) {
            CoxScoreResiduals residuals = new CoxScoreResiduals(data.sums(it.beta()), data.dimension(), ties);
            variance = sandwich(it.variance(), clustered.clusterScoreOuterProducts(it.beta(), residuals));
        }
        return assemble(data, terms, ties, it, variance, robust, Na.NA, Na.NA);
    }

    /** V B V for symmetric V. */
    static double[][] sandwich(double[][] v, double[][] b) {
        int p = v.length;
        double[][] vb = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double sum = 0.0;
                for (int k = 0; k < p; k++) {
                    sum += v[i][k] * b[k][j];
                }
                vb[i][j] = sum;
            }
        }
        double[][] result = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double sum = 0.0;
                for (int k = 0; k < p; k++) {
                    sum += vb[i][k] * v[k][j];
                }
                result[i][j] = sum;
            }
        }
        return result;
    }

    /** Fits from per-subject data with concordance; {@code cluster} (or null) gives robust SEs as coxph(cluster = id). */
    public static CoxFit fit(CoxSubjects subjects, List<String> terms, CoxTies ties, Object[] cluster) {
        Iterations it = iterate(subjects, ties, DEFAULT_EPS, DEFAULT_MAX_ITER);
        double[] linearPredictor = subjects.linearPredictor(it.beta());
        Concordance.Result concordance = Concordance.of(subjects.time(), subjects.event(), linearPredictor);
        double[][] variance = it.variance();
        boolean robust = cluster != null;
        if (robust) {
            variance = subjects.robustVariance(it.beta(), ties, it.variance(), cluster);
        }
        return assemble(subjects, terms, ties, it, variance, robust, concordance.concordance(),
                concordance.standardError());
    }

    private static CoxFit assemble(CoxRiskSetSums data, List<String> terms, CoxTies ties, Iterations it,
                                   double[][] variance, boolean robust, double concordance, double concordanceSe) {
        int p = data.dimension();
        if (terms.size() != p) {
            throw new IllegalArgumentException(terms.size() + " term names for " + p + " covariates");
        }
        double z95 = Normal.Z95;
        List<CoxCoefficient> coefficients = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            double coef = it.beta()[i];
            double se = Math.sqrt(variance[i][i]);
            double z = coef / se;
            coefficients.add(new CoxCoefficient(terms.get(i), coef, Math.exp(coef), se,
                    Math.sqrt(it.variance()[i][i]), z, Normal.twoSidedP(z),
                    new Interval(Math.exp(coef - z95 * se), Math.exp(coef + z95 * se))));
        }
        long nevent = 0;
        for (EventTimeSums s : data.sums(new double[p])) {
            nevent += s.events();
        }
        double lrt = 2 * (it.atBeta().loglik() - it.atZero().loglik());
        double wald = Matrices.quadraticFormInverse(variance, it.beta());
        double score = Matrices.quadraticFormInverse(it.atZero().information(), it.atZero().score());
        return new CoxFit(ties, data.subjects(), nevent, coefficients, it.atZero().loglik(), it.atBeta().loglik(),
                lrt, p, Normal.chiSquareUpperTail(lrt, p), wald, Normal.chiSquareUpperTail(wald, p),
                score, Normal.chiSquareUpperTail(score, p), concordance, concordanceSe,
                it.iterations(), it.converged(), robust, it.variance(), variance);
    }
}
