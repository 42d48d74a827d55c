package org.iopoutcomes.stats;

/**
 * A cumulative incidence against a band [lower, upper]: its confidence interval and the one-sided p-values against
 * each edge, all from one estimate F, its standard error se and one CI scale ({@link IncidenceScale}), so that the
 * p-values and the interval cannot disagree.
 *
 * <p>With h the scale's transform (increasing in F) and se_h = h'(F) se (delta method, as R's survfit_confint):
 * <pre>
 *   CI       = [h^-1(h(F) - z se_h), h^-1(h(F) + z se_h)]   clipped to [0, 1] (R caps the log limit at 1)
 *   z_below  = (h(lower) - h(F)) / se_h        p_below = Phi(-z_below)   H0: F &gt;= lower, H1: F &lt; lower
 *   z_above  = (h(F) - h(upper)) / se_h        p_above = Phi(-z_above)   H0: F &lt;= upper, H1: F &gt; upper
 * </pre>
 * Since h is increasing, the CI's upper limit is under {@code lower} exactly when z_below &gt; z, that is when
 * p_below &lt; Phi(-z) (0.025 for the 95% interval), and its lower limit is over {@code upper} exactly when
 * p_above &lt; Phi(-z). In floating point the two sides of each "exactly" are computed separately (an interval limit
 * from exp and log, a p from the normal tail); they can differ only where z_below or z_above is within a few units
 * in the last place of z.
 *
 * <p>Where R's interval is NA (F = 0 on a log scale of F, S = 0 on a log scale of S, F or S at 0 or 1 for log-log)
 * the interval and the p-values are NaN. Where se is 0 the interval is [F, F] and a p-value is 0 or 1 (NaN at an
 * edge equal to F).
 */
public final class BandTest {
    private BandTest() {}

    /** With the 95% interval (z = qnorm(0.975)). */
    public static BandTestResult test(double estimate, double stdErr, IncidenceScale scale, double lower,
                                      double upper) {
        return test(estimate, stdErr, scale, lower, upper, Normal.Z95);
    }

    /**
     * @param estimate the cumulative incidence F (1 - S for Kaplan-Meier, R's pstate for Aalen-Johansen)
     * @param stdErr   the standard error of F itself (R's summary std.err: of S, which is that of 1 - S)
     * @param scale    the scale of the interval
     * @param lower    the band's lower edge, in (0, 1)
     * @param upper    the band's upper edge, in [lower, 1)
     * @param z        the normal quantile of the two-sided interval
     */
    public static BandTestResult test(double estimate, double stdErr, IncidenceScale scale, double lower,
                                      double upper, double z) {
        if (!(lower > 0 && lower <= upper && upper < 1)) {
            throw new IllegalArgumentException("need 0 < lower <= upper < 1, got " + lower + ", " + upper);
        }
        if (!(z > 0)) {
            throw new IllegalArgumentException("z must be positive, got " + z);
        }
        if (Double.isNaN(estimate) || Double.isNaN(stdErr) || !defined(estimate, scale)) {
            return new BandTestResult(estimate, stdErr, scale, Double.NaN, new Interval(Na.NA, Na.NA), Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        double center = scale.h(estimate);
        // se 0: a point interval, whatever the slope (R: se/p is 0 where se is 0)
        double seScale = stdErr == 0 ? 0.0 : scale.slope(estimate) * stdErr;
        // se 0: the interval is the estimate itself (not h^-1(h(F)), which may be an ulp away from F)
        Interval ci = seScale == 0 ? new Interval(estimate, estimate)
                : new Interval(clip(scale.inverse(center - z * seScale)), clip(scale.inverse(center + z * seScale)));
        double zBelow = (scale.h(lower) - center) / seScale;
        double zAbove = (center - scale.h(upper)) / seScale;
        return new BandTestResult(estimate, stdErr, scale, seScale, ci, zBelow, Normal.cdf(-zBelow), zAbove,
                Normal.cdf(-zAbove));
    }

    /** Where R's interval of this scale is not NA. */
    static boolean defined(double estimate, IncidenceScale scale) {
        if (estimate < 0 || estimate > 1) {
            return false;
        }
        double q = scale.onSurvival() ? 1 - estimate : estimate;
        return switch (scale.type()) {
            case PLAIN -> true;
            case LOG -> q > 0;
            case LOG_LOG -> q > 0 && q < 1;
        };
    }

    private static double clip(double x) {
        return Double.isNaN(x) ? x : Math.max(0.0, Math.min(1.0, x));
    }
}
