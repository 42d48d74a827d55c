package org.iopoutcomes.stats;

/**
 * 2x2 table statistics as R's chisq.test, fisher.test and epitools' riskratio.wald / oddsratio.wald.
 * Layout: a = exposed with outcome, b = exposed without, c = unexposed with, d = unexposed without.
 */
public final class TwoByTwo {
    private TwoByTwo() {}

    public static TwoByTwoResult analyse(long a, long b, long c, long d) {
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            throw new IllegalArgumentException("cell counts must be >= 0");
        }
        double z = Normal.Z95;
        double n1 = a + b;
        double n0 = c + d;
        double total = n1 + n0;
        double withOutcome = a + c;
        double withoutOutcome = b + d;
        double[] observed = {a, b, c, d};
        double[] expected = {n1 * withOutcome / total, n1 * withoutOutcome / total,
                n0 * withOutcome / total, n0 * withoutOutcome / total};
        double minExpected = Double.POSITIVE_INFINITY;
        double chisq = 0.0;
        double chisqYates = 0.0;
        // R's chisq.test caps the Yates correction at the smallest |O - E| (one scalar for all cells)
        double yates = 0.5;
        for (int i = 0; i < 4; i++) {
            yates = Math.min(yates, Math.abs(observed[i] - expected[i]));
        }
        for (int i = 0; i < 4; i++) {
            minExpected = Math.min(minExpected, expected[i]);
            double deviation = Math.abs(observed[i] - expected[i]);
            chisq += deviation * deviation / expected[i];
            chisqYates += (deviation - yates) * (deviation - yates) / expected[i];
        }

        double[] fisher = fisher(a, b, c, d);

        double riskExposed = a / n1;
        double riskUnexposed = c / n0;
        double rr = riskExposed / riskUnexposed;
        double seLogRr = Math.sqrt(1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n0);
        double or = ((double) a * d) / ((double) b * c);
        double seLogOr = Math.sqrt(1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d);

        double ha = a + 0.5;
        double hb = b + 0.5;
        double hc = c + 0.5;
        double hd = d + 0.5;
        double rrHa = (ha / (ha + hb)) / (hc / (hc + hd));
        double seLogRrHa = Math.sqrt(1 / ha - 1 / (ha + hb) + 1 / hc - 1 / (hc + hd));
        double orHa = ha * hd / (hb * hc);
        double seLogOrHa = Math.sqrt(1 / ha + 1 / hb + 1 / hc + 1 / hd);

        double rd = riskExposed - riskUnexposed;
        double seRd = Math.sqrt(riskExposed * (1 - riskExposed) / n1 + riskUnexposed * (1 - riskUnexposed) / n0);

        return new TwoByTwoResult(a, b, c, d, riskExposed, riskUnexposed, minExpected,
                chisq, Normal.chiSquareUpperTail(chisq, 1), chisqYates, Normal.chiSquareUpperTail(chisqYates, 1),
                fisher[0], fisher[1], fisher[2], fisher[3],
                rr, logWald(rr, seLogRr, z), or, logWald(or, seLogOr, z), seLogRr, seLogOr,
                rrHa, logWald(rrHa, seLogRrHa, z), orHa, logWald(orHa, seLogOrHa, z),
                rd, new Interval(rd - z * seRd, rd + z * seRd));
    }

    /** exp(log(ratio) -+ z se); with a zero cell this gives [0, NaN] exactly as epitools does. */
    static Interval logWald(double ratio, double seLog, double z) {
        double log = Math.log(ratio);
        return new Interval(Math.exp(log - z * seLog), Math.exp(log + z * seLog));
    }

    /**
     * Fisher's exact test with margins fixed: {two-sided (min-likelihood, 1e-7 slack), less, greater, mid-p two-sided}.
     */
    static double[] fisher(long a, long b, long c, long d) {
        long m = a + c; // outcome column total
        long n = b + d; // no-outcome column total
        long k = a + b; // exposed row total
        long lo = Math.max(0, k - n);
        long hi = Math.min(k, m);
        int size = (int) (hi - lo + 1);
        // Log densities up to a constant, by the ratio f(x+1)/f(x) = (m-x)(k-x) / ((x+1)(n-k+x+1)): linear in the
        // support. Log binomial coefficients per x cost O(x) each in Commons Math, hours for a cohort of 300,000.
        double[] logDensity = new double[size];
        double max = 0.0;
        for (int i = 1; i < size; i++) {
            long x = lo + i - 1;
            logDensity[i] = logDensity[i - 1] + Math.log((double) (m - x) * (k - x))
                    - Math.log((double) (x + 1) * (n - k + x + 1));
            max = Math.max(max, logDensity[i]);
        }
        double[] density = new double[size];
        double total = 0.0;
        for (int i = 0; i < size; i++) {
            density[i] = Math.exp(logDensity[i] - max);
            total += density[i];
        }
        for (int i = 0; i < size; i++) {
            density[i] /= total;
        }
        int observed = (int) (a - lo);
        double threshold = density[observed] * BinomialOneSample.RELATIVE_SLACK;
        double twoSided = 0.0;
        double less = 0.0;
        double greater = 0.0;
        for (int i = 0; i < size; i++) {
            if (density[i] <= threshold) {
                twoSided += density[i];
            }
            if (i <= observed) {
                less += density[i];
            }
            if (i >= observed) {
                greater += density[i];
            }
        }
        double midLess = less - density[observed] / 2;
        double midGreater = greater - density[observed] / 2;
        double midp = Math.min(1.0, 2 * Math.min(midLess, midGreater));
        return new double[] {Math.min(1.0, twoSided), Math.min(1.0, less), Math.min(1.0, greater), midp};
    }
}
