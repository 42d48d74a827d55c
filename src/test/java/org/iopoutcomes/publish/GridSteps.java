package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iopoutcomes.publish.PublishedOutputs.Row;

/**
 * The steps of a curve published on a grid (main's {@code publish.CurveGrid}), as the attacker inverts them. A curve
 * shows only its stratum's grid days g_0 = 0 < g_1 < ...; the number at risk shown at g_i is the number under
 * observation at the start of the interval (g_{i-1}, g_i], i.e. with time > g_{i-1} (at g_0: every episode); every
 * event and censoring of the interval is pooled to g_i. The estimate is a life table of the pooled counts: of the
 * censored pooled to a boundary closing an interval of L days, the share s = (L+1)/(2L) is at risk for its events
 * (1 at day 0), n' = n - (1 - s) c, each kind's increment p0 d_k / n'. For the overall curve the interval's counts
 * are its own; for any other value they are first spread over the overall curve's finer grid in proportion to the
 * overall's pooled counts of the same status there (main's {@code CurveGrid.Grid.spread}), and the shares are the
 * overall's intervals'.
 *
 * <p>Inversion: for one interval the attacker knows the number at risk n at its end point, the estimates at both
 * ends, the exits E = n - n(next point) when a next point is shown, and (for a value other than overall) the
 * overall's pooled counts per fine interval (from inverting the overall first). The unknowns are the interval's
 * pooled count of each kind of event and of the censored; {@link #invert} enumerates them (a root find over the
 * integers: every candidate whose forward life table gives the published estimates to 1e-9) and returns their
 * range. Where the enumeration would be too large, or a weight is unknown, nothing is returned. Since main's
 * retention estimate spares the censored of a grid's last interval (all at risk, not spread: they may be few), a
 * retention step that may end a grid takes the candidates of both models.
 */
final class GridSteps {
    static final double TOL = 1e-9;
    /** Largest number of candidates enumerated for one step. */
    static final long BUDGET = 30_000_000L;

    private GridSteps() {}

    /** The kinds of events of a curve: their estimate columns and the status code each stands for. */
    record Kinds(String[] names, String[] columns, String initialColumn) {
        int size() {
            return names.length;
        }
    }

    static final Kinds ADMISSION = new Kinds(new String[] {"relapses"}, new String[] {"cumulative_incidence"}, null);
    static final Kinds DISCHARGE = new Kinds(new String[] {"relapses", "deaths"},
            new String[] {"cumulative_incidence", "death_incidence"}, null);
    static final Kinds RETENTION = new Kinds(new String[] {"dropouts", "completions", "other_discharges"},
            new String[] {"dropout_incidence", "completion_incidence", "other_discharge_incidence"}, "in_care");

    static Kinds kinds(String curveTable, String clock) {
        if (curveTable.equals(RelationSystem.RETENTION_CURVE)) {
            return RETENTION;
        }
        return clock.equals("admission") ? ADMISSION : DISCHARGE;
    }

    /** A published point: the state probabilities (null: not shown), p0 (null: not known). */
    record Point(int day, Long atRisk, Double[] f, Double p0) {}

    static Point point(Row r, Kinds kinds, String atRiskColumn) {
        Double[] f = new Double[kinds.size()];
        for (int k = 0; k < f.length; k++) {
            f[k] = r.number(kinds.columns()[k]);
        }
        Double p0;
        if (kinds.initialColumn() != null) {
            p0 = r.number(kinds.initialColumn());
        } else {
            double sum = 0;
            boolean all = true;
            for (Double x : f) {
                all &= x != null;
                sum += x == null ? 0 : x;
            }
            p0 = all ? 1 - sum : null;
        }
        return new Point(r.integer("day"), r.count(atRiskColumn), f, p0);
    }

    /** The start before day 0: p0 = 1, no incidence. */
    static Point start(Kinds kinds) {
        Double[] f = new Double[kinds.size()];
        java.util.Arrays.fill(f, 0.0);
        return new Point(-1, null, f, 1.0);
    }

