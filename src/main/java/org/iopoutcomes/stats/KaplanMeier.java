package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Kaplan-Meier estimate of one stratum from counts per distinct time, following R survival's survfit
 * (stype = 1, ctype = 1): events at t happen before censorings at t, S(t) includes the events at t,
 * Greenwood variance, Nelson-Aalen cumulative hazard.
 */
public final class KaplanMeier {
    /** R's all.equal tolerance, used by survmean's median midpoint rule. */
    private static final double MEDIAN_TOLERANCE = Math.sqrt(Math.ulp(1.0));

    private final List<KaplanMeierRow> rows;
    private final long n;
    private final long events;
    private final double z;

    private KaplanMeier(List<KaplanMeierRow> rows, long n, long events, double z) {
        this.rows = List.copyOf(rows);
        this.n = n;
        this.events = events;
        this.z = z;
    }

    /** Fits from counts per time (any order; repeated times are added up) with 95% intervals. */
    public static KaplanMeier fit(Collection<TimeCounts> counts) {
        return fit(counts, Normal.Z95);
    }

    public static KaplanMeier fit(Collection<TimeCounts> counts, double z) {
        TreeMap<Double, long[]> byTime = new TreeMap<>();
        for (TimeCounts c : counts) {
            if (Double.isNaN(c.time())) {
                throw new IllegalArgumentException("time is NaN");
            }
            long[] sum = byTime.computeIfAbsent(c.time(), t -> new long[2]);
            sum[0] += c.nEvent();
            sum[1] += c.nCensor();
        }
        long total = 0;
        long totalEvents = 0;
        for (long[] c : byTime.values()) {
            total += c[0] + c[1];
            totalEvents += c[0];
        }
        List<KaplanMeierRow> rows = new ArrayList<>(byTime.size());
        long atRisk = total;
        double surv = 1.0;
        double greenwood = 0.0;
        double cumhaz = 0.0;
        double varCumhaz = 0.0;
        for (var entry : byTime.entrySet()) {
            long d = entry.getValue()[0];
            long censored = entry.getValue()[1];
            if (d + censored == 0) {
                continue;
            }
            if (d > 0) {
                surv *= (double) (atRisk - d) / atRisk;
                // n == d gives +Infinity, as R does (S has reached 0)
                greenwood += (double) d / ((double) atRisk * (atRisk - d));
                cumhaz += (double) d / atRisk;
                varCumhaz += (double) d / ((double) atRisk * atRisk);
            }
            double seCumhaz = Math.sqrt(greenwood);
            rows.add(new KaplanMeierRow(entry.getKey(), atRisk, d, censored, surv, seCumhaz, surv * seCumhaz,
                    logInterval(surv, seCumhaz, z), logLogInterval(surv, seCumhaz, z), plainInterval(surv, seCumhaz, z),
                    cumhaz, Math.sqrt(varCumhaz)));
            atRisk -= d + censored;
        }
        return new KaplanMeier(rows, total, totalEvents, z);
    }

    /** Convenience: fits from per-subject times and 0/1 event flags. */
    public static KaplanMeier fromSubjects(double[] time, int[] event) {
        if (time.length != event.length) {
            throw new IllegalArgumentException("time and event differ in length");
        }
        List<TimeCounts> counts = new ArrayList<>(time.length);
        for (int i = 0; i < time.length; i++) {
            counts.add(new TimeCounts(time[i], event[i] == 1 ? 1 : 0, event[i] == 1 ? 0 : 1));
        }
        return fit(counts);
    }

    static Interval logInterval(double surv, double seCumhaz, double z) {
        if (surv == 0 || Double.isNaN(surv)) {
            return new Interval(Na.NA, Na.NA);
        }
        double logS = Math.log(surv);
        return new Interval(Math.exp(logS - z * seCumhaz), Math.min(Math.exp(logS + z * seCumhaz), 1.0));
    }

    static Interval logLogInterval(double surv, double seCumhaz, double z) {
        if (surv == 0 || surv == 1 || Double.isNaN(surv)) {
            return new Interval(Na.NA, Na.NA);
        }
        double logS = Math.log(surv);
        double shift = z * seCumhaz / logS;
        double logMinusLogS = Math.log(-logS);
        return new Interval(Math.exp(-Math.exp(logMinusLogS - shift)), Math.exp(-Math.exp(logMinusLogS + shift)));
    }

    static Interval plainInterval(double surv, double seCumhaz, double z) {
        // se * surv is NaN when S = 0 (0 * Infinity): R's pmax/pmin keep that NaN
        double halfWidth = seCumhaz * surv * z;
        return new Interval(Math.max(surv - halfWidth, 0.0), Math.min(surv + halfWidth, 1.0));
    }

    public List<KaplanMeierRow> rows() {
        return rows;
    }

    public long n() {
        return n;
    }

    public long events() {
        return events;
    }

