package org.iopoutcomes.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The fits of counts that need not be whole and of pooled counts as a life table ({@code fitWeighted} of
 * {@link KaplanMeier} and {@link AalenJohansen}), which the published curves use on their grids.
 */
class LifeTableTest {

    /**
     * A program's discharge-clock counts pooled to the grid 0, 30, 357, 365 (sample-data's prog-a, first use):
     * 172 episodes; censored 27 at 0; 13 relapses and 20 censored in (0, 30]; 29 and 54 in (30, 357]; 29 censored in
     * (357, 365]. Shares of the censored at risk (L+1)/(2L) for intervals of 1, 30, 327 and 8 days.
     */
    private static final List<WeightedStatusCount> POOLED = List.of(
            new WeightedStatusCount(0, 0, 27), new WeightedStatusCount(30, 1, 13), new WeightedStatusCount(30, 0, 20),
            new WeightedStatusCount(357, 1, 29), new WeightedStatusCount(357, 0, 54),
            new WeightedStatusCount(365, 0, 29));
    private static final DoubleUnaryOperator SHARES = t -> {
        int days = t == 0 ? 1 : t == 30 ? 30 : t == 357 ? 327 : 8;
        return (days + 1) / (2.0 * days);
    };

    /**
     * Cutler-Ederer's actuarial estimate with Greenwood's actuarial variance, computed in R by hand (R 4.2.2):
     * <pre>
     *   n0 &lt;- 172; d &lt;- c(0, 13, 29, 0); c &lt;- c(27, 20, 54, 29); L &lt;- c(1, 30, 327, 8); f &lt;- (L + 1) / (2 * L)
     *   n &lt;- n0 - c(0, cumsum(d + c)[-length(d)]); ne &lt;- n - c * (1 - f)
     *   S &lt;- cumprod(1 - d / ne); se &lt;- sqrt(cumsum(ifelse(d &gt; 0, d / (ne * (ne - d)), 0)))
     *   sprintf("%.15g", S); sprintf("%.15g", se)
     * </pre>
     */
    @Test
    void theKaplanMeierOfPooledCountsIsTheActuarialLifeTable() {
        KaplanMeier fit = KaplanMeier.fitWeighted(POOLED, Normal.Z95, SHARES);
        double[] surv = {1, 0.903940886699507, 0.595836816949977, 0.595836816949977};
        double[] se = {0, 0.0280218550314673, 0.0828419451554539, 0.0828419451554539};
        long[] atRisk = {172, 145, 112, 29};
        for (int i = 0; i < 4; i++) {
            KaplanMeierRow row = fit.rows().get(i);
            assertEquals(surv[i], row.surv(), 1e-12 * surv[i], "S at " + row.time());
            assertEquals(se[i], row.seCumhaz(), 1e-12, "SE of log S at " + row.time());
            assertEquals(atRisk[i], row.nRisk(), "n.risk is the number at the interval's start");
        }
        // all censored at risk (R's convention, what pooling to the interval's end did before): biased to no event
        assertEquals(0.6746305418719213, KaplanMeier.fitWeighted(POOLED, Normal.Z95).at(365).surv(), 1e-12);
    }

    @Test
    void theAalenJohansenOfPooledCountsHasTheLifeTablesEstimate() {
        AalenJohansen fit = AalenJohansen.fitWeighted(POOLED, new int[] {1}, Normal.Z95, SHARES);
        KaplanMeier km = KaplanMeier.fitWeighted(POOLED, Normal.Z95, SHARES);
        for (double t : new double[] {0, 30, 357, 365}) {
            AalenJohansenRow row = fit.at(t).get(0);
            assertEquals(km.at(t).surv(), row.initial().estimate(), 1e-15);
            assertEquals(1 - km.at(t).surv(), row.state(1).estimate(), 1e-15);
        }
    }

