package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

/**
 * Aalen-Johansen estimate of one stratum with one initial state (in care / event-free) and K absorbing
 * competing states, from counts per (time, status) only, equal to R survival's multi-state
 * {@code survfit(Surv(time, factor(status)) ~ group, data)} (survival 3.5-3) without an {@code id}.
 *
 * <p>Estimate. At the distinct times t_1 &lt; t_2 &lt; ... with n_j under observation (time &gt;= t_j),
 * d_jk transitions into state k, d_j = sum_k d_jk and c_j censored (events at t happen before censorings at
 * t, so the censored at t_j count in n_j):
 * <pre>
 *   p_0(t_j) = p_0(t_{j-1}) (1 - d_j / n_j)                    (the Kaplan-Meier of any event)
 *   p_k(t_j) = p_k(t_{j-1}) + p_0(t_{j-1}) d_jk / n_j           (cumulative incidence of state k)
 * </pre>
 * with p(0) = (1, 0, ..., 0). In matrix form p(t_j) = p(t_{j-1}) H_j, where H_j is the identity except its
 * first row (1 - d_j/n_j, d_j1/n_j, ..., d_jK/n_j).
 *
 * <p>Standard error. Multi-state survfit supports only the robust variance; without an id every row is its own
 * subject, so {@code std.err} is the infinitesimal jackknife: Var p_k(t) = sum_i U_ik(t)^2, where U_i(t) =
 * d p(t) / d w_i is subject i's influence (derivative with respect to its case weight at w = 1). R's
 * survfitci.c computes it with the recursion, at each time with at least one transition,
 * <pre>
 *   U_i(t_j) = U_i(t_{j-1}) H_j + [t_i &gt;= t_j] (p_0(t_{j-1}) / n_j) (e_{s_ij} - H_j[0, .])
 * </pre>
 * U_i(0) = 0, e_s the unit vector of state s, s_ij the state subject i enters at t_j (0, the initial state, when
 * it has no transition then, censored at t_j or not). Subjects with the same (time, status) have the same
 * influence, so the sum over subjects is a sum over (time, status) cells weighted by their counts: this class
 * keeps the common influence C of those still under observation and the Gram matrix G = sum U_i U_i^T of those
 * that left (updated by G := H_j^T G H_j at each transition time), and Var p(t_j) = diag(G) + n_{j+1} C^2.
 *
 * <p>Confidence intervals: R's default for multi-state curves is conf.type = "log" on p itself (not on the
 * cumulative hazard): exp(log p -+ z se/p), the upper limit capped at 1, NA where p = 0 (a state with no
 * transition yet). "log-log" and "plain" are given as well (survival's survfit_confint with logse = FALSE).
 *
 * <p>Times must be &gt;= 0: R starts multi-state curves at min(0, times), which is 0 then.
 */
public final class AalenJohansen {
    /** R's name of the unnamed initial state. */
    public static final String INITIAL_STATE = "(s0)";

    private final int[] states;
    private final List<AalenJohansenRow> rows;
    private final long n;
    private final double z;

    private AalenJohansen(int[] states, List<AalenJohansenRow> rows, long n, double z) {
        this.states = states;
        this.rows = List.copyOf(rows);
        this.n = n;
        this.z = z;
    }

    /** Fits with the states that occur in the counts and 95% intervals. */
    public static AalenJohansen fit(Collection<StatusCount> counts) {
        return fit(counts, statesOf(List.of(counts)), Normal.Z95);
    }

    /**
     * @param counts any order; repeated (time, status) pairs add up
     * @param states status codes of the competing states (positive, any order; a state without any transition
     *               in these counts keeps estimate 0, as R does for a state seen only in another stratum)
     * @param z      normal quantile of the intervals
     */
    public static AalenJohansen fit(Collection<StatusCount> counts, int[] states, double z) {
        int[] codes = codes(states);
        int stateCount = codes.length + 1;
        // per time: [0] censored, [k] transitions into codes[k - 1]
        TreeMap<Double, double[]> byTime = new TreeMap<>();
        for (StatusCount c : counts) {
            byTime.computeIfAbsent(c.time(), t -> new double[stateCount])[index(codes, c.time(), c.status())]
                    += c.count();
        }
        return fitByTime(byTime, codes, z, t -> 1.0);
    }

