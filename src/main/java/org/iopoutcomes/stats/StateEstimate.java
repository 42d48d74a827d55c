package org.iopoutcomes.stats;

/**
 * One state of an Aalen-Johansen row, as one column of R's multi-state survfit matrices.
 *
 * @param nRisk    R's n.risk for the state: subjects in it and still under observation (the initial state's
 *                 risk set; always 0 for an absorbing competing state)
 * @param nEvent   R's n.event: transitions into the state (always 0 for the initial state)
 * @param estimate R's pstate: probability of being in the state (for a competing state its cumulative incidence)
 * @param stdErr   R's std.err: standard error of the estimate itself (infinitesimal jackknife), not of a log
 * @param log      conf.type "log", R's default for multi-state curves: exp(log p -+ z se/p), upper capped at 1;
 *                 NA where p = 0
 * @param logLog   conf.type "log-log": p^exp(+-z se/(p |log p|)); NA where p is 0 or 1
 * @param plain    conf.type "plain": p -+ z se, clipped to [0, 1]
 */
public record StateEstimate(long nRisk, long nEvent, double estimate, double stdErr,
                            Interval log, Interval logLog, Interval plain) {

    public Interval interval(ConfType type) {
        return switch (type) {
            case LOG -> log;
            case LOG_LOG -> logLog;
            case PLAIN -> plain;
        };
    }
}