    @Test
    void wholeWeightsGiveTheCountFitExactly() {
        List<StatusCount> counts = List.of(new StatusCount(1, 1, 3), new StatusCount(1, 0, 2),
                new StatusCount(2, 2, 1), new StatusCount(4, 1, 2), new StatusCount(4, 0, 1), new StatusCount(7, 2, 4),
                new StatusCount(9, 0, 3));
        AalenJohansen counted = AalenJohansen.fit(counts, new int[] {1, 2}, Normal.Z95);
        AalenJohansen weighted = AalenJohansen.fitWeighted(counts.stream().map(WeightedStatusCount::of).toList(),
                new int[] {1, 2}, Normal.Z95);
        assertEquals(counted.rows(), weighted.rows());
        List<TimeCounts> times = List.of(new TimeCounts(1, 3, 2), new TimeCounts(2, 1, 0), new TimeCounts(4, 2, 1),
                new TimeCounts(7, 4, 0), new TimeCounts(9, 0, 3));
        List<WeightedStatusCount> timesWeighted = new ArrayList<>();
        for (TimeCounts c : times) {
            timesWeighted.add(new WeightedStatusCount(c.time(), 1, c.nEvent()));
            timesWeighted.add(new WeightedStatusCount(c.time(), 0, c.nCensor()));
        }
        assertEquals(KaplanMeier.fit(times).rows(), KaplanMeier.fitWeighted(timesWeighted, Normal.Z95).rows());
    }

    /**
     * The standard error with a share below 1 is the infinitesimal jackknife of that estimator: sum over subjects
     * of the squared derivative of the estimate with respect to the subject's weight, here by central differences
     * of a direct per-subject implementation.
     */
    @Test
    void theVarianceOfTheLifeTableIsItsInfinitesimalJackknife() {
        // per subject: time, status (0 censored, 1 relapse, 2 death)
        double[] time = {2, 2, 2, 2, 5, 5, 5, 5, 5, 5, 9, 9, 9, 9, 9, 12, 12, 12, 12, 12, 12, 12};
        int[] status = {1, 1, 0, 0, 1, 2, 0, 0, 0, 1, 2, 1, 1, 0, 0, 0, 0, 1, 0, 0, 2, 0};
        DoubleUnaryOperator shares = t -> t == 2 ? 1.0 : t == 5 ? 0.55 : t == 9 ? 0.7 : 0.5;
        List<WeightedStatusCount> counts = new ArrayList<>();
        for (int i = 0; i < time.length; i++) {
            counts.add(new WeightedStatusCount(time[i], status[i], 1));
        }
        AalenJohansen fit = AalenJohansen.fitWeighted(counts, new int[] {1, 2}, Normal.Z95, shares);
        for (double t : new double[] {2, 5, 9, 12}) {
            double[] variance = new double[3];
            double h = 1e-6;
            for (int i = 0; i < time.length; i++) {
                double[] w = new double[time.length];
                java.util.Arrays.fill(w, 1.0);
                w[i] = 1 + h;
                double[] up = direct(time, status, w, shares, t);
                w[i] = 1 - h;
                double[] down = direct(time, status, w, shares, t);
                for (int k = 0; k < 3; k++) {
                    double u = (up[k] - down[k]) / (2 * h);
                    variance[k] += u * u;
                }
            }
            AalenJohansenRow row = fit.at(t).get(0);
            double[] plain = direct(time, status, ones(time.length), shares, t);
            for (int k = 0; k < 3; k++) {
                assertEquals(plain[k], row.state(k).estimate(), 1e-14, "estimate of state " + k + " at " + t);
                double se = Math.sqrt(variance[k]);
                assertEquals(se, row.state(k).stdErr(), 1e-6 * se, "SE of state " + k + " at " + t);
            }
        }
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> KaplanMeier.fitWeighted(POOLED, Normal.Z95, t -> 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> AalenJohansen.fitWeighted(POOLED, new int[] {1}, Normal.Z95, t -> -0.1));
        assertThrows(IllegalArgumentException.class, () -> new WeightedStatusCount(1, 0, Double.NaN));
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        return w;
    }

    /** The estimator written subject by subject: (still event-free, relapse, death) at t. */
    private static double[] direct(double[] time, int[] status, double[] w, DoubleUnaryOperator shares, double t) {
        TreeMap<Double, Boolean> times = new TreeMap<>();
        for (double x : time) {
            times.put(x, true);
        }
        double[] p = {1, 0, 0};
        for (double tj : times.keySet()) {
            if (tj > t) {
                break;
            }
            double n = 0;
            double[] d = new double[3];
            for (int i = 0; i < time.length; i++) {
                if (time[i] > tj) {
                    n += w[i];
                } else if (time[i] == tj) {
                    if (status[i] == 0) {
                        n += shares.applyAsDouble(tj) * w[i];
                    } else {
                        n += w[i];
                        d[status[i]] += w[i];
                    }
                }
            }
            double p0 = p[0];
            p[0] = p0 * (1 - (d[1] + d[2]) / n);
            p[1] += p0 * d[1] / n;
            p[2] += p0 * d[2] / n;
        }
        return p;
    }
}
