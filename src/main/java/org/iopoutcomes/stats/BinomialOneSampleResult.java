package org.iopoutcomes.stats;

/**
 * One-sample binomial inference for x successes in n trials against p0 (columns of binomial_one_sample.csv).
 *
 * @param exactTwoSided   binom.test: minimum-likelihood rule with 1e-7 relative slack, capped at 1
 * @param exactLess       P(X <= x)
 * @param exactGreater    P(X >= x)
 * @param clopperPearson  two-sided 95% exact interval (lower 0 at x = 0, upper 1 at x = n)
 * @param cpOneSidedUpper95 one-sided 95% upper bound qbeta(0.95, x+1, n-x) (1 at x = n)
 * @param cpOneSidedLower95 one-sided 95% lower bound qbeta(0.05, x, n-x+1) (0 at x = 0)
 * @param wilson          score interval without continuity correction
 * @param wilsonCc        Newcombe's continuity-corrected score interval (does not depend on p0)
 * @param propTestCc      R prop.test(correct = TRUE) interval: correction capped at |x - n p0|
 * @param scoreChisq      (x - n p0)^2 / (n p0 (1 - p0))
 * @param scoreCcChisq    with the correction min(0.5, |x - n p0|)
 */
public record BinomialOneSampleResult(long x, long n, double p0, double phat,
                                      double exactTwoSided, double exactLess, double exactGreater,
                                      Interval clopperPearson, double cpOneSidedUpper95, double cpOneSidedLower95,
                                      Interval wilson, Interval wilsonCc, Interval propTestCc, Interval wald,
                                      Interval agrestiCoull,
                                      double scoreChisq, double scoreP, double scoreCcChisq, double scoreCcP) {
}
