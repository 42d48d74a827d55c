package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turnbull's nonparametric estimate of the survival function from interval-censored counts, equal to R survival's
 * {@code survfit(Surv(left, right, type = "interval2") ~ 1)} (survival 3.5-3, {@code survival:::survfitTurnbull}),
 * including its iteration path, so its stopping point and not only its limit. Input: one {@link IntervalCount} per
 * distinct (left, right) pair, as a Spark aggregate hands it over.
 *
 * <p>What R does, and this class after it (R's status codes: 0 right-censored, 1 exact, 2 left-censored,
 * 3 interval-censored in (l, r]):
 * <ol>
 *   <li><b>Jump times.</b> Sort the points "exact at t" (code 0), "closes at t" (a left-censored time or the right
 *       end r of an interval, code 1) and "opens at t" (a right-censored time or the left end l of an interval,
 *       code 2) by time, then code. The jump times are the exact times plus, for every two neighbouring points
 *       in that order where a point that is not a close is followed by a close, their midpoint (the midpoints
 *       of Turnbull's innermost intervals: R puts their mass there). A left-censored subject before the first
 *       jump time becomes an exact event at its time (which becomes a jump time), and R reports n.event 0 at
 *       those times at the end.</li>
 *   <li><b>Pseudo-data.</b> Right-censored and exact subjects enter a Kaplan-Meier as they are; each left- or
 *       interval-censored subject is spread over the jump times it covers (left: t &lt;= r; interval:
 *       l &lt; t &lt;= r) in proportion to the current jumps of the curve, and the jump times enter the
 *       Kaplan-Meier as events weighted by what they received. When no left- or interval-censored subject is
 *       left after step 1, R still spreads one phantom subject of weight 1 over the jump times (its weight matrix
 *       is then a single row of ones), so with only exact and right-censored data the estimate is <i>not</i> the
 *       Kaplan-Meier: it is kept here because it is R's output.</li>
 *   <li><b>EM.</b> Start from the jumps in proportion to how many censored subjects cover each jump time;
 *       then repeat: spread, refit the weighted Kaplan-Meier. Every 5th iteration R tries an Aitken
 *       acceleration of the jumps, elementwise, keeping the plain jump where the accelerated one is not in
 *       (0, 1), and dropping it altogether if it lowers R's log-likelihood sum(log(sum of the covered jumps))
 *       over the censored subjects. Stop when the largest change of S at the jump times is &lt;= 5e-5, a test
 *       R does not make at the accelerated iteration nor the one after (iterations 5k and 5k + 1).</li>
 *   <li><b>Output</b>: the last weighted Kaplan-Meier, one row per distinct time of the pseudo-data (the
 *       right-censored and exact times and the jump times), with its weighted counts and standard error.</li>
 * </ol>
 *
 * <p>Standard error. R's std.err is the one of that last weighted Kaplan-Meier, the jump weights taken as
 * fixed data: survfitKM uses the infinitesimal jackknife (each subject and each jump time its own cluster) as
 * soon as one weight is not a whole number, and then std.err is the standard error of S itself; when every
 * weight happens to be whole it uses Greenwood's formula and std.err is the standard error of -log S.
 * {@link #stdErrIsOfSurvival()} tells which; the intervals are computed accordingly, as R does. Neither is a
 * standard error of the NPMLE (the uncertainty of the spreading is ignored): match R with it, do not publish it.
 *
 * <p>Not copied: survfit.formula's {@code timefix} (aeqSurv) merges times that differ by rounding error only;
 * whole-day times are unaffected. R's loop has no iteration limit; this one stops with an exception after
 * {@value #MAX_ITERATIONS} iterations.
 */
public final class Turnbull {
    /** R's stopping rule: largest change of S at the jump times. */
    static final double TOLERANCE = 5e-5;
    static final int MAX_ITERATIONS = 100_000;

    private final List<TurnbullRow> rows;
    private final long n;
    private final double z;
    private final boolean stdErrOfSurvival;
    private final int iterations;
    private final double[] jumpTimes;
    private final boolean phantom;

    private Turnbull(List<TurnbullRow> rows, long n, double z, boolean stdErrOfSurvival, int iterations,
                     double[] jumpTimes, boolean phantom) {
        this.rows = List.copyOf(rows);
        this.n = n;
        this.z = z;
        this.stdErrOfSurvival = stdErrOfSurvival;
        this.iterations = iterations;
        this.jumpTimes = jumpTimes;
        this.phantom = phantom;
    }

    /** Fits with 95% intervals. */
    public static Turnbull fit(Collection<IntervalCount> counts) {
        return fit(counts, Normal.Z95);
    }

    /**
     * @param counts any order; repeated (left, right) pairs add up; pairs with count 0 are ignored (R never sees
     *               them)
     * @param z      normal quantile of the intervals
     */
    public static Turnbull fit(Collection<IntervalCount> counts, double z) {
        return fit(counts, z, TOLERANCE, MAX_ITERATIONS);
    }

    /**
     * With another stopping tolerance than R's: for tests that measure how far R's stopping point is from the
     * limit of the EM.
     */
    static Turnbull fit(Collection<IntervalCount> counts, double z, double tolerance, int maxIterations) {
        // R's (status, y1, y2) and the multiplicity of each; exact and right-censored by time as {events, censored}
        TreeMap<Double, long[]> real = new TreeMap<>();
        TreeMap<Double, Long> left = new TreeMap<>();
        TreeMap<double[], Long> interval = new TreeMap<>(Turnbull::compareByBothEnds);
        long total = 0;
        for (IntervalCount c : counts) {
            if (c.count() == 0) {
                continue;
            }
            total += c.count();
            switch (c.kind()) {
                case EXACT -> real.computeIfAbsent(c.left(), t -> new long[2])[0] += c.count();
                case RIGHT_CENSORED -> real.computeIfAbsent(c.left(), t -> new long[2])[1] += c.count();
                case LEFT_CENSORED -> left.merge(c.right(), c.count(), Long::sum);
                case INTERVAL_CENSORED -> interval.merge(new double[] {c.left(), c.right()}, c.count(), Long::sum);
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("no observations");
        }

        // 1. jump times: exact times, and the midpoints where a point that is not a close is followed by a close.
        //    Points are (time, code), code 0 exact, 1 close, 2 open; duplicates do not change the pairs.
        TreeSet<double[]> points = new TreeSet<>(Turnbull::compareByBothEnds);
        TreeSet<Double> jumps = new TreeSet<>();
        real.forEach((t, c) -> {
            if (c[0] > 0) {
                points.add(new double[] {t, 0});
                jumps.add(t);
            }
            if (c[1] > 0) {
                points.add(new double[] {t, 2});
            }
        });
        left.keySet().forEach(r -> points.add(new double[] {r, 1}));
        interval.keySet().forEach(lr -> {
            points.add(new double[] {lr[0], 2});
            points.add(new double[] {lr[1], 1});
        });
        double[] previous = null;
        for (double[] point : points) {
            if (previous != null && previous[1] != 1 && point[1] == 1) {
                jumps.add(0.5 * (previous[0] + point[0]));
            }
            previous = point;
        }
        double mintime = jumps.isEmpty() ? Double.POSITIVE_INFINITY : jumps.first();
        // a left-censored subject before the first jump time is an event at its time
        for (var it = left.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey() < mintime) {
                real.computeIfAbsent(entry.getKey(), t -> new long[2])[0] += entry.getValue();
                jumps.add(entry.getKey());
                it.remove();
            }
        }
        double[] jtimes = jumps.stream().mapToDouble(Double::doubleValue).toArray();
        int nJump = jtimes.length;

        // 2. censored subjects: the range of jump times each covers (left: t <= r; interval: l < t <= r)
        List<int[]> ranges = new ArrayList<>();
        List<Long> rangeCounts = new ArrayList<>();
        for (Map.Entry<Double, Long> e : left.entrySet()) {
            ranges.add(range(jtimes, Double.NEGATIVE_INFINITY, e.getKey()));
            rangeCounts.add(e.getValue());
        }
        for (Map.Entry<double[], Long> e : interval.entrySet()) {
            ranges.add(range(jtimes, e.getKey()[0], e.getKey()[1]));
            rangeCounts.add(e.getValue());
        }
        boolean phantom = ranges.isEmpty();
        if (phantom && nJump > 0) {
            // R: wtmat <- matrix(rep(1, length(jtimes)), nrow = 1); lwt <- 1
            ranges.add(new int[] {0, nJump - 1});
            rangeCounts.add(1L);
        }
        int[] from = ranges.stream().mapToInt(r -> r[0]).toArray();
        int[] to = ranges.stream().mapToInt(r -> r[1]).toArray();
        long[] weight = rangeCounts.stream().mapToLong(Long::longValue).toArray();

        // 3. the times of the pseudo-data Kaplan-Meier
        TreeSet<Double> allTimes = new TreeSet<>(real.keySet());
        allTimes.addAll(jumps);
        double[] time = allTimes.stream().mapToDouble(Double::doubleValue).toArray();
        int nTime = time.length;
        long[] realEvents = new long[nTime];
        long[] realCensored = new long[nTime];
        int[] jumpIndex = new int[nTime];
        int[] timeOfJump = new int[nJump];
        for (int i = 0; i < nTime; i++) {
            long[] c = real.get(time[i]);
            if (c != null) {
                realEvents[i] = c[0];
                realCensored[i] = c[1];
            }
            jumpIndex[i] = Arrays.binarySearch(jtimes, time[i]);
            if (jumpIndex[i] >= 0) {
                timeOfJump[jumpIndex[i]] = i;
            } else {
                jumpIndex[i] = -1;
            }
        }
        PseudoData data = new PseudoData(time, realEvents, realCensored, jumpIndex, timeOfJump);

        // 4. EM with R's start, Aitken steps and stopping rule
        double[] wt2 = new double[nJump];
        int iter = 0;
        if (nJump > 0) {
            double[] start = new double[nJump];
            for (int r = 0; r < from.length; r++) {
                for (int j = from[r]; j <= to[r]; j++) {
                    start[j] += weight[r];
                }
            }
            double sum = 0;
            for (double s : start) {
                sum += s;
            }
            double[] surv = new double[nJump];
            double cum = 0;
            for (int j = 0; j < nJump; j++) {
                cum += start[j];
                surv[j] = 1 - cum / sum;
            }
            double[] old = surv.clone();
            double[] aitken1 = new double[nJump];
            double[] jump1 = new double[nJump];
            double[] jump2 = new double[nJump];
            double eps = 1;
            while (eps > tolerance) {
                iter++;
                if (iter > maxIterations) {
                    throw new ArithmeticException("Turnbull EM did not converge in " + maxIterations + " iterations");
                }
                double[] jump = new double[nJump];
                for (int j = 0; j < nJump; j++) {
                    jump[j] = (j == 0 ? 1.0 : surv[j - 1]) - surv[j];
                }
                double[] aitken2 = aitken1;
                aitken1 = new double[nJump];
                for (int j = 0; j < nJump; j++) {
                    aitken1[j] = jump[j] - jump1[j];
                }
                double[] jsave = jump;
                if (iter % 5 == 0) {
                    double oldLik = logLikelihood(jsave, from, to, weight);
                    double[] accelerated = new double[nJump];
                    for (int j = 0; j < nJump; j++) {
                        double a = jump2[j] - aitken2[j] * aitken2[j] / (aitken1[j] - aitken2[j]);
                        accelerated[j] = a <= 0 || a >= 1 || Double.isNaN(a) ? jsave[j] : a;
                    }
                    double newLik = logLikelihood(accelerated, from, to, weight);
                    jump = newLik < oldLik ? jsave : accelerated;
                }
                jump2 = jump1;
                jump1 = jsave;
                wt2 = spread(jump, from, to, weight);
                double[] all = data.kaplanMeier(wt2, hasFraction(wt2));
                double[] next = new double[nJump];
                for (int j = 0; j < nJump; j++) {
                    next[j] = all[timeOfJump[j]];
                }
                if (iter % 5 < 2) {
                    eps = 1;
                } else {
                    eps = 0;
                    for (int j = 0; j < nJump; j++) {
                        double d = Math.abs(old[j] - next[j]);
                        if (Double.isNaN(d)) {
                            throw new ArithmeticException("Turnbull EM produced NaN at iteration " + iter);
                        }
                        eps = Math.max(eps, d);
                    }
                }
                old = next;
                surv = next;
            }
        }

        // 5. the last weighted Kaplan-Meier with its standard error
        boolean robust = hasFraction(wt2);
        List<TurnbullRow> rows = data.rows(wt2, robust, mintime, z);
        return new Turnbull(rows, total, z, robust, iter, jtimes, phantom);
    }

    private static int compareByBothEnds(double[] a, double[] b) {
        int c = Double.compare(a[0], b[0]);
        return c != 0 ? c : Double.compare(a[1], b[1]);
    }

    /** Indices [first, last] of the jump times t with l &lt; t &lt;= r. */
    private static int[] range(double[] jtimes, double l, double r) {
        int first = 0;
        while (first < jtimes.length && jtimes[first] <= l) {
            first++;
        }
        int last = first - 1;
        while (last + 1 < jtimes.length && jtimes[last + 1] <= r) {
            last++;
        }
        if (last < first) {
            // cannot happen for R's jump times (every interval holds a midpoint); R would divide by 0 here
            throw new IllegalStateException("no jump time in (" + l + ", " + r + "]");
        }
        return new int[] {first, last};
    }

    /** R: any(weights != floor(weights)), the switch of survfitKM to the infinitesimal jackknife. */
    private static boolean hasFraction(double[] weights) {
        for (double w : weights) {
            if (w != Math.floor(w)) {
                return true;
            }
        }
        return false;
    }

    /** R: sum(log(wtmat %*% jumps)), one term per subject. */
    private static double logLikelihood(double[] jump, int[] from, int[] to, long[] weight) {
        double lik = 0;
        for (int r = 0; r < from.length; r++) {
            double covered = 0;
            for (int j = from[r]; j <= to[r]; j++) {
                covered += jump[j];
            }
            lik += weight[r] * Math.log(covered);
        }
        return lik;
    }

    /**
     * R: wt2 &lt;- wtmat %*% diag(jumps); wt2 &lt;- (lwt / rowSums(wt2)) * wt2; colSums(wt2), one row per subject
     * with lwt = 1. R sums in long double; the sums here are kept in double-double and rounded once, which gives
     * the same doubles (it matters only for whether a weight is a whole number, see {@link #hasFraction}).
     */
    private static double[] spread(double[] jump, int[] from, int[] to, long[] weight) {
        int nJump = jump.length;
        double[] hi = new double[nJump];
        double[] lo = new double[nJump];
        for (int r = 0; r < from.length; r++) {
            double sumHi = 0;
            double sumLo = 0;
            for (int j = from[r]; j <= to[r]; j++) {
                double s = sumHi + jump[j];
                sumLo += twoSumError(sumHi, jump[j], s);
                sumHi = s;
            }
            double factor = 1.0 / (sumHi + sumLo);
            for (int j = from[r]; j <= to[r]; j++) {
                double share = factor * jump[j];
                double product = weight[r] * share;
                double productError = Math.fma(weight[r], share, -product);
                double s = hi[j] + product;
                lo[j] += twoSumError(hi[j], product, s) + productError;
                hi[j] = s;
            }
        }
        double[] wt2 = new double[nJump];
        for (int j = 0; j < nJump; j++) {
            wt2[j] = hi[j] + lo[j];
        }
        return wt2;
    }

    /** The rounding error of s = a + b (Knuth's TwoSum). */
    private static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /** Exact and right-censored subjects by time plus the jump times, the data of R's survfitKM call. */
    private record PseudoData(double[] time, long[] realEvents, long[] realCensored, int[] jumpIndex,
                              int[] timeOfJump) {

        private double pseudo(double[] wt2, int i) {
            return jumpIndex[i] >= 0 ? wt2[jumpIndex[i]] : 0.0;
        }

        /** Weighted number at risk at each time (survfitkm.c adds up from the last time backwards). */
        private double[] atRisk(double[] wt2) {
            double[] atRisk = new double[time.length];
            double sum = 0;
            for (int i = time.length - 1; i >= 0; i--) {
                sum += pseudo(wt2, i);
                sum += realEvents[i] + realCensored[i];
                atRisk[i] = sum;
            }
            return atRisk;
        }

        /** S at each time; survfitkm.c's two branches differ in rounding only. */
        double[] kaplanMeier(double[] wt2, boolean robust) {
            double[] atRisk = atRisk(wt2);
            double[] surv = new double[time.length];
            double km = 1;
            for (int i = 0; i < time.length; i++) {
                double events = pseudo(wt2, i) + realEvents[i];
                boolean anyEvent = realEvents[i] > 0 || jumpIndex[i] >= 0;
                if (anyEvent && events > 0) {
                    km = robust ? km * (1.0 - events / atRisk[i]) : km * ((atRisk[i] - events) / atRisk[i]);
                }
                surv[i] = km;
            }
            return surv;
        }

        /**
         * The rows of survfitKM: Greenwood (std.err of -log S) with whole weights, else the infinitesimal
         * jackknife of S with each subject and each jump time its own cluster. With unit weights and the
         * influence C of one subject still at risk, a subject leaving at t_i keeps C - [event] S(t_i-) / n_i,
         * and every influence of a subject that has left is multiplied by 1 - h at each later event time, so
         * Var = G + W2 C^2: G the sum of the squared influences of those that left, W2 the sum of the squared
         * weights of those at risk.
         */
        List<TurnbullRow> rows(double[] wt2, boolean robust, double mintime, double z) {
            int nTime = time.length;
            double[] atRisk = atRisk(wt2);
            double[] squaredAfter = new double[nTime]; // W2 of those with time > time[i]
            double sq = 0;
            for (int i = nTime - 1; i >= 0; i--) {
                squaredAfter[i] = sq;
                double w = pseudo(wt2, i);
                sq += w * w + realEvents[i] + realCensored[i];
            }
            List<TurnbullRow> rows = new ArrayList<>(nTime);
            double km = 1;
            double variance = 0;
            double common = 0;
            double gram = 0;
            for (int i = 0; i < nTime; i++) {
                double w = pseudo(wt2, i);
                double n = atRisk[i];
                double events = w + realEvents[i];
                boolean anyEvent = realEvents[i] > 0 || jumpIndex[i] >= 0;
                boolean update = anyEvent && events > 0;
                if (!robust) {
                    if (update) {
                        km *= (n - events) / n;
                        variance += events / (n * (n - events)); // n == events gives +Infinity, as R
                    }
                } else if (update) {
                    double haz = events / n;
                    gram *= (1 - haz) * (1 - haz);
                    common = common * (1 - haz) + km * haz / n;
                    double eventInfluence = common - km / n;
                    gram += realEvents[i] * eventInfluence * eventInfluence
                            + realCensored[i] * common * common
                            + (w * eventInfluence) * (w * eventInfluence);
                    km *= 1 - haz;
                    variance = gram + squaredAfter[i] * common * common;
                } else {
                    // leaving without an event: the influence stays C (a jump time with weight 0 adds 0)
                    gram += (realEvents[i] + realCensored[i]) * common * common + (w * common) * (w * common);
                }
                double se = Math.sqrt(variance);
                // R's survfit_confint: log-scale SE is se/S for the jackknife (0 where se is 0), se for Greenwood
                double seLog = robust ? (se == 0 ? 0.0 : se / km) : se;
                double reportedEvents = time[i] < mintime && events > 0 ? 0.0 : events;
                rows.add(new TurnbullRow(time[i], n, reportedEvents, realCensored[i], km, se,
                        KaplanMeier.logInterval(km, seLog, z), KaplanMeier.logLogInterval(km, seLog, z),
                        KaplanMeier.plainInterval(km, seLog, z)));
            }
            return rows;
        }
    }

    /** Convenience: per-subject (left, right) arrays (NaN or infinite = missing), reduced to counts first. */
    public static Turnbull fromSubjects(double[] left, double[] right) {
        return fit(countsOf(left, right));
    }

    /** Reduces per-subject (left, right) to counts per distinct pair: what a Spark aggregate hands over. */
    public static List<IntervalCount> countsOf(double[] left, double[] right) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("left and right differ in length");
        }
        TreeMap<double[], Long> cells = new TreeMap<>(Turnbull::compareByBothEnds);
        for (int i = 0; i < left.length; i++) {
            double l = Double.isFinite(left[i]) ? left[i] : Double.NaN;
            double r = Double.isFinite(right[i]) ? right[i] : Double.NaN;
            cells.merge(new double[] {l, r}, 1L, Long::sum);
        }
        List<IntervalCount> counts = new ArrayList<>(cells.size());
        cells.forEach((lr, count) -> counts.add(new IntervalCount(lr[0], lr[1], count)));
        return counts;
    }

    /** One row per distinct time of R's fit (right-censored, exact and jump times), ascending. */
    public List<TurnbullRow> rows() {
        return rows;
    }

    /** Number of subjects (R's fit$n). */
    public long n() {
        return n;
    }

    public double z() {
        return z;
    }

    /**
     * True when R's std.err is the standard error of S (infinitesimal jackknife: some jump weight is not whole,
     * the usual case), false when it is Greenwood's standard error of -log S (every weight whole).
     */
    public boolean stdErrIsOfSurvival() {
        return stdErrOfSurvival;
    }

    /** The standard error of S at a row, whichever scale R's std.err is on. */
    public double seSurv(TurnbullRow row) {
        return stdErrOfSurvival ? row.stdErr() : row.surv() * row.stdErr();
    }

    /** EM iterations R runs on the same data (R does not report it). */
    public int iterations() {
        return iterations;
    }

    /** The times where the estimate may jump: exact times and midpoints of the innermost intervals, ascending. */
    public double[] jumpTimes() {
        return jumpTimes.clone();
    }

    /** True when the data had no left- or interval-censored subject and R's phantom subject was spread. */
    public boolean phantomSubject() {
        return phantom;
    }

    /**
     * Values at the requested times as R's {@code summary(fit, times = times, extend = TRUE)}, in ascending order
     * of time (R sorts them): the row of the last time &lt;= t; before the first time (survfit0's row at 0)
     * S = 1 with std.err 0 and every interval (1, 1); n.risk of the first time &gt;= t (0 past the last time);
     * n.event and n.censor since the previous requested time; std.err = S times the fit's std.err (R's
     * summary treats a Turnbull fit's std.err as on the log scale).
     */
    public List<TurnbullAtTime> at(double... times) {
        double[] sorted = times.clone();
        for (double t : sorted) {
            if (!Double.isFinite(t)) {
                throw new IllegalArgumentException("requested time is not finite: " + t);
            }
        }
        Arrays.sort(sorted);
        boolean startRow = rows.get(0).time() > 0;
        List<TurnbullAtTime> result = new ArrayList<>(sorted.length);
        double previousEvents = 0;
        double previousCensored = 0;
        for (double t : sorted) {
            int last = -1;
            double eventsByT = 0;
            double censoredByT = 0;
            double nRisk = 0;
            boolean riskFound = startRow && t <= 0;
            if (riskFound) {
                nRisk = rows.get(0).nRisk();
            }
            for (int i = 0; i < rows.size(); i++) {
                TurnbullRow row = rows.get(i);
                if (row.time() <= t) {
                    last = i;
                    eventsByT += row.nEvent();
                    censoredByT += row.nCensor();
                }
                if (!riskFound && row.time() >= t) {
                    nRisk = row.nRisk();
                    riskFound = true;
                }
            }
            double events = eventsByT - previousEvents;
            double censored = censoredByT - previousCensored;
            if (last < 0 && startRow) {
                Interval one = new Interval(1.0, 1.0);
                result.add(new TurnbullAtTime(t, nRisk, events, censored, 1.0, 0.0, one, one, one));
            } else {
                TurnbullRow row = rows.get(Math.max(last, 0));
                result.add(new TurnbullAtTime(t, nRisk, events, censored, row.surv(), row.surv() * row.stdErr(),
                        row.log(), row.logLog(), row.plain()));
            }
            previousEvents = eventsByT;
            previousCensored = censoredByT;
        }
        return result;
    }
}
