package org.iopoutcomes.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.iopoutcomes.publish.RelationSystem.Cell;
import org.iopoutcomes.publish.RelationSystem.Kind;
import org.iopoutcomes.publish.RelationSystem.Op;
import org.iopoutcomes.publish.RelationSystem.Relation;
import org.iopoutcomes.publish.RelationSystem.Term;

/**
 * Issue 13, acceptance 1b: the interval audit. Every unknown count of the published outputs ({@link RelationSystem}:
 * hidden cells, curve points past a curve's stop, the events of curve steps) is a variable >= 0; every published
 * number is a constant; every relation the attacker knows is a linear constraint. For every hidden cell the audit
 * finds the range of values consistent with all of it and reports the cells whose range holds fewer than
 * threshold values (width < threshold - 1: "0 to 10" is as good as "fewer than 11", "1 to 10" is a disclosure), the
 * shown counts from 1 to threshold-1, and the implied counts (a step's events) that can only be 1 to threshold-1.
 *
 * <p>How: the relations of one run hold tens of thousands of unknowns in one connected component (the strata
 * lines, the rows and the tables all meet), too many for one dense simplex. So (1) bounds are propagated over the
 * whole system until nothing changes (interval arithmetic on each relation, rounded to integers): sound limits for
 * every unknown; (2) for every hidden cell still wider than the threshold, Commons Math's {@link SimplexSolver}
 * minimises and maximises it over a neighbourhood of the relations (the cells within a few relations of it, at
 * most {@link #NEIGHBOURHOOD} unknowns, the others held to their propagated bounds). Both steps are relaxations:
 * a range they find can only be wider than the true one, so every violation reported is real.
 *
 * <p>Named apart from the production {@code org.iopoutcomes.publish.IntervalAudit} (the disclosure layer's own
 * check, issue 13), which a test class of the same name would shadow on the test classpath: this one is the
 * outsider's, it knows only what is published.
 */
public final class AttackerIntervalAudit {
    /** Unknowns in one LP. */
    static final int NEIGHBOURHOOD = 40;
    private static final double EPS = 1e-6;

    /** What the audit found. */
    public enum Kind2 {
        /** A hidden cell whose feasible range is narrower than the threshold. */
        NARROW_HIDDEN,
        /** A shown count from 1 to threshold-1. */
        SHOWN_SMALL,
        /** An implied count (past a curve's stop, a curve step's events) that can only be 1 to threshold-1, or is pinned. */
        DERIVED_SMALL
    }

    public record Finding(Kind2 kind, String table, String rowKey, String column, long low, long high, String how) {
        @Override
        public String toString() {
            return kind + " " + table + " [" + rowKey + "] " + column + " in " + low + ".."
                    + (high == RelationSystem.INF ? "" : high) + " (" + how + ")";
        }
    }

    /**
     * @param ranges every hidden cell's range, by "table|rowKey|column" (rowKey: a row where it is hidden), and every
     *               curve point past a curve's stop
     * @param curveCounts the range of every curve interval's count (events of a kind, censored; pooled or per fine
     *                    interval), by "table|stepKey|column"
     * @param failedSteps curve steps whose published numbers no candidate of the attacker's model gives
     * @param skippedSteps curve steps not inverted (a weight unknown, hidden kinds on a spread, too many candidates)
     * @param invertedSteps curve steps inverted
     */
    public record Result(List<Finding> findings, int hiddenCells, int implied, int lps, int lpFailures,
                         double seconds, Map<String, String> broken, List<String> inconsistencies,
                         Map<String, long[]> ranges, Map<String, long[]> curveCounts, List<String> failedSteps,
                         int skippedSteps, int invertedSteps) {
        public List<Finding> of(Kind2 kind) {
            return findings.stream().filter(f -> f.kind() == kind).toList();
        }
    }