    /**
     * As {@link #fit(Collection, int[], double)} with counts that need not be whole (expected counts): the same
     * estimate and infinitesimal-jackknife variance, each count a subject of that weight. The counts in the rows
     * (n.risk, n.event, n.censor) are the weighted ones rounded to whole numbers.
     */
    public static AalenJohansen fitWeighted(Collection<WeightedStatusCount> counts, int[] states, double z) {
        return fitWeighted(counts, states, z, t -> 1.0);
    }

    /**
     * As {@link #fitWeighted(Collection, int[], double)} for counts pooled to intervals, a competing-risks life
     * table: of the censored counted at t only the share {@code censoredAtRisk(t)} is at risk for the transitions
     * counted at t (R's convention, all of them, is 1; the actuarial one, censorings spread evenly over a long
     * interval, 1/2). With n' = n - (1 - share) c the increments are d_k/n' (the cause-specific actuarial
     * hazards), and the influence of a censored subject at t carries its share of the risk-set term: U = C H +
     * share (p_0/n') (e_0 - H[0, .]), so the variance is the infinitesimal jackknife of that estimator (with share 1,
     * R's). The rows' n.risk stays n, the number under observation at the start of the interval.
     */
    public static AalenJohansen fitWeighted(Collection<WeightedStatusCount> counts, int[] states, double z,
                                            DoubleUnaryOperator censoredAtRisk) {
        int[] codes = codes(states);
        int stateCount = codes.length + 1;
        TreeMap<Double, double[]> byTime = new TreeMap<>();
        for (WeightedStatusCount c : counts) {
            byTime.computeIfAbsent(c.time(), t -> new double[stateCount])[index(codes, c.time(), c.status())]
                    += c.weight();
        }
        return fitByTime(byTime, codes, z, censoredAtRisk);
    }

    private static int index(int[] codes, double time, int status) {
        if (time < 0) {
            throw new IllegalArgumentException("negative time " + time);
        }
        int index = status == 0 ? 0 : Arrays.binarySearch(codes, status) + 1;
        if (index <= 0 && status != 0) {
            throw new IllegalArgumentException("status " + status + " is not one of the states "
                    + Arrays.toString(codes));
        }
        return index;
    }

    private static AalenJohansen fitByTime(TreeMap<Double, double[]> byTime, int[] codes, double z,
                                           DoubleUnaryOperator censoredAtRisk) {
        int stateCount = codes.length + 1;
        double total = 0;
        for (double[] c : byTime.values()) {
            for (double n : c) {
                total += n;
            }
        }
        double[] p = new double[stateCount];
        p[0] = 1.0;
        double[] common = new double[stateCount]; // influence of each subject still under observation
        double[][] gram = new double[stateCount][stateCount]; // sum of U U^T over subjects that left
        double atRisk = total;
        List<AalenJohansenRow> rows = new ArrayList<>(byTime.size());
        for (var entry : byTime.entrySet()) {
            double[] c = entry.getValue();
            double censored = c[0];
            double events = 0;
            for (int k = 1; k < stateCount; k++) {
                events += c[k];
            }
            if (events + censored == 0) {
                continue;
            }
            double nRisk = atRisk;
            double share = events > 0 && censored > 0 ? KaplanMeier.share(censoredAtRisk, entry.getKey()) : 1.0;
            // a censored subject's influence: the stayers' plus (1 - share) (p_0/n') h, set below when share < 1
            double[] censoredShift = null;
            if (events > 0) {
                double n = share == 1 ? nRisk : nRisk - censored * (1 - share);
                // h = first row of H minus e_0: the increments of p per unit p_0
                double[] h = new double[stateCount];
                h[0] = -events / n;
                for (int k = 1; k < stateCount; k++) {
                    h[k] = c[k] / n;
                }
                // G := H^T G H with H = I + e_0 h^T
                double g00 = gram[0][0];
                double[] g0 = new double[stateCount];
                for (int k = 0; k < stateCount; k++) {
                    g0[k] = gram[k][0];
                }
                for (int a = 0; a < stateCount; a++) {
                    for (int b = 0; b < stateCount; b++) {
                        gram[a][b] += h[a] * g0[b] + g0[a] * h[b] + g00 * h[a] * h[b];
                    }
                }
                // C := C H - (p_0 / n) H[0, .]; then + (p_0 / n) e_s for the state s each subject enters
                double step = p[0] / n;
                if (share < 1) {
                    censoredShift = new double[stateCount];
                    for (int k = 0; k < stateCount; k++) {
                        censoredShift[k] = (1 - share) * step * h[k];
                    }
                }
                double c0 = common[0];
                for (int k = 0; k < stateCount; k++) {
                    double hRow = k == 0 ? 1 + h[0] : h[k];
                    common[k] = common[k] + c0 * h[k] - step * hRow;
                }
                // subjects with a transition into state k leave with C + step e_k
                for (int k = 1; k < stateCount; k++) {
                    if (c[k] > 0) {
                        addOuter(gram, common, k, step, c[k]);
                    }
                }
                common[0] += step; // those staying in the initial state, the censored at t_j among them
                double p0 = p[0];
                for (int k = 0; k < stateCount; k++) {
                    p[k] += p0 * h[k];
                }
            }
            if (censored > 0) {
                if (censoredShift == null) {
                    addOuter(gram, common, -1, 0.0, censored);
                } else {
                    double[] influence = common.clone();
                    for (int k = 0; k < stateCount; k++) {
                        influence[k] += censoredShift[k];
                    }
                    addOuter(gram, influence, -1, 0.0, censored);
                }
            }
            atRisk -= events + censored;
            List<StateEstimate> estimates = new ArrayList<>(stateCount);
            for (int k = 0; k < stateCount; k++) {
                double variance = gram[k][k] + atRisk * common[k] * common[k];
                estimates.add(estimate(k == 0 ? Math.round(nRisk) : 0, k == 0 ? 0 : Math.round(c[k]), p[k],
                        Math.sqrt(variance), z));
            }
            rows.add(new AalenJohansenRow(entry.getKey(), Math.round(censored), estimates));
        }
        return new AalenJohansen(codes, rows, Math.round(total), z);
    }