    /**
     * The fine intervals an interval (a, b] of a value's grid is spread over, with the weights of each status.
     *
     * @param share per fine interval, the share of its censored at risk for its events
     * @param w     w[k][j]: the share of kind k's pooled count that goes to fine interval j
     * @param v     v[j]: the same for the censored
     */
    record Spread(double[] share, double[][] w, double[] v) {
        /**
         * As main's retention estimate at a grid's last boundary ({@code CurveGrid.Grid#censoredAtRiskSparingTheLast}):
         * the censored all at the interval's end, all of them at risk for its events there.
         */
        Spread sparingTheLast() {
            int m = share.length;
            double[] s2 = share.clone();
            s2[m - 1] = 1;
            double[] v2 = new double[m];
            v2[m - 1] = 1;
            return new Spread(s2, w, v2);
        }

        /** No spread: one interval of {@code days} days. */
        static Spread single(int kinds, int days) {
            double[][] w = new double[kinds][1];
            for (double[] row : w) {
                row[0] = 1;
            }
            return new Spread(new double[] {GridSteps.share(days)}, w, new double[] {1});
        }
    }

    /** (L+1)/(2L) for an interval of L days; 1 for day 0's ([0, 0], one day). */
    static double share(int days) {
        return (days + 1) / (2.0 * days);
    }

    /**
     * The spread of a value's interval over the overall's fine intervals (days {@code fine}, ascending, inside (a, b],
     * the last = b), given the overall's pooled counts there: counts[j][k] (kind k), counts[j][kinds] the censored.
     *
     * @param previousFine the overall boundary before fine[0] (a); -1 for day 0
     */
    static Spread spread(int kinds, List<Integer> fine, int previousFine, long[][] counts) {
        int m = fine.size();
        double[] share = new double[m];
        for (int j = 0; j < m; j++) {
            int before = j == 0 ? previousFine : fine.get(j - 1);
            share[j] = before < 0 ? share(fine.get(j) + 1) : share(fine.get(j) - before);
        }
        double[][] w = new double[kinds][m];
        double[] v = new double[m];
        for (int k = 0; k <= kinds; k++) {
            long total = 0;
            for (long[] c : counts) {
                total += c[k];
            }
            double[] target = k < kinds ? w[k] : v;
            for (int j = 0; j < m; j++) {
                target[j] = total == 0 ? (j == m - 1 ? 1 : 0) : (double) counts[j][k] / total;
            }
        }
        return new Spread(share, w, v);
    }

    /**
     * The life table over one interval: from n at risk, the pooled counts d[k] and c spread by {@code s}; returns
     * [p0 ratio, increment of F_k / p0(a) for each k].
     */
    static double[] forward(long n, long[] d, long c, Spread s) {
        int kinds = d.length;
        double[] out = new double[kinds + 1];
        double p = 1;
        double atRisk = n;
        for (int j = 0; j < s.share().length; j++) {
            double events = 0;
            double[] dj = new double[kinds];
            for (int k = 0; k < kinds; k++) {
                dj[k] = d[k] * s.w()[k][j];
                events += dj[k];
            }
            double cj = c * s.v()[j];
            if (events > 0) {
                double nn = cj > 0 ? atRisk - cj * (1 - s.share()[j]) : atRisk;
                for (int k = 0; k < kinds; k++) {
                    out[k + 1] += p * dj[k] / nn;
                }
                p *= (nn - events) / nn;
            }
            atRisk -= events + cj;
        }
        out[0] = p;
        return out;
    }

    /**
     * What the attacker knows of an interval's pooled counts: per kind and for the censored, the smallest and largest
     * value of every candidate; {@code candidates} how many there were (0: the published numbers contradict the
     * model). {@code lumped}: the kinds whose estimates are hidden, known only together (as the first of them).
     */
    record Inversion(long[] low, long[] high, long censoredLow, long censoredHigh, long candidates,
                     boolean[] lumped) {
        boolean exact(int k) {
            return low[k] == high[k];
        }
    }

