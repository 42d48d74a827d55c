package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Driver-side Cox data: one row per subject (time, 0/1 event, covariates). Computes the risk-set sums of
 * {@link CoxRiskSetSums} by one pass over the subjects in decreasing time, and the per-subject quantities the sums
 * cannot give: linear predictors (for concordance) and score residuals (for robust variance).
 * Covariates are centred at their means, as coxph does, so exp(x'beta) stays finite.
 */
public final class CoxSubjects implements CoxRiskSetSums {
    private final double[] time;
    private final int[] event;
    private final double[][] x; // centred, n x p
    private final int p;
    /** subject indices by decreasing time; within a time, order does not matter */
    private final Integer[] byTimeDescending;

    public CoxSubjects(double[] time, int[] event, double[][] covariates) {
        int n = time.length;
        if (event.length != n || covariates.length != n) {
            throw new IllegalArgumentException("time, event and covariates differ in length");
        }
        this.p = n == 0 ? 0 : covariates[0].length;
        this.time = time.clone();
        this.event = event.clone();
        double[] means = new double[p];
        for (double[] row : covariates) {
            for (int j = 0; j < p; j++) {
                means[j] += row[j] / n;
            }
        }
        this.x = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = covariates[i][j] - means[j];
            }
            if (event[i] != 0 && event[i] != 1) {
                throw new IllegalArgumentException("event must be 0 or 1, got " + event[i]);
            }
        }
        this.byTimeDescending = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> time[i]).reversed()).toArray(Integer[]::new);
    }

    public double[] time() {
        return time.clone();
    }

    public int[] event() {
        return event.clone();
    }

    @Override
    public int dimension() {
        return p;
    }

    @Override
    public long subjects() {
        return time.length;
    }

    public double[] linearPredictor(double[] beta) {
        double[] eta = new double[time.length];
        for (int i = 0; i < time.length; i++) {
            eta[i] = Matrices.dot(beta, x[i]);
        }
        return eta;
    }

    @Override
    public List<EventTimeSums> sums(double[] beta) {
        double[] eta = linearPredictor(beta);
        List<EventTimeSums> result = new ArrayList<>();
        double riskW = 0.0;
        double[] riskWx = new double[p];
        double[][] riskWxx = new double[p][p];
        int n = time.length;
        int start = 0;
        while (start < n) {
            double t = time[byTimeDescending[start]];
            int end = start;
            while (end < n && time[byTimeDescending[end]] == t) {
                end++;
            }
            long events = 0;
            double[] eventX = new double[p];
            double tiedW = 0.0;
            double[] tiedWx = new double[p];
            double[][] tiedWxx = new double[p][p];
            for (int k = start; k < end; k++) {
                int i = byTimeDescending[k];
                double w = Math.exp(eta[i]);
                riskW += w;
                for (int a = 0; a < p; a++) {
                    riskWx[a] += w * x[i][a];
                    for (int b = 0; b <= a; b++) {
                        riskWxx[a][b] += w * x[i][a] * x[i][b];
                    }
                }
                if (event[i] == 1) {
                    events++;
                    tiedW += w;
                    for (int a = 0; a < p; a++) {
                        eventX[a] += x[i][a];
                        tiedWx[a] += w * x[i][a];
                        for (int b = 0; b <= a; b++) {
                            tiedWxx[a][b] += w * x[i][a] * x[i][b];
                        }
                    }
                }
            }
            if (events > 0) {
                result.add(new EventTimeSums(t, events, eventX, tiedW, tiedWx, symmetric(tiedWxx),
                        riskW, riskWx.clone(), symmetric(riskWxx)));
            }
            start = end;
        }
        return result;
    }

    private double[][] symmetric(double[][] lower) {
        double[][] full = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                full[a][b] = lower[a][b];
                full[b][a] = lower[a][b];
            }
        }
        return full;
    }

    /**
     * Score residuals (one p-vector per subject) at beta, as survival's residuals(fit, "score"); see
     * {@link CoxScoreResiduals}, which a Spark job uses the same way.
     */
    public double[][] scoreResiduals(double[] beta, CoxTies ties) {
        int n = time.length;
        double[] eta = linearPredictor(beta);
        CoxScoreResiduals perTime = new CoxScoreResiduals(sums(beta), p, ties);
        double[][] residuals = new double[n][];
        for (int i = 0; i < n; i++) {
            residuals[i] = perTime.residual(time[i], event[i], eta[i], x[i]);
        }
        return residuals;
    }

    /**
     * Robust (sandwich) variance clustered by id, as coxph(..., cluster = id): D'D with D the per-cluster sums of
     * dfbeta = score residual x model-based variance.
     */
    public double[][] robustVariance(double[] beta, CoxTies ties, double[][] naiveVariance, Object[] cluster) {
        if (cluster.length != time.length) {
            throw new IllegalArgumentException("cluster ids differ in length from the subjects");
        }
        double[][] residuals = scoreResiduals(beta, ties);
        Map<Object, double[]> byCluster = new HashMap<>();
        for (int i = 0; i < time.length; i++) {
            double[] dfbeta = Matrices.multiply(naiveVariance, residuals[i]);
            double[] sum = byCluster.computeIfAbsent(cluster[i], c -> new double[p]);
            for (int a = 0; a < p; a++) {
                sum[a] += dfbeta[a];
            }
        }
        double[][] variance = new double[p][p];
        for (double[] d : byCluster.values()) {
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    variance[a][b] += d[a] * d[b];
                }
            }
        }
        return variance;
    }
}
