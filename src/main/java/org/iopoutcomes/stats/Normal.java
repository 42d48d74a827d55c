package org.iopoutcomes.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/** Normal and chi-square helpers computed on the tail directly (1 - cdf loses all digits for small p). */
public final class Normal {
    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1, 1e-15);
    /** qnorm(0.975), the z of every two-sided 95% interval in the reference. */
    public static final double Z95 = 1.959963984540054;

    private Normal() {}

    /** P(Z <= z). */
    public static double cdf(double z) {
        return STANDARD.cumulativeProbability(z);
    }

    /** 2 P(Z >= |z|), as R's 2 * pnorm(-abs(z)). */
    public static double twoSidedP(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        return 2 * STANDARD.cumulativeProbability(-Math.abs(z));
    }

    /** Quantile of the standard normal. */
    public static double quantile(double p) {
        return STANDARD.inverseCumulativeProbability(p);
    }

    /** Upper tail of the chi-square distribution: R's pchisq(x, df, lower.tail = FALSE). */
    public static double chiSquareUpperTail(double x, double df) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x <= 0) {
            return 1.0;
        }
        if (Double.isInfinite(x)) {
            return 0.0;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0, 1e-15, 100_000);
    }
}