    /** Largest observed time (event or censoring); NaN for an empty stratum. */
    public double maxTime() {
        return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).time();
    }

    /** S(t) with summary.survfit(times, extend = TRUE) semantics. */
    public SurvivalAtTime at(double t) {
        long atRisk = n;
        long eventsByT = 0;
        KaplanMeierRow last = null;
        for (KaplanMeierRow row : rows) {
            if (row.time() < t) {
                atRisk -= row.nEvent() + row.nCensor();
            }
            if (row.time() <= t) {
                eventsByT += row.nEvent();
                last = row;
            }
        }
        double surv = last == null ? 1.0 : last.surv();
        double seCumhaz = last == null ? 0.0 : last.seCumhaz();
        Interval log = logInterval(surv, seCumhaz, z);
        // before the first observed time summary.survfit reports S = 1 with every interval (1, 1)
        Interval logLog = last == null ? new Interval(1.0, 1.0) : logLogInterval(surv, seCumhaz, z);
        Interval cumLog = Na.isNa(log.lower())
                ? new Interval(Na.NA, Na.NA)
                : new Interval(1 - log.upper(), 1 - log.lower());
        return new SurvivalAtTime(t, atRisk, eventsByT, surv, surv * seCumhaz, log,
                logLog, plainInterval(surv, seCumhaz, z), 1 - surv, cumLog);
    }

    public List<SurvivalAtTime> at(double... times) {
        List<SurvivalAtTime> result = new ArrayList<>(times.length);
        for (double t : times) {
            result.add(at(t));
        }
        return result;
    }

    /** Median and its CI from the pointwise intervals of the given type (R's survmean minmin rule). */
    public MedianSurvival median(ConfType type) {
        int size = rows.size();
        double[] time = new double[size];
        double[] surv = new double[size];
        double[] lower = new double[size];
        double[] upper = new double[size];
        for (int i = 0; i < size; i++) {
            KaplanMeierRow row = rows.get(i);
            time[i] = row.time();
            surv[i] = row.surv();
            lower[i] = row.interval(type).lower();
            upper[i] = row.interval(type).upper();
        }
        return new MedianSurvival(firstAtOrBelowHalf(surv, time),
                new Interval(firstAtOrBelowHalf(lower, time), firstAtOrBelowHalf(upper, time)));
    }

    /**
     * R survmean's minmin: the first time the curve is <= 0.5 (with sqrt(eps) slack); when it sits at 0.5
     * exactly, the midpoint between that time and the time the curve next drops.
     */
    static double firstAtOrBelowHalf(double[] curve, double[] time) {
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < curve.length; i++) {
            if (!Double.isNaN(curve[i]) && curve[i] < 0.5 + MEDIAN_TOLERANCE) {
                kept.add(new double[] {curve[i], time[i]});
            }
        }
        if (kept.isEmpty()) {
            return Na.NA;
        }
        double first = kept.get(0)[0];
        if (Math.abs(first - 0.5) < MEDIAN_TOLERANCE) {
            for (double[] point : kept) {
                if (point[0] < first) {
                    return (kept.get(0)[1] + point[1]) / 2;
                }
            }
        }
        return kept.get(0)[1];
    }

    /**
     * Restricted mean survival up to {@code upperLimit} and its SE as R's survmean computes them
     * (start time 0; terms with n = d count 0 in the variance).
     */
    public RestrictedMean restrictedMean(double upperLimit) {
        List<Double> times = new ArrayList<>();
        List<Double> survs = new ArrayList<>();
        List<Double> hazardTerms = new ArrayList<>();
        for (KaplanMeierRow row : rows) {
            if (row.time() <= upperLimit) {
                times.add(row.time());
                survs.add(row.surv());
                long atRiskAfter = row.nRisk() - row.nEvent();
                hazardTerms.add(atRiskAfter == 0 ? 0.0 : (double) row.nEvent() / ((double) row.nRisk() * atRiskAfter));
            }
        }
        double lastSurv = survs.isEmpty() ? 1.0 : survs.get(survs.size() - 1);
        times.add(upperLimit);
        survs.add(lastSurv);
        hazardTerms.add(0.0);
        int m = times.size();
        double[] rectangles = new double[m];
        double previousTime = 0.0;
        double previousSurv = 1.0;
        double mean = 0.0;
        for (int i = 0; i < m; i++) {
            rectangles[i] = (times.get(i) - previousTime) * previousSurv;
            mean += rectangles[i];
            previousTime = times.get(i);
            previousSurv = survs.get(i);
        }
        double variance = 0.0;
        double areaAfter = 0.0;
        for (int j = m - 2; j >= 0; j--) {
            areaAfter += rectangles[j + 1];
            variance += areaAfter * areaAfter * hazardTerms.get(j);
        }
        return new RestrictedMean(mean, Math.sqrt(variance), upperLimit);
    }
}
