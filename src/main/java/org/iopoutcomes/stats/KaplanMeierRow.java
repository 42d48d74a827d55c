package org.iopoutcomes.stats;

/**
 * One row of a Kaplan-Meier curve at a distinct observed time (R survfit conventions).
 *
 * @param seCumhaz     Greenwood SE of -log S (R's fit$std.err); Infinity once S reaches 0
 * @param seSurv       SE of S = S * seCumhaz (what summary.survfit prints); NaN once S reaches 0
 * @param cumhaz       Nelson-Aalen cumulative hazard (fit$cumhaz)
 * @param seCumhazNa   its SE (fit$std.chaz): sqrt(sum d/n^2)
 */
public record KaplanMeierRow(double time, long nRisk, long nEvent, long nCensor, double surv,
                             double seCumhaz, double seSurv,
                             Interval log, Interval logLog, Interval plain,
                             double cumhaz, double seCumhazNa) {

    public Interval interval(ConfType type) {
        return switch (type) {
            case LOG -> log;
            case LOG_LOG -> logLog;
            case PLAIN -> plain;
        };
    }
}
