package org.iopoutcomes.stats;

/** Counts at one distinct time of one stratum: the unit a Spark aggregate produces for Kaplan-Meier and log-rank. */
public record TimeCounts(double time, long nEvent, long nCensor) {
    public TimeCounts {
        if (nEvent < 0 || nCensor < 0) {
            throw new IllegalArgumentException("negative count at time " + time);
        }
    }
}
