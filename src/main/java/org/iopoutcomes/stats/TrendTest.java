package org.iopoutcomes.stats;

/**
 * Chi-square test for trend in proportions (Cochran-Armitage), as R's {@code prop.trend.test(x, n, score)}: the
 * regression sum of squares of the proportions x/n on the scores, weighted by n / (p (1 - p)) with p the pooled
 * proportion; one degree of freedom.
 */
public final class TrendTest {
    private TrendTest() {}

    /** The statistic and its p-value; NaN for both when fewer than two levels have people or p is 0 or 1. */
    public record Result(double chisq, double p) {}

    /**
     * @param x events per level
     * @param n people per level
     * @param score score of each level (R's default: 1, 2, ...)
     */
    public static Result propTrend(long[] x, long[] n, double[] score) {
        if (x.length != n.length || x.length != score.length) {
            throw new IllegalArgumentException("x, n and score must have the same length");
        }
        double total = 0;
        double events = 0;
        double scoreSum = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0 || x[i] > n[i]) {
                throw new IllegalArgumentException("need 0 <= x <= n at level " + (i + 1));
            }
            total += n[i];
            events += x[i];
            scoreSum += n[i] * score[i];
        }
        if (total == 0) {
            return new Result(Double.NaN, Double.NaN);
        }
        double pooled = events / total;
        double meanScore = scoreSum / total;
        double cross = 0;
        double spread = 0;
        for (int i = 0; i < x.length; i++) {
            double centred = score[i] - meanScore;
            cross += (x[i] - n[i] * pooled) * centred;
            spread += n[i] * centred * centred;
        }
        double denominator = pooled * (1 - pooled) * spread;
        if (!(denominator > 0)) {
            return new Result(Double.NaN, Double.NaN);
        }
        double chisq = cross * cross / denominator;
        return new Result(chisq, Normal.chiSquareUpperTail(chisq, 1));
    }
}
