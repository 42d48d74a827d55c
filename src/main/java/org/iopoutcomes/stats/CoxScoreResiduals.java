package org.iopoutcomes.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Per distinct event time, the quantities a subject's score residual needs (hazard increments and hazard-weighted
 * means, cumulated over time), derived from the risk-set sums at one beta. Small (one entry per event time) and
 * serializable, so a Spark job can broadcast it and compute each row's residual where the row lives; the driver-side
 * {@link CoxSubjects} uses the same code.
 *
 * <p>A residual is survival's residuals(fit, "score"): the death term x_i - xbar at the event time, minus the
 * compensator sum of w_i (x_i - xbar) dLambda over the risk sets the subject was in. With Efron, tied deaths take
 * part in the r-th of the d sub-steps with weight (1 - r/d). x must be centred by the same vector as the sums.
 */
public final class CoxScoreResiduals implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int p;
    private final double[] eventTimes; // ascending
    private final double[] cumHazard; // m + 1: over event times strictly before index k
    private final double[][] cumHazardMean;
    private final double[] tiedHazard;
    private final double[][] tiedHazardMean;
    private final double[][] deathMean;

    public CoxScoreResiduals(List<EventTimeSums> sums, int p, CoxTies ties) {
        this.p = p;
        EventTimeSums[] ascending = sums.stream().filter(s -> s.events() > 0)
                .sorted(Comparator.comparingDouble(EventTimeSums::time)).toArray(EventTimeSums[]::new);
        int m = ascending.length;
        eventTimes = new double[m];
        double[] hazard = new double[m];
        double[][] hazardMean = new double[m][p];
        tiedHazard = new double[m];
        tiedHazardMean = new double[m][p];
        deathMean = new double[m][p];
        for (int k = 0; k < m; k++) {
            EventTimeSums s = ascending[k];
            eventTimes[k] = s.time();
            long d = s.events();
            long steps = ties == CoxTies.EFRON ? d : 1;
            double multiplicity = ties == CoxTies.EFRON ? 1.0 : d;
            for (long r = 0; r < steps; r++) {
                double f = ties == CoxTies.EFRON ? (double) r / d : 0.0;
                double denominator = s.riskW() - f * s.tiedW();
                double dLambda = multiplicity / denominator;
                double tiedShare = ties == CoxTies.EFRON ? 1 - f : 1.0;
                hazard[k] += dLambda;
                tiedHazard[k] += tiedShare * dLambda;
                for (int a = 0; a < p; a++) {
                    double mean = (s.riskWx()[a] - f * s.tiedWx()[a]) / denominator;
                    hazardMean[k][a] += dLambda * mean;
                    tiedHazardMean[k][a] += tiedShare * dLambda * mean;
                    deathMean[k][a] += mean / steps;
                }
            }
        }
        cumHazard = new double[m + 1];
        cumHazardMean = new double[m + 1][p];
        for (int k = 0; k < m; k++) {
            cumHazard[k + 1] = cumHazard[k] + hazard[k];
            for (int a = 0; a < p; a++) {
                cumHazardMean[k + 1][a] = cumHazardMean[k][a] + hazardMean[k][a];
            }
        }
    }

    /** Number of distinct event times held. */
    public int eventTimes() {
        return eventTimes.length;
    }

    /**
     * Score residual of one subject.
     *
     * @param eta the subject's linear predictor beta'x (x centred)
     * @param x   the subject's centred covariates
     */
    public double[] residual(double time, int event, double eta, double[] x) {
        int upto = upperBound(eventTimes, time);
        double w = Math.exp(eta);
        boolean diedAtEventTime = event == 1 && upto > 0 && eventTimes[upto - 1] == time;
        double h;
        double[] hm = new double[p];
        if (diedAtEventTime) {
            int k = upto - 1;
            h = cumHazard[k] + tiedHazard[k];
            for (int a = 0; a < p; a++) {
                hm[a] = cumHazardMean[k][a] + tiedHazardMean[k][a];
            }
        } else {
            h = cumHazard[upto];
            hm = cumHazardMean[upto];
        }
        double[] residual = new double[p];
        for (int a = 0; a < p; a++) {
            double r = -w * (x[a] * h - hm[a]);
            if (diedAtEventTime) {
                r += x[a] - deathMean[upto - 1][a];
            }
            residual[a] = r;
        }
        return residual;
    }

    private static int upperBound(double[] sorted, double value) {
        int index = Arrays.binarySearch(sorted, value);
        return index >= 0 ? index + 1 : -index - 1;
    }
}
