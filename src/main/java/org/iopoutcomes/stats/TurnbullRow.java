package org.iopoutcomes.stats;

/**
 * One row of a {@link Turnbull} fit: one time of R's {@code survfit(Surv(l, r, type = "interval2") ~ 1)}, with
 * R's fit$time, $n.risk, $n.event, $n.censor, $surv, $std.err, $lower, $upper. The counts are weighted: R fits
 * the curve as a weighted Kaplan-Meier in which each interval-censored subject is spread over the jump times it
 * may fall at, so they are not whole numbers.
 *
 * @param nEvent  weighted events at the time (exact events plus the share of the censored ones placed there);
 *                0 at the left-censored times R turned into events before the first jump time (R does so too)
 * @param nCensor right-censored subjects at the time
 * @param stdErr  R's fit$std.err: see {@link Turnbull#stdErrIsOfSurvival()} for what it is the standard error of
 * @param log     conf.type "log", R's default: exp(log S -+ z se(log S)), upper capped at 1, NA where S = 0
 * @param logLog  conf.type "log-log"; NA where S is 0 or 1
 * @param plain   conf.type "plain": S -+ z se(S), clipped to [0, 1]
 */
public record TurnbullRow(double time, double nRisk, double nEvent, double nCensor, double surv, double stdErr,
                          Interval log, Interval logLog, Interval plain) {

    public Interval interval(ConfType type) {
        return switch (type) {
            case LOG -> log;
            case LOG_LOG -> logLog;
            case PLAIN -> plain;
        };
    }
}
