package org.iopoutcomes.stats;

/** One logistic-regression coefficient; {@code orWaldCi} = exp(estimate -+ z se), as confint.default. */
public record LogisticCoefficient(String term, double estimate, double se, double z, double p, double or,
                                  Interval orWaldCi) {
}
