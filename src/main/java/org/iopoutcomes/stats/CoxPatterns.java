package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Driver-side Cox data aggregated by covariate pattern: one entry per (time, covariate pattern) with the number of
 * rows that had the event there and the number censored there. The risk-set sums of {@link CoxRiskSetSums} are those
 * of the rows the entries stand for: an entry with m events at time t contributes m tied deaths (Efron's ties count
 * rows: {@code events()} of the time grows by m and the tied sums by m w, m w x, m w x x'), never one death with case
 * weight m. So a fit equals {@link CoxSubjects} on the expanded rows (to the rounding of the summation order).
 * Covariates are centred at their row means, as {@link CoxSubjects} does.
 */
public final class CoxPatterns implements CoxRiskSetSums {
    private final double[] time;
    private final double[][] x; // centred
    private final long[] events;
    private final long[] censored;
    private final double[] means;
    private final int p;
    private final long n;
    private final int[] byTimeDescending;

    /**
     * @param covariates one row of covariates per entry (not centred)
     * @param events     rows of the entry with the event (0/1 event = 1)
     * @param censored   rows of the entry without it
     */
    public CoxPatterns(double[] time, double[][] covariates, long[] events, long[] censored) {
        int m = time.length;
        if (covariates.length != m || events.length != m || censored.length != m) {
            throw new IllegalArgumentException("time, covariates and counts differ in length");
        }
        this.p = m == 0 ? 0 : covariates[0].length;
        long rows = 0;
        for (int i = 0; i < m; i++) {
            if (events[i] < 0 || censored[i] < 0) {
                throw new IllegalArgumentException("negative row count in entry " + i);
            }
            rows += events[i] + censored[i];
        }
        this.n = rows;
        this.means = new double[p];
        for (int i = 0; i < m; i++) {
            long count = events[i] + censored[i];
            for (int j = 0; j < p; j++) {
                means[j] += count * covariates[i][j];
            }
        }
        for (int j = 0; j < p; j++) {
            means[j] /= rows;
        }
        this.time = time.clone();
        this.events = events.clone();
        this.censored = censored.clone();
        this.x = new double[m][p];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = covariates[i][j] - means[j];
            }
        }
        this.byTimeDescending = IntStream.range(0, m).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> time[i]).reversed()).mapToInt(i -> i).toArray();
    }

    @Override
    public int dimension() {
        return p;
    }

    /** Number of rows the entries stand for. */
    @Override
    public long subjects() {
        return n;
    }

    /** The means the covariates are centred by. */
    public double[] means() {
        return means.clone();
    }

    /**
     * Score residual of one row of entry i (event 1: one of its rows with the event, 0: one censored), as
     * {@link CoxSubjects#scoreResiduals} gives for that row; {@code perTime} from {@link #sums} at beta.
     */
    public double[] scoreResidual(int i, int event, double[] beta, CoxScoreResiduals perTime) {
        return perTime.residual(time[i], event, Matrices.dot(beta, x[i]), x[i]);
    }

    @Override
    public List<EventTimeSums> sums(double[] beta) {
        int m = time.length;
        List<EventTimeSums> result = new ArrayList<>();
        double riskW = 0.0;
        double[] riskWx = new double[p];
        double[][] riskWxx = new double[p][p];
        int start = 0;
        while (start < m) {
            double t = time[byTimeDescending[start]];
            int end = start;
            while (end < m && time[byTimeDescending[end]] == t) {
                end++;
            }
            long d = 0;
            double[] eventX = new double[p];
            double tiedW = 0.0;
            double[] tiedWx = new double[p];
            double[][] tiedWxx = new double[p][p];
            for (int k = start; k < end; k++) {
                int i = byTimeDescending[k];
                double w = Math.exp(Matrices.dot(beta, x[i]));
                long rows = events[i] + censored[i];
                double rowsW = rows * w;
                riskW += rowsW;
                for (int a = 0; a < p; a++) {
                    riskWx[a] += rowsW * x[i][a];
                    for (int b = 0; b <= a; b++) {
                        riskWxx[a][b] += rowsW * x[i][a] * x[i][b];
                    }
                }
                long e = events[i];
                if (e > 0) {
                    // m tied deaths of the same pattern: each is a row of its own in Efron's steps
                    d += e;
                    double eventsW = e * w;
                    tiedW += eventsW;
                    for (int a = 0; a < p; a++) {
                        eventX[a] += e * x[i][a];
                        tiedWx[a] += eventsW * x[i][a];
                        for (int b = 0; b <= a; b++) {
                            tiedWxx[a][b] += eventsW * x[i][a] * x[i][b];
                        }
                    }
                }
            }
            if (d > 0) {
                result.add(new EventTimeSums(t, d, eventX, tiedW, tiedWx, symmetric(tiedWxx), riskW,
                        riskWx.clone(), symmetric(riskWxx)));
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
}
