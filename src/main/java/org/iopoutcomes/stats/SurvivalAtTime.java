package org.iopoutcomes.stats;

/**
 * S(t) at a requested time, as R's summary(fit, times = t, extend = TRUE).
 *
 * @param nRisk          number with time >= t
 * @param nEventCumByT   number of events with time <= t
 * @param cumIncidence   1 - S(t); its interval is the log interval of S flipped
 */
public record SurvivalAtTime(double t, long nRisk, long nEventCumByT, double surv, double seSurv,
                             Interval log, Interval logLog, Interval plain,
                             double cumIncidence, Interval cumIncidenceLog) {

    public Interval interval(ConfType type) {
        return switch (type) {
            case LOG -> log;
            case LOG_LOG -> logLog;
            case PLAIN -> plain;
        };
    }
}
