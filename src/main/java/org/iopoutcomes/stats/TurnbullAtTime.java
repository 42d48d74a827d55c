package org.iopoutcomes.stats;

/**
 * S(t) of a {@link Turnbull} fit at a requested time, as R's {@code summary(fit, times = t, extend = TRUE)}.
 *
 * @param nRisk   weighted number under observation at t (R: n.risk of the first time &gt;= t; 0 past the end)
 * @param nEvent  weighted events since the previous requested time, (t_prev, t]
 * @param nCensor right-censored since the previous requested time, (t_prev, t]
 * @param stdErr  what summary() prints as std.err: surv times the fit's std.err. For a fit whose std.err is
 *                already the standard error of S ({@link Turnbull#stdErrIsOfSurvival()}) R multiplies by S once
 *                too often; that is R's output and it is kept here
 */
public record TurnbullAtTime(double time, double nRisk, double nEvent, double nCensor, double surv, double stdErr,
                             Interval log, Interval logLog, Interval plain) {

    public Interval interval(ConfType type) {
        return switch (type) {
            case LOG -> log;
            case LOG_LOG -> logLog;
            case PLAIN -> plain;
        };
    }
}
