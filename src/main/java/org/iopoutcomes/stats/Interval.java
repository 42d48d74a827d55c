package org.iopoutcomes.stats;

/** A two-sided interval; NA limits are {@link Double#NaN} only where noted by the producer (see {@link Na}). */
public record Interval(double lower, double upper) {
}