    private final RelationSystem system;
    private final int threshold;
    private final int n;
    private final double[] lo;
    private final double[] hi;
    private final List<List<Relation>> relationsOf = new ArrayList<>();
    private final List<String> inconsistencies = new ArrayList<>();
    private int lps;
    private int lpFailures;

    private AttackerIntervalAudit(RelationSystem system) {
        this.system = system;
        this.threshold = system.threshold();
        this.n = system.cells().size();
        this.lo = new double[n];
        this.hi = new double[n];
        for (Cell c : system.cells()) {
            if (c.known()) {
                lo[c.index] = c.value;
                hi[c.index] = c.value;
            } else {
                lo[c.index] = Math.max(0, c.low);
                hi[c.index] = c.high == RelationSystem.INF ? Double.POSITIVE_INFINITY : c.high;
            }
            relationsOf.add(new ArrayList<>());
        }
        for (Relation r : system.relations()) {
            for (Term t : r.terms()) {
                if (!t.cell().known()) {
                    relationsOf.get(t.cell().index).add(r);
                }
            }
        }
    }

    public static Result run(PublishedOutputs out) {
        return run(RelationSystem.build(out));
    }

    static Result run(RelationSystem system) {
        long started = System.nanoTime();
        AttackerIntervalAudit audit = new AttackerIntervalAudit(system);
        audit.propagate();
        List<Finding> findings = new ArrayList<>();
        Map<String, long[]> ranges = new LinkedHashMap<>();
        Map<String, long[]> curveCounts = new LinkedHashMap<>();
        int hidden = 0;
        int implied = 0;
        int t = audit.threshold;
        for (Cell c : system.cells()) {
            if (c.kind == Kind.PUBLISHED && c.known()) {
                if (c.value >= 1 && c.value < t) {
                    for (String row : c.shownIn) {
                        findings.add(new Finding(Kind2.SHOWN_SMALL, c.table, row, c.column, c.value, c.value, "shown"));
                    }
                }
                continue;
            }
            if (c.known()) {
                continue;
            }
            if (c.kind == Kind.PUBLISHED) {
                hidden++;
                long[] range = audit.range(c.index);
                String how = "propagation";
                if (range[1] - range[0] >= t - 1) {
                    range = audit.lp(c.index);
                    how = "simplex";
                }
                ranges.put(c.table + "|" + c.rowKey + "|" + c.column, range);
                if (range[1] - range[0] < t - 1) {
                    findings.add(new Finding(Kind2.NARROW_HIDDEN, c.table, c.rowKey, c.column, range[0], range[1], how));
                }
            } else {
                implied++;
                long[] range = audit.range(c.index);
                if (c.kind == Kind.IMPLICIT) {
                    ranges.put(c.table + "|" + c.rowKey + "|" + c.column, range);
                } else if (c.table.endsWith("_curve")) {
                    curveCounts.put(c.table + "|" + c.rowKey + "|" + c.column, range);
                }
                boolean small = range[0] >= 1 && range[1] < t;
                // a stopped curve's point (0..threshold-1 a priori) narrowed; a number at risk between grid days
                // (0..inf a priori) is no disclosure when narrow, only the counts of the intervals it splits are
                boolean pinned = c.kind == Kind.IMPLICIT && range[1] - range[0] < t - 1 && c.high - c.low >= t - 1
                        && c.high != RelationSystem.INF;
                if (small || pinned) {
                    findings.add(new Finding(Kind2.DERIVED_SMALL, c.table, c.rowKey, c.column, range[0], range[1],
                            "propagation"));
                }
            }
        }
        return new Result(findings, hidden, implied, audit.lps, audit.lpFailures, (System.nanoTime() - started) / 1e9,
                system.broken(), audit.inconsistencies, ranges, curveCounts, system.failedSteps,
                system.skippedSteps, system.inversions.size());
    }

    private long[] range(int i) {
        long l = (long) Math.ceil(lo[i] - EPS);
        long h = Double.isInfinite(hi[i]) ? RelationSystem.INF : (long) Math.floor(hi[i] + EPS);
        return new long[] {l, h};
    }

