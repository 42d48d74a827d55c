package org.iopoutcomes.stats;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Exact and approximate one-sample binomial inference as R's binom.test and prop.test. Tails are summed from the
 * probability mass directly: Commons Math's BinomialTest can return a two-sided p above 1 and 1 - cdf underflows.
 */
public final class BinomialOneSample {
    /** R's relErr in binom.test and fisher.test. */
    static final double RELATIVE_SLACK = 1 + 1e-7;

    private BinomialOneSample() {}

    public static BinomialOneSampleResult test(long x, long n, double p0) {
        if (n <= 0 || x < 0 || x > n) {
            throw new IllegalArgumentException("need 0 <= x <= n and n > 0, got x=" + x + " n=" + n);
        }
        if (!(p0 >= 0 && p0 <= 1)) {
            throw new IllegalArgumentException("p0 must be in [0, 1], got " + p0);
        }
        double z = Normal.Z95;
        double phat = (double) x / n;
        double[] pmf = pmf(n, p0);
        double less = sum(pmf, 0, x);
        double greater = sum(pmf, x, n);
        double twoSided = twoSided(pmf, x, n * p0);

        Interval cp = new Interval(
                x == 0 ? 0.0 : betaQuantile(0.025, x, n - x + 1),
                x == n ? 1.0 : betaQuantile(0.975, x + 1, n - x));
        double cpUpper95 = x == n ? 1.0 : betaQuantile(0.95, x + 1, n - x);
        double cpLower95 = x == 0 ? 0.0 : betaQuantile(0.05, x, n - x + 1);

        Interval wilson = propTestInterval(phat, n, 0.0, z);
        double yates = Math.min(0.5, Math.abs(x - n * p0));
        Interval propTestCc = propTestInterval(phat, n, yates, z);

        double halfWald = z * Math.sqrt(phat * (1 - phat) / n);
        Interval wald = new Interval(phat - halfWald, phat + halfWald);
        double nTilde = n + z * z;
        double pTilde = (x + z * z / 2) / nTilde;
        double halfAc = z * Math.sqrt(pTilde * (1 - pTilde) / nTilde);
        Interval agrestiCoull = new Interval(pTilde - halfAc, pTilde + halfAc);

        double denominator = n * p0 * (1 - p0);
        double deviation = Math.abs(x - n * p0);
        double scoreChisq = deviation * deviation / denominator;
        double scoreCcChisq = (deviation - yates) * (deviation - yates) / denominator;
        return new BinomialOneSampleResult(x, n, p0, phat, twoSided, less, greater, cp, cpUpper95, cpLower95,
                wilson, newcombeCc(x, n, z), propTestCc, wald, agrestiCoull,
                scoreChisq, Normal.chiSquareUpperTail(scoreChisq, 1),
                scoreCcChisq, Normal.chiSquareUpperTail(scoreCcChisq, 1));
    }

    static double[] pmf(long n, double p) {
        BinomialDistribution distribution = new BinomialDistribution(null, (int) n, p);
        double[] pmf = new double[(int) n + 1];
        for (int k = 0; k <= n; k++) {
            pmf[k] = distribution.probability(k);
        }
        return pmf;
    }

    static double sum(double[] values, long from, long to) {
        double total = 0.0;
        for (long k = from; k <= to; k++) {
            total += values[(int) k];
        }
        return total;
    }

    /** binom.test's two-sided p: both tails up to the outcomes no more likely than x, capped at 1. */
    static double twoSided(double[] pmf, long x, double mean) {
        int n = pmf.length - 1;
        double threshold = pmf[(int) x] * RELATIVE_SLACK;
        if (x == mean) {
            return 1.0;
        }
        double p;
        if (x < mean) {
            long y = 0;
            for (long i = (long) Math.ceil(mean); i <= n; i++) {
                if (pmf[(int) i] <= threshold) {
                    y++;
                }
            }
            p = sum(pmf, 0, x) + sum(pmf, n - y + 1, n);
        } else {
            long y = 0;
            for (long i = 0; i <= (long) Math.floor(mean); i++) {
                if (pmf[(int) i] <= threshold) {
                    y++;
                }
            }
            p = sum(pmf, 0, y - 1) + sum(pmf, x, n);
        }
        return Math.min(1.0, p);
    }

    /** qbeta with a solver tolerance far below the 1e-9 absolute default, so small limits keep their digits. */
    static double betaQuantile(double p, double alpha, double beta) {
        return new BetaDistribution(null, alpha, beta, 1e-300).inverseCumulativeProbability(p);
    }

    /** prop.test's one-sample interval with continuity correction {@code yates} (0 gives Wilson). */
    static Interval propTestInterval(double phat, long n, double yates, double z) {
        double z22n = z * z / (2.0 * n);
        double pc = phat + yates / n;
        double upper = pc >= 1 ? 1.0
                : (pc + z22n + z * Math.sqrt(pc * (1 - pc) / n + z22n / (2.0 * n))) / (1 + 2 * z22n);
        pc = phat - yates / n;
        double lower = pc <= 0 ? 0.0
                : (pc + z22n - z * Math.sqrt(pc * (1 - pc) / n + z22n / (2.0 * n))) / (1 + 2 * z22n);
        return new Interval(lower, upper);
    }

    /** Newcombe (1998) method 4: Wilson score interval with continuity correction. */
    static Interval newcombeCc(long x, long n, double z) {
        double p = (double) x / n;
        double q = 1 - p;
        double z2 = z * z;
        double lower = x == 0 ? 0.0
                : (2 * n * p + z2 - 1 - z * Math.sqrt(z2 - 2 - 1.0 / n + 4 * p * (n * q + 1))) / (2 * (n + z2));
        double upper = x == n ? 1.0
                : (2 * n * p + z2 + 1 + z * Math.sqrt(z2 + 2 - 1.0 / n + 4 * p * (n * q - 1))) / (2 * (n + z2));
        return new Interval(Math.max(0.0, lower), Math.min(1.0, upper));
    }
}
