package org.iopoutcomes.stats;

/**
 * A {@link StatusCount} whose count need not be whole: an expected number of subjects leaving observation at
 * one time with one status, such as a grouped count spread over finer times in proportion to another curve's
 * counts ({@link org.iopoutcomes.publish.CurveGrid.Grid#spread}). Status 0 = censored.
 */
public record WeightedStatusCount(double time, int status, double weight) {
    public WeightedStatusCount {
        if (Double.isNaN(time)) {
            throw new IllegalArgumentException("time is NaN");
        }
        if (status < 0) {
            throw new IllegalArgumentException("negative status " + status + " at time " + time);
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight " + weight + " at time " + time + " is not a finite count >= 0");
        }
    }

    public static WeightedStatusCount of(StatusCount c) {
        return new WeightedStatusCount(c.time(), c.status(), c.count());
    }
}
