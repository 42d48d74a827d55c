package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

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
        TreeMap<Double, double[]> byTime = new TreeMap<>();
        for (TimeCounts c : counts) {
            if (Double.isNaN(c.time())) {
                throw new IllegalArgumentException("time is NaN");
            }
            double[] sum = byTime.computeIfAbsent(c.time(), t -> new double[2]);
            sum[0] += c.nEvent();
            sum[1] += c.nCensor();
        }
        return fitByTime(byTime, z, t -> 1.0);
    }

    /**
     * As {@link #fit(Collection, double)} with counts that need not be whole (expected counts; status 0 censored,
     * any other an event): the same estimate, Greenwood and Nelson-Aalen terms with weighted counts. The counts in
     * the rows are the weighted ones rounded to whole numbers.
     */
    public static KaplanMeier fitWeighted(Collection<WeightedStatusCount> counts, double z) {
        return fitWeighted(counts, z, t -> 1.0);
    }

    /**
     * As {@link #fitWeighted(Collection, double)} for counts pooled to intervals, a life table: of the censored
     * counted at t only the share {@code censoredAtRisk(t)} is at risk for the events counted at t (R's convention,
     * all of them, is 1; the actuarial one, censorings spread evenly over a long interval, 1/2). With n' = n - (1 -
     * share) c the step is 1 - d/n', Greenwood's term d/(n'(n' - d)) and the Nelson-Aalen term d/n': Cutler and
     * Ederer's actuarial estimate and Greenwood's actuarial variance. The rows' n.risk stays n, the number under
     * observation at the start of the interval.
     */
    public static KaplanMeier fitWeighted(Collection<WeightedStatusCount> counts, double z,
                                          DoubleUnaryOperator censoredAtRisk) {
        TreeMap<Double, double[]> byTime = new TreeMap<>();
        for (WeightedStatusCount c : counts) {
            byTime.computeIfAbsent(c.time(), t -> new double[2])[c.status() == 0 ? 1 : 0] += c.weight();
        }
        return fitByTime(byTime, z, censoredAtRisk);
    }

    /** Per time: [0] events, [1] censored. */
    private static KaplanMeier fitByTime(TreeMap<Double, double[]> byTime, double z,
                                         DoubleUnaryOperator censoredAtRisk) {
        double total = 0;
        double totalEvents = 0;
        for (double[] c : byTime.values()) {
            total += c[0] + c[1];
            totalEvents += c[0];
        }
        List<KaplanMeierRow> rows = new ArrayList<>(byTime.size());
        double atRisk = total;
        double surv = 1.0;
        double greenwood = 0.0;
        double cumhaz = 0.0;
        double varCumhaz = 0.0;
        for (var entry : byTime.entrySet()) {
            double d = entry.getValue()[0];
            double censored = entry.getValue()[1];
            if (d + censored == 0) {
                continue;
            }
            if (d > 0) {
                double n = censored == 0 ? atRisk : atRisk - censored * (1 - share(censoredAtRisk, entry.getKey()));
                surv *= (n - d) / n;
                // n == d gives +Infinity, as R does (S has reached 0)
                greenwood += d / (n * (n - d));
                cumhaz += d / n;
                varCumhaz += d / (n * n);
            }
            double seCumhaz = Math.sqrt(greenwood);
            rows.add(new KaplanMeierRow(entry.getKey(), Math.round(atRisk), Math.round(d), Math.round(censored), surv,
                    seCumhaz, surv * seCumhaz, logInterval(surv, seCumhaz, z), logLogInterval(surv, seCumhaz, z),
                    plainInterval(surv, seCumhaz, z), cumhaz, Math.sqrt(varCumhaz)));
            atRisk -= d + censored;
        }
        return new KaplanMeier(rows, Math.round(total), Math.round(totalEvents), z);
    }

    /** The share of the censored at t at risk for the events at t, checked to lie in [0, 1]. */
    static double share(DoubleUnaryOperator censoredAtRisk, double t) {
        double share = censoredAtRisk.applyAsDouble(t);
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share of the censored at risk at " + t + " is " + share
                    + ", not in [0, 1]");
        }
        return share;
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