    /**
     * The interval's pooled counts from the published numbers; null when not attempted (too many candidates, the
     * estimates at an end not shown, hidden kinds on a spread interval).
     *
     * @param n       at risk at the interval's end point
     * @param exits   n - at risk at the next point, or null when no next point is shown
     * @param from    the point before (or {@link #start})
     * @param to      the interval's end point
     * @param spread  the fine intervals ({@link Spread#single} for the overall)
     */
    static Inversion invert(long n, Long exits, Point from, Point to, Spread spread, boolean mayBeSparedLast) {
        Inversion plain = invert(n, exits, from, to, spread);
        if (!mayBeSparedLast || plain == null) {
            return plain;
        }
        Inversion spared = invert(n, exits, from, to, spread.sparingTheLast());
        if (spared == null) {
            return null;
        }
        if (plain.candidates() == 0) {
            return spared;
        }
        if (spared.candidates() == 0) {
            return plain;
        }
        long[] low = new long[plain.low().length];
        long[] high = new long[low.length];
        for (int k = 0; k < low.length; k++) {
            low[k] = Math.min(plain.low()[k], spared.low()[k]);
            high[k] = Math.max(plain.high()[k], spared.high()[k]);
        }
        return new Inversion(low, high, Math.min(plain.censoredLow(), spared.censoredLow()),
                Math.max(plain.censoredHigh(), spared.censoredHigh()), plain.candidates() + spared.candidates(),
                plain.lumped());
    }

    static Inversion invert(long n, Long exits, Point from, Point to, Spread spread) {
        int kinds = from.f().length;
        if (from.p0() == null || !(from.p0() > 0)) {
            return null;
        }
        // targets: x_k = (F_k(b) - F_k(a)) / p0(a), r = p0(b) / p0(a)
        Double[] x = new Double[kinds];
        boolean[] hidden = new boolean[kinds];
        int hiddenCount = 0;
        for (int k = 0; k < kinds; k++) {
            if (from.f()[k] != null && to.f()[k] != null) {
                x[k] = (to.f()[k] - from.f()[k]) / from.p0();
            } else {
                hidden[k] = true;
                hiddenCount++;
            }
        }
        Double r = to.p0() == null ? null : to.p0() / from.p0();
        boolean single = spread.share().length == 1;
        if (hiddenCount > 0 && (!single || r == null)) {
            return null; // hidden kinds: only their sum matters, and only without a spread
        }
        if (single) {
            return closedForm(n, exits, x, hidden, r, spread.share()[0]);
        }
        // free variables: each shown kind with an increment, the hidden kinds lumped into one, the censored
        List<Integer> free = new ArrayList<>();
        int lumpedAt = -1;
        for (int k = 0; k < kinds; k++) {
            if (hidden[k]) {
                if (lumpedAt < 0) {
                    lumpedAt = k;
                    free.add(k);
                }
            } else if (Math.abs(x[k]) > TOL) {
                free.add(k);
            }
        }
        int dims = free.size() + (exits == null ? 1 : 0);
        double size = Math.pow(n + 1.0, dims);
        if (size > BUDGET) {
            return null;
        }
        long[] low = new long[kinds];
        long[] high = new long[kinds];
        java.util.Arrays.fill(low, Long.MAX_VALUE);
        java.util.Arrays.fill(high, Long.MIN_VALUE);
        long[] cRange = {Long.MAX_VALUE, Long.MIN_VALUE};
        long[] found = {0};
        long[] d = new long[kinds];
        final Double rr = r;
        final int lumped = lumpedAt;
        enumerate(0, free, n, exits, d, 0, (counts, c) -> {
            double[] f = forward(n, counts, c, spread);
            if (rr != null && Math.abs(f[0] - rr) > TOL) {
                return;
            }
            for (int k = 0; k < kinds; k++) {
                if (!hidden[k] && Math.abs(f[k + 1] - x[k]) > TOL) {
                    return;
                }
            }
            found[0]++;
            for (int k = 0; k < kinds; k++) {
                low[k] = Math.min(low[k], counts[k]);
                high[k] = Math.max(high[k], counts[k]);
            }
            cRange[0] = Math.min(cRange[0], c);
            cRange[1] = Math.max(cRange[1], c);
        });
        boolean[] lumpedKinds = new boolean[kinds];
        if (lumped >= 0) {
            for (int k = 0; k < kinds; k++) {
                lumpedKinds[k] = hidden[k];
            }
        }
        return new Inversion(low, high, cRange[0], cRange[1], found[0], lumpedKinds);
    }