    private static int[] codes(int[] states) {
        int[] codes = Arrays.stream(states).distinct().sorted().toArray();
        if (codes.length == 0) {
            throw new IllegalArgumentException("no competing state");
        }
        if (codes[0] <= 0) {
            throw new IllegalArgumentException("state codes must be positive (0 = censored), got " + codes[0]);
        }
        return codes;
    }

    /** gram += count * v v^T with v = common + shift e_k (k &lt; 0: no shift). */
    private static void addOuter(double[][] gram, double[] common, int k, double shift, double count) {
        int size = common.length;
        double[] v = common.clone();
        if (k >= 0) {
            v[k] += shift;
        }
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                gram[a][b] += count * v[a] * v[b];
            }
        }
    }

    static StateEstimate estimate(long nRisk, long nEvent, double p, double se, double z) {
        // survfit_confint(logse = FALSE): the SE on the log scale is se/p (0 where se is 0)
        double seLog = se == 0 ? 0.0 : se / p;
        return new StateEstimate(nRisk, nEvent, p, se, KaplanMeier.logInterval(p, seLog, z),
                KaplanMeier.logLogInterval(p, seLog, z), KaplanMeier.plainInterval(p, seLog, z));
    }

    /**
     * One fit per group with the union of the groups' states (as R, whose states are those of the whole
     * data), in the map's order.
     */
    public static Map<String, AalenJohansen> fitByGroup(Map<String, ? extends Collection<StatusCount>> countsByGroup) {
        return fitByGroup(countsByGroup, Normal.Z95);
    }

    public static Map<String, AalenJohansen> fitByGroup(Map<String, ? extends Collection<StatusCount>> countsByGroup,
                                                        double z) {
        int[] states = statesOf(countsByGroup.values());
        Map<String, AalenJohansen> fits = new LinkedHashMap<>();
        countsByGroup.forEach((group, counts) -> fits.put(group, fit(counts, states, z)));
        return fits;
    }

    /** The positive status codes that occur with a positive count, ascending. */
    public static int[] statesOf(Collection<? extends Collection<StatusCount>> counts) {
        TreeSet<Integer> states = new TreeSet<>();
        for (Collection<StatusCount> group : counts) {
            for (StatusCount c : group) {
                if (c.status() > 0 && c.count() > 0) {
                    states.add(c.status());
                }
            }
        }
        return states.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reduces per-subject (time, status) to counts per (time, status): what a Spark aggregate hands over. */
    public static List<StatusCount> countsOf(double[] time, int[] status) {
        if (time.length != status.length) {
            throw new IllegalArgumentException("time and status differ in length");
        }
        TreeMap<Double, TreeMap<Integer, Long>> cells = new TreeMap<>();
        for (int i = 0; i < time.length; i++) {
            cells.computeIfAbsent(time[i], t -> new TreeMap<>()).merge(status[i], 1L, Long::sum);
        }
        List<StatusCount> counts = new ArrayList<>();
        cells.forEach((t, byStatus) -> byStatus.forEach((s, count) -> counts.add(new StatusCount(t, s, count))));
        return counts;
    }

    /** Convenience for tests: per-subject arrays, reduced to counts first. */
    public static AalenJohansen fromSubjects(double[] time, int[] status) {
        return fit(countsOf(time, status));
    }

    /** Convenience for tests: per-subject arrays with a group label, reduced to counts per group first. */
    public static Map<String, AalenJohansen> fromSubjects(double[] time, int[] status, String[] group) {
        if (group.length != time.length) {
            throw new IllegalArgumentException("group and time differ in length");
        }
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < group.length; i++) {
            members.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
        }
        Map<String, List<StatusCount>> counts = new LinkedHashMap<>();
        members.forEach((g, index) -> counts.put(g, countsOf(
                index.stream().mapToDouble(i -> time[i]).toArray(), index.stream().mapToInt(i -> status[i]).toArray())));
        return fitByGroup(counts);
    }

    /** Status codes of the competing states, ascending: state k of a row is states()[k - 1]. */
    public int[] states() {
        return states.clone();
    }

    /** R's state names: "(s0)", then the status codes. */
    public List<String> stateLabels() {
        List<String> labels = new ArrayList<>(states.length + 1);
        labels.add(INITIAL_STATE);
        for (int s : states) {
            labels.add(Integer.toString(s));
        }
        return labels;
    }

    /** One row per distinct observed time (events or censorings), ascending. */
    public List<AalenJohansenRow> rows() {
        return rows;
    }

    public long n() {
        return n;
    }

    /**
     * Values at the requested times as R's {@code summary(fit, times = times, extend = TRUE)}, in ascending order
     * of time (R sorts them):
     * <ul>
     *   <li>estimates, SEs and intervals of the last row at or before t. Before the first observed time R
     *       (survfit0) reports p(0) = (1, 0, ..., 0) with SE 0 and lower = upper = 0 for every state and
     *       conf.type, the initial state's p = 1 included; that is copied here;</li>
     *   <li>n.risk: subjects with time &gt;= t (0 past the last time);</li>
     *   <li>n.event and n.censor: counted since the previous requested time, (t_prev, t], not from 0.</li>
     * </ul>
     */
    public List<AalenJohansenRow> at(double... times) {
        double[] sorted = times.clone();
        for (double t : sorted) {
            if (!Double.isFinite(t)) {
                throw new IllegalArgumentException("requested time is not finite: " + t);
            }
        }
        Arrays.sort(sorted);
        int stateCount = states.length + 1;
        // survfit0 adds a row at time 0 unless the curve already starts there
        boolean startRow = rows.isEmpty() || rows.get(0).time() > 0;
        List<AalenJohansenRow> result = new ArrayList<>(sorted.length);
        long[] previousEvents = new long[stateCount];
        long previousCensored = 0;
        for (double t : sorted) {
            int last = -1; // index of the last row with time <= t
            long[] eventsByT = new long[stateCount];
            long censoredByT = 0;
            long nRisk = 0;
            boolean riskFound = false;
            for (int i = 0; i < rows.size(); i++) {
                AalenJohansenRow row = rows.get(i);
                if (row.time() <= t) {
                    last = i;
                    censoredByT += row.nCensor();
                    for (int k = 0; k < stateCount; k++) {
                        eventsByT[k] += row.state(k).nEvent();
                    }
                }
                if (!riskFound && row.time() >= t) {
                    nRisk = row.nRisk();
                    riskFound = true;
                }
            }
            List<StateEstimate> estimates = new ArrayList<>(stateCount);
            for (int k = 0; k < stateCount; k++) {
                long risk = k == 0 ? nRisk : 0;
                long events = eventsByT[k] - previousEvents[k];
                StateEstimate source;
                if (last < 0 && startRow) {
                    double p = k == 0 ? 1.0 : 0.0;
                    Interval zero = new Interval(0.0, 0.0);
                    source = new StateEstimate(risk, events, p, 0.0, zero, zero, zero);
                } else {
                    // R uses the first row when t is before a curve that starts at 0
                    StateEstimate row = rows.get(Math.max(last, 0)).state(k);
                    source = new StateEstimate(risk, events, row.estimate(), row.stdErr(), row.log(), row.logLog(),
                            row.plain());
                }
                estimates.add(source);
            }
            result.add(new AalenJohansenRow(t, censoredByT - previousCensored, estimates));
            previousEvents = eventsByT;
            previousCensored = censoredByT;
        }
        return result;
    }

    /** The normal quantile of the intervals. */
    public double z() {
        return z;
    }
}
