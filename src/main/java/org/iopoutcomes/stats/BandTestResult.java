package org.iopoutcomes.stats;

/**
 * A cumulative incidence against a band ({@link BandTest}): every field from one estimate, standard error and scale.
 *
 * @param estimate the cumulative incidence F
 * @param stdErr   the standard error of F
 * @param scale    the scale of the interval and of the z statistics
 * @param seScale  the standard error of h(F) on that scale (NaN where the scale is undefined at F)
 * @param ci       the two-sided interval of F (NA limits where R's are NA)
 * @param zBelow   (h(lower) - h(F)) / seScale: large when F is well under the lower edge
 * @param pBelow   Phi(-zBelow): one-sided p-value of H0 F &gt;= lower against F &lt; lower
 * @param zAbove   (h(F) - h(upper)) / seScale: large when F is well over the upper edge
 * @param pAbove   Phi(-zAbove): one-sided p-value of H0 F &lt;= upper against F &gt; upper
 */
public record BandTestResult(double estimate, double stdErr, IncidenceScale scale, double seScale, Interval ci,
                             double zBelow, double pBelow, double zAbove, double pAbove) {
}