    // ---------------------------------------------------------------------------------------------------------
    // (1) bound propagation

    /** Interval arithmetic on every relation until no bound moves (or a pass limit: the bounds stay sound). */
    private void propagate() {
        Deque<Relation> queue = new ArrayDeque<>(system.relations());
        Set<Relation> queued = new LinkedHashSet<>(system.relations());
        long steps = 0;
        long limit = 200L * system.relations().size();
        while (!queue.isEmpty() && steps++ < limit) {
            Relation r = queue.poll();
            queued.remove(r);
            for (int changed : tighten(r)) {
                for (Relation next : relationsOf.get(changed)) {
                    if (next != r && queued.add(next)) {
                        queue.add(next);
                    }
                }
            }
        }
    }

    /** Tightens the bounds of the unknowns of one relation; returns the cells whose bounds moved. */
    private List<Integer> tighten(Relation r) {
        List<Term> terms = r.terms();
        int k = terms.size();
        // sum of a_i x_i: its smallest and largest value, counting infinite parts apart
        double min = 0;
        double max = 0;
        int minInf = 0;
        int maxInf = 0;
        double[] tMin = new double[k];
        double[] tMax = new double[k];
        for (int j = 0; j < k; j++) {
            Term t = terms.get(j);
            int i = t.cell().index;
            double a = t.coef();
            double x1 = a * lo[i];
            double x2 = Double.isInfinite(hi[i]) ? (a > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
                    : a * hi[i];
            tMin[j] = Math.min(x1, x2);
            tMax[j] = Math.max(x1, x2);
            if (Double.isInfinite(tMin[j])) {
                minInf++;
            } else {
                min += tMin[j];
            }
            if (Double.isInfinite(tMax[j])) {
                maxInf++;
            } else {
                max += tMax[j];
            }
        }
        List<Integer> changed = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            Term t = terms.get(j);
            Cell c = t.cell();
            if (c.known()) {
                continue;
            }
            int i = c.index;
            double a = t.coef();
            // the others' sum S: a x + S (op) 0
            double othersMax = maxInf - (Double.isInfinite(tMax[j]) ? 1 : 0) > 0 ? Double.POSITIVE_INFINITY
                    : max - (Double.isInfinite(tMax[j]) ? 0 : tMax[j]);
            double othersMin = minInf - (Double.isInfinite(tMin[j]) ? 1 : 0) > 0 ? Double.NEGATIVE_INFINITY
                    : min - (Double.isInfinite(tMin[j]) ? 0 : tMin[j]);
            double newLo = lo[i];
            double newHi = hi[i];
            // a x >= -S >= -othersMax
            if (!Double.isInfinite(othersMax)) {
                double bound = -othersMax / a;
                if (a > 0) {
                    newLo = Math.max(newLo, Math.ceil(bound - EPS));
                } else {
                    newHi = Math.min(newHi, Math.floor(bound + EPS));
                }
            }
            if (r.op() == Op.EQ && !Double.isInfinite(othersMin)) {
                // a x = -S <= -othersMin
                double bound = -othersMin / a;
                if (a > 0) {
                    newHi = Math.min(newHi, Math.floor(bound + EPS));
                } else {
                    newLo = Math.max(newLo, Math.ceil(bound - EPS));
                }
            }
            if (newLo > newHi) {
                if (inconsistencies.size() < 20) {
                    inconsistencies.add(r.family() + " [" + r.rowKey() + "]: " + c.id + " in " + newLo + ".." + newHi);
                }
                continue;
            }
            if (newLo > lo[i] || newHi < hi[i]) {
                lo[i] = newLo;
                hi[i] = newHi;
                changed.add(i);
            }
        }
        return changed;
    }

    // ---------------------------------------------------------------------------------------------------------
    // (2) the simplex over a neighbourhood

