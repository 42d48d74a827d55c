package org.iopoutcomes.stats;

/**
 * Median survival with the CI read off the pointwise CI curves (R's survmean); NA when a curve never reaches 0.5.
 * {@code ci.lower()} is where the lower curve reaches 0.5, {@code ci.upper()} where the upper curve does.
 */
public record MedianSurvival(double median, Interval ci) {
}
