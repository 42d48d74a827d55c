package org.iopoutcomes.stats;

/**
 * Number of subjects of one stratum that leave observation at one time with one status: the unit a Spark
 * aggregate ({@code groupBy(group, time, status).count()}) produces for competing risks. Status 0 = censored,
 * any positive code = the competing state entered at that time. Rows with the same time and status add up.
 */
public record StatusCount(double time, int status, long count) {
    public StatusCount {
        if (Double.isNaN(time)) {
            throw new IllegalArgumentException("time is NaN");
        }
        if (status < 0) {
            throw new IllegalArgumentException("negative status " + status + " at time " + time);
        }
        if (count < 0) {
            throw new IllegalArgumentException("negative count at time " + time);
        }
    }
}