    /**
     * The cells within a few relations of {@code target} (breadth first, the relations with fewest unknowns first),
     * at most {@link #NEIGHBOURHOOD}; the relations whose unknowns all lie among them.
     */
    private long[] lp(int target) {
        List<Integer> cells = new ArrayList<>(List.of(target));
        Set<Integer> in = new LinkedHashSet<>(cells);
        Set<Relation> seen = new LinkedHashSet<>();
        for (int at = 0; at < cells.size() && in.size() < NEIGHBOURHOOD; at++) {
            List<Relation> next = new ArrayList<>();
            for (Relation r : relationsOf.get(cells.get(at))) {
                if (seen.add(r)) {
                    next.add(r);
                }
            }
            next.sort(Comparator.comparingInt(r -> r.unknowns().size()));
            for (Relation r : next) {
                List<Cell> unknown = r.unknowns();
                long fresh = unknown.stream().filter(c -> !in.contains(c.index) && !fixed(c.index)).count();
                if (in.size() + fresh > NEIGHBOURHOOD) {
                    continue;
                }
                for (Cell c : unknown) {
                    if (!fixed(c.index) && in.add(c.index)) {
                        cells.add(c.index);
                    }
                }
            }
        }
        Map<Integer, Integer> column = new LinkedHashMap<>();
        for (int c : cells) {
            column.put(c, column.size());
        }
        int m = column.size();
        List<LinearConstraint> constraints = new ArrayList<>();
        Set<Relation> used = new LinkedHashSet<>();
        for (int c : cells) {
            for (Relation r : relationsOf.get(c)) {
                if (!used.add(r)) {
                    continue;
                }
                boolean inside = true;
                double[] coef = new double[m];
                double rhs = 0;
                for (Term t : r.terms()) {
                    int i = t.cell().index;
                    if (column.containsKey(i)) {
                        coef[column.get(i)] += t.coef();
                        rhs -= t.coef() * lo[i];
                    } else if (fixed(i)) {
                        rhs -= t.coef() * lo[i];
                    } else {
                        inside = false;
                        break;
                    }
                }
                if (inside) {
                    constraints.add(new LinearConstraint(coef, r.op() == Op.EQ ? Relationship.EQ : Relationship.GEQ, rhs));
                }
            }
        }
        for (int c : cells) {
            if (!Double.isInfinite(hi[c])) {
                double[] coef = new double[m];
                coef[column.get(c)] = 1;
                constraints.add(new LinearConstraint(coef, Relationship.LEQ, hi[c] - lo[c]));
            }
        }
        double[] objective = new double[m];
        objective[0] = 1;
        long[] range = range(target);
        Double min = solve(objective, constraints, GoalType.MINIMIZE);
        Double max = solve(objective, constraints, GoalType.MAXIMIZE);
        if (min != null) {
            range[0] = Math.max(range[0], (long) Math.ceil(min + lo[target] - EPS));
        }
        if (max != null && !max.isInfinite()) {
            range[1] = Math.min(range[1], (long) Math.floor(max + lo[target] + EPS));
        }
        return range;
    }

    /** A cell whose bounds meet: a constant for the simplex. */
    private boolean fixed(int i) {
        return hi[i] - lo[i] < EPS;
    }

    /** The optimum of the first variable; +infinity when unbounded; null when the solver fails. */
    private Double solve(double[] objective, List<LinearConstraint> constraints, GoalType goal) {
        lps++;
        try {
            PointValuePair p = new SimplexSolver().optimize(new MaxIter(10_000),
                    new LinearObjectiveFunction(objective, 0), new LinearConstraintSet(constraints), goal,
                    new NonNegativeConstraint(true));
            return p.getValue();
        } catch (UnboundedSolutionException e) {
            return Double.POSITIVE_INFINITY;
        } catch (NoFeasibleSolutionException | TooManyIterationsException e) {
            lpFailures++;
            return null;
        }
    }
}