    /**
     * One interval, no spread: for each count of censored c, n' = n - (1 - s) c and each shown kind's count is
     * x_k n', the hidden kinds' together (1 - r) n' less the shown ones: a candidate where all are whole numbers.
     */
    private static Inversion closedForm(long n, Long exits, Double[] x, boolean[] hidden, Double r, double share) {
        int kinds = x.length;
        long[] low = new long[kinds];
        long[] high = new long[kinds];
        java.util.Arrays.fill(low, Long.MAX_VALUE);
        java.util.Arrays.fill(high, Long.MIN_VALUE);
        long cLow = Long.MAX_VALUE;
        long cHigh = Long.MIN_VALUE;
        long found = 0;
        int firstHidden = -1;
        for (int k = 0; k < kinds; k++) {
            if (hidden[k] && firstHidden < 0) {
                firstHidden = k;
            }
        }
        for (long c = 0; c <= n; c++) {
            double nn = n - (1 - share) * c;
            long[] d = new long[kinds];
            long sum = 0;
            boolean ok = true;
            double shownSum = 0;
            for (int k = 0; k < kinds && ok; k++) {
                if (hidden[k]) {
                    continue;
                }
                double v = x[k] * nn;
                long rounded = Math.round(v);
                ok = rounded >= 0 && Math.abs(v - rounded) < 1e-6;
                d[k] = rounded;
                sum += rounded;
                shownSum += v;
            }
            if (!ok) {
                continue;
            }
            if (r != null) {
                double total = (1 - r) * nn;
                if (firstHidden >= 0) {
                    double v = total - shownSum;
                    long rounded = Math.round(v);
                    if (rounded < 0 || Math.abs(v - rounded) > 1e-6) {
                        continue;
                    }
                    d[firstHidden] = rounded;
                    sum += rounded;
                } else if (Math.abs(total - shownSum) > 1e-6) {
                    continue;
                }
            }
            if (sum == 0) {
                // no event: the share never applies, the censored are the exits
                if (exits != null ? c != exits : false) {
                    continue;
                }
            }
            if (sum + c > n || (exits != null && sum + c != exits)) {
                continue;
            }
            found++;
            for (int k = 0; k < kinds; k++) {
                low[k] = Math.min(low[k], d[k]);
                high[k] = Math.max(high[k], d[k]);
            }
            cLow = Math.min(cLow, c);
            cHigh = Math.max(cHigh, c);
        }
        boolean[] lumped = new boolean[kinds];
        for (int k = 0; k < kinds; k++) {
            lumped[k] = hidden[k];
        }
        return new Inversion(low, high, cLow, cHigh, found, lumped);
    }

    interface Visit {
        void at(long[] counts, long censored);
    }

    private static void enumerate(int i, List<Integer> free, long n, Long exits, long[] d, long used, Visit visit) {
        if (i == free.size()) {
            if (exits != null) {
                long c = exits - used;
                if (c >= 0) {
                    visit.at(d, c);
                }
            } else {
                for (long c = 0; used + c <= n; c++) {
                    visit.at(d, c);
                }
            }
            return;
        }
        long max = (exits == null ? n : exits) - used;
        int k = free.get(i);
        for (long v = 0; v <= max; v++) {
            d[k] = v;
            enumerate(i + 1, free, n, exits, d, used + v, visit);
        }
        d[k] = 0;
    }

    /** A curve's rows by day. */
    static TreeMap<Integer, Row> byDay(List<Row> rows) {
        TreeMap<Integer, Row> m = new TreeMap<>();
        rows.forEach(r -> m.put(r.integer("day"), r));
        return m;
    }

    static Map<Integer, Row> unused() {
        return Map.of();
    }
}
