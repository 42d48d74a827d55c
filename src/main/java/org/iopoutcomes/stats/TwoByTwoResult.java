package org.iopoutcomes.stats;

/**
 * Analysis of a 2x2 table [[a, b], [c, d]]: rows exposed / unexposed, columns outcome / no outcome.
 * Ratio CIs are Wald on the log scale; a zero cell gives R's/epitools' values (e.g. OR 0 with CI [0, NaN]).
 * The {@code Ha} values add 0.5 to every cell (Haldane-Anscombe).
 */
public record TwoByTwoResult(long a, long b, long c, long d,
                             double riskExposed, double riskUnexposed, double minExpected,
                             double chisq, double chisqP, double chisqYates, double chisqYatesP,
                             double fisherTwoSided, double fisherLess, double fisherGreater, double midpTwoSided,
                             double rr, Interval rrCi, double or, Interval orCi, double seLogRr, double seLogOr,
                             double rrHa, Interval rrHaCi, double orHa, Interval orHaCi,
                             double rd, Interval rdCi) {
}
