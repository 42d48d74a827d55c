package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * What an attacker can learn of the counts that are not shown: for each, the smallest and largest value it can
 * take given every shown count and every linear relation between the counts (a total and its parts, the same
 * people in two tables), with counts >= 0. The bounds are those of the linear relaxation (Commons Math's simplex):
 * at least as wide as the integer ones, the usual audit of tau-ARGUS and sdcTable.
 *
 * <p>Bounds are first propagated over every relation (interval arithmetic); then each audited cell gets one small
 * linear programme per bound over its neighbourhood (at most {@link #NEIGHBOURHOOD} unknowns), the unknowns
 * further away held to their propagated bounds: exact where a cell's connected part is that small, a relaxation
 * (wider, never narrower) beyond. The attacker's audit in the tests reasons the same way.
 */
public final class IntervalAudit {
    /** No upper bound: a count that no relation caps. */
    public static final double UNBOUNDED = Double.POSITIVE_INFINITY;

    /** A relation sum(coefficient_j * x_j) = 0 over cell indexes. */
    public record Relation(int[] cells, double[] coefficients) {
        /** total = sum(parts). */
        public static Relation sum(int total, List<Integer> parts) {
            int[] cells = new int[parts.size() + 1];
            double[] coefficients = new double[parts.size() + 1];
            cells[0] = total;
            coefficients[0] = 1;
            for (int i = 0; i < parts.size(); i++) {
                cells[i + 1] = parts.get(i);
                coefficients[i + 1] = -1;
            }
            return new Relation(cells, coefficients);
        }
    }

    /** Bounds of one cell. */
    public record Range(double min, double max) {
        public double width() {
            return max - min;
        }
    }

    private IntervalAudit() {}

    /**
     * Unknowns of one linear programme at most: a dense simplex over the tens of thousands of cells a run publishes
     * would take hours, and an attacker reasons locally too. Past it, the unknowns further away enter through their
     * propagated bounds (a relaxation: ranges come out as wide as or wider than the exact ones).
     */
    public static final int NEIGHBOURHOOD = 40;

    /**
     * @param values    every cell's true value
     * @param unknown   the cells not shown (hidden, or never published)
     * @param relations the relations between the cells
     * @param audited   the cells whose bounds are wanted (each unknown)
     * @return bounds per audited cell, in the order of {@code audited}
     */
    public static Range[] ranges(long[] values, boolean[] unknown, List<Relation> relations, int[] audited) {
        return new Session(values, unknown, relations).ranges(audited);
    }

    /**
     * The bounds of every cell given one set of unknowns, propagated once; then linear programmes per audited cell,
     * and cheap what-ifs for a protection trying one more hidden cell.
     */
    public static final class Session {
        private final long[] values;
        private final boolean[] unknown;
        private final List<Relation> relations;
        private final List<List<Integer>> relationsOf;
        private final double[] lo;
        private final double[] hi;
        private final boolean linearProgrammes;

        public Session(long[] values, boolean[] unknown, List<Relation> relations) {
            this(values, unknown, relations, true);
        }

        /**
         * @param linearProgrammes false: bounds from propagation alone (interval arithmetic over every relation), a
         *                         relaxation that is wider than or as wide as the programmes' and a hundred times
         *                         faster; what the nightly's disclosure stage uses, checked in the test suite by the
         *                         attacker's audit, which does run the programmes
         */
        public Session(long[] values, boolean[] unknown, List<Relation> relations, boolean linearProgrammes) {
            this.linearProgrammes = linearProgrammes;
            int n = values.length;
            this.values = values;
            this.unknown = unknown.clone();
            this.relations = relations;
            relationsOf = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                relationsOf.add(new ArrayList<>(2));
            }
            for (int r = 0; r < relations.size(); r++) {
                for (int c : relations.get(r).cells()) {
                    relationsOf.get(c).add(r);
                }
            }
            lo = new double[n];
            hi = new double[n];
            for (int i = 0; i < n; i++) {
                lo[i] = unknown[i] ? 0 : values[i];
                hi[i] = unknown[i] ? UNBOUNDED : values[i];
            }
            propagate(relations, relationsOf, lo, hi, null);
        }

        /** Bounds per audited cell, in the order of {@code audited} (linear programmes run in parallel). */
        public Range[] ranges(int[] audited) {
            Range[] out = new Range[audited.length];
            java.util.stream.IntStream.range(0, audited.length).parallel().forEach(a -> {
                int cell = audited[a];
                out[a] = lo[cell] == hi[cell] ? new Range(lo[cell], hi[cell])
                        : refine(cell, lo, hi);
            });
            return out;
        }

        /**
         * The range of {@code cell} were {@code alsoUnknown} hidden too: the unknowns within a few relations of the
         * cell are propagated again from scratch, the cells further away keep this session's bounds (which can only be
         * narrower than the new truth: a what-if that errs, errs towards hiding more).
         */
        private Range refine(int cell, double[] l, double[] h) {
            return linearProgrammes ? local(cell, relations, relationsOf, l, h, values) : new Range(l[cell], h[cell]);
        }

        public Range range(int cell, java.util.Collection<Integer> alsoUnknown) {
            if (alsoUnknown.isEmpty()) {
                return lo[cell] == hi[cell] ? new Range(lo[cell], hi[cell])
                        : refine(cell, lo, hi);
            }
            double[] l = lo.clone();
            double[] h = hi.clone();
            java.util.Set<Integer> region = new java.util.LinkedHashSet<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            // around the cell only: a newly hidden cell further away changes little here
            List<Integer> frontier = new ArrayList<>(List.of(cell));
            seen.add(cell);
            for (int depth = 0; depth < REGION_DEPTH && !frontier.isEmpty() && region.size() < REGION_RELATIONS;
                 depth++) {
                List<Integer> next = new ArrayList<>();
                for (int c : frontier) {
                    for (int r : relationsOf.get(c)) {
                        if (region.add(r)) {
                            for (int other : relations.get(r).cells()) {
                                if (seen.add(other)) {
                                    next.add(other);
                                }
                            }
                        }
                    }
                }
                frontier = next;
            }
            for (int c : seen) {
                if (unknown[c] || alsoUnknown.contains(c)) {
                    l[c] = 0;
                    h[c] = UNBOUNDED;
                }
            }
            propagate(relations, relationsOf, l, h, region);
            return l[cell] == h[cell] ? new Range(l[cell], h[cell]) : refine(cell, l, h);
        }
    }

    /** How far a what-if re-propagates: relations within this many steps, at most this many of them. */
    private static final int REGION_DEPTH = 4;
    private static final int REGION_RELATIONS = 3000;

    /**
     * Interval arithmetic over every relation until nothing narrows (counts are integers, so bounds are rounded
     * inwards): the attacker's first tool, and what the cells outside a linear programme's neighbourhood are held
     * to.
     */
    static void propagate(List<Relation> relations, List<List<Integer>> relationsOf, double[] lo, double[] hi,
                          java.util.Collection<Integer> start) {
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        boolean[] queued = new boolean[relations.size()];
        if (start == null) {
            for (int r = 0; r < relations.size(); r++) {
                queue.add(r);
                queued[r] = true;
            }
        } else {
            for (int r : start) {
                queue.add(r);
                queued[r] = true;
            }
        }
        long steps = 0;
        long limit = 200L * Math.max(1, start == null ? relations.size() : start.size()) + 100_000;
        while (!queue.isEmpty() && steps++ < limit) {
            int r = queue.poll();
            queued[r] = false;
            Relation rel = relations.get(r);
            int[] cells = rel.cells();
            double[] a = rel.coefficients();
            // sum over k of a_k x_k = 0: the range of the sum, with the count of infinite ends
            double minSum = 0;
            double maxSum = 0;
            int minInf = 0;
            int maxInf = 0;
            for (int k = 0; k < cells.length; k++) {
                double l = a[k] > 0 ? a[k] * lo[cells[k]] : a[k] * hi[cells[k]];
                double h = a[k] > 0 ? a[k] * hi[cells[k]] : a[k] * lo[cells[k]];
                if (Double.isInfinite(l)) {
                    minInf++;
                } else {
                    minSum += l;
                }
                if (Double.isInfinite(h)) {
                    maxInf++;
                } else {
                    maxSum += h;
                }
            }
            for (int k = 0; k < cells.length; k++) {
                int c = cells[k];
                if (lo[c] == hi[c]) {
                    continue;
                }
                double l = a[k] > 0 ? a[k] * lo[c] : a[k] * hi[c];
                double h = a[k] > 0 ? a[k] * hi[c] : a[k] * lo[c];
                // the others' sum lies in [othersMin, othersMax]; a_k x_k = -others
                double othersMin = Double.isInfinite(l) ? (minInf > 1 ? Double.NEGATIVE_INFINITY : minSum)
                        : (minInf > 0 ? Double.NEGATIVE_INFINITY : minSum - l);
                double othersMax = Double.isInfinite(h) ? (maxInf > 1 ? UNBOUNDED : maxSum)
                        : (maxInf > 0 ? UNBOUNDED : maxSum - h);
                double newLo;
                double newHi;
                if (a[k] > 0) {
                    newLo = -othersMax / a[k];
                    newHi = -othersMin / a[k];
                } else {
                    newLo = -othersMin / a[k];
                    newHi = -othersMax / a[k];
                }
                newLo = Math.ceil(newLo - 1e-9);
                newHi = Math.floor(newHi + 1e-9);
                boolean narrowed = false;
                if (newLo > lo[c]) {
                    lo[c] = Math.min(newLo, hi[c]);
                    narrowed = true;
                }
                if (newHi < hi[c]) {
                    hi[c] = Math.max(newHi, lo[c]);
                    narrowed = true;
                }
                if (narrowed) {
                    for (int other : relationsOf.get(c)) {
                        if (other != r && !queued[other]) {
                            queued[other] = true;
                            queue.add(other);
                        }
                    }
                }
            }
        }
    }

    /**
     * The bounds of one cell from a linear programme over its neighbourhood: the unknowns reached through the
     * relations breadth first, relations with fewer unknowns first, at most {@link #NEIGHBOURHOOD}; the rest held
     * to their propagated bounds. Intersected with the cell's propagated bounds.
     */
    private static Range local(int cell, List<Relation> relations, List<List<Integer>> relationsOf, double[] lo,
                               double[] hi, long[] values) {
        Map<Integer, Integer> columns = new LinkedHashMap<>();
        columns.put(cell, 0);
        java.util.ArrayDeque<Integer> frontier = new java.util.ArrayDeque<>();
        frontier.add(cell);
        java.util.Set<Integer> used = new java.util.LinkedHashSet<>();
        outer:
        while (!frontier.isEmpty()) {
            int c = frontier.poll();
            List<Integer> rs = new ArrayList<>(relationsOf.get(c));
            rs.sort(java.util.Comparator.comparingInt(r -> freeCount(relations.get(r), lo, hi)));
            for (int r : rs) {
                if (!used.add(r)) {
                    continue;
                }
                for (int other : relations.get(r).cells()) {
                    if (lo[other] != hi[other] && !columns.containsKey(other)) {
                        if (columns.size() >= NEIGHBOURHOOD) {
                            break outer;
                        }
                        columns.put(other, columns.size());
                        frontier.add(other);
                    }
                }
            }
        }
        java.util.Set<Integer> touching = new java.util.LinkedHashSet<>();
        for (int c : columns.keySet()) {
            touching.addAll(relationsOf.get(c));
        }
        int m = columns.size();
        List<LinearConstraint> constraints = new ArrayList<>();
        double cap = 1;
        for (int r : touching) {
            Relation rel = relations.get(r);
            double[] row = new double[m];
            double right = 0;
            double outMin = 0;
            double outMax = 0;
            for (int k = 0; k < rel.cells().length; k++) {
                int c = rel.cells()[k];
                double a = rel.coefficients()[k];
                Integer at = columns.get(c);
                if (at != null) {
                    row[at] += a;
                } else if (lo[c] == hi[c]) {
                    right -= a * lo[c];
                } else {
                    outMin += a > 0 ? a * lo[c] : a * hi[c];
                    outMax += a > 0 ? a * hi[c] : a * lo[c];
                }
            }
            cap += Math.abs(right);
            if (outMin == 0 && outMax == 0) {
                constraints.add(new LinearConstraint(row, Relationship.EQ, right));
            } else {
                // row . x = right - outside, outside in [outMin, outMax]
                if (!Double.isInfinite(outMax)) {
                    constraints.add(new LinearConstraint(row, Relationship.GEQ, right - outMax));
                    cap += Math.abs(outMax);
                }
                if (!Double.isInfinite(outMin)) {
                    constraints.add(new LinearConstraint(row, Relationship.LEQ, right - outMin));
                    cap += Math.abs(outMin);
                }
            }
        }
        for (int c : columns.keySet()) {
            cap += values[c];
            if (!Double.isInfinite(hi[c])) {
                cap += hi[c];
            }
        }
        // Commons Math 3.6.1's simplex can stop at a wrong optimum when the constraints are equalities only (it
        // gave max x2 = 0 for x1 + x2 + x3 = 57): a cap on each count, larger than any count it can take, gives
        // the tableau slack columns and the right answer. A bound that reaches the cap is no bound.
        for (var e : columns.entrySet()) {
            double[] unit = new double[m];
            unit[e.getValue()] = 1;
            double upper = Double.isInfinite(hi[e.getKey()]) ? cap : hi[e.getKey()];
            constraints.add(new LinearConstraint(unit, Relationship.LEQ, upper));
            if (lo[e.getKey()] > 0) {
                constraints.add(new LinearConstraint(unit.clone(), Relationship.GEQ, lo[e.getKey()]));
            }
        }
        double[] objective = new double[m];
        objective[0] = 1;
        double min = optimize(objective, constraints, GoalType.MINIMIZE, values[cell]);
        double max = optimize(objective, constraints, GoalType.MAXIMIZE, values[cell]);
        min = Math.max(lo[cell], Math.ceil(min - 1e-6));
        max = max >= cap - 0.5 ? hi[cell] : Math.min(hi[cell], Math.floor(max + 1e-6));
        return new Range(min, Math.max(min, max));
    }

    private static int freeCount(Relation r, double[] lo, double[] hi) {
        int free = 0;
        for (int c : r.cells()) {
            if (lo[c] != hi[c]) {
                free++;
            }
        }
        return free;
    }

    /**
     * One bound, read from the solver's point after checking that the point satisfies every constraint: a feasible
     * point's value lies within the true bounds, so whatever the solver does the range is never wider than the
     * truth (an audit that errs, errs towards hiding more). A point that breaks a constraint gives the true value.
     */
    private static double optimize(double[] objective, List<LinearConstraint> constraints, GoalType goal,
                                   double trueValue) {
        PointValuePair solution;
        try {
            solution = new SimplexSolver().optimize(new MaxIter(100_000),
                    new LinearObjectiveFunction(objective, 0), new LinearConstraintSet(constraints), goal,
                    new NonNegativeConstraint(true));
        } catch (UnboundedSolutionException e) {
            return goal == GoalType.MAXIMIZE ? UNBOUNDED : 0;
        } catch (org.apache.commons.math3.exception.MathIllegalStateException e) {
            return trueValue;
        }
        double[] x = solution.getPoint();
        for (LinearConstraint c : constraints) {
            double[] row = c.getCoefficients().toArray();
            double sum = 0;
            double scale = Math.abs(c.getValue());
            for (int j = 0; j < x.length; j++) {
                sum += row[j] * x[j];
                scale += Math.abs(row[j] * x[j]);
            }
            double tolerance = 1e-7 * Math.max(1, scale);
            boolean ok = switch (c.getRelationship()) {
                case EQ -> Math.abs(sum - c.getValue()) <= tolerance;
                case LEQ -> sum <= c.getValue() + tolerance;
                case GEQ -> sum >= c.getValue() - tolerance;
            };
            if (!ok) {
                return trueValue;
            }
        }
        for (double xj : x) {
            if (xj < -1e-7) {
                return trueValue;
            }
        }
        double at = 0;
        for (int j = 0; j < x.length; j++) {
            at += objective[j] * x[j];
        }
        return at;
    }
}
