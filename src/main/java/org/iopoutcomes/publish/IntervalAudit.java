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
 * <p>Relations with one unknown left fix it (and so on, until nothing changes); what remains is split into
 * connected parts, and each part is one small linear programme per bound.
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
     * @param values    every cell's true value
     * @param unknown   the cells not shown (hidden, or never published)
     * @param relations the relations between the cells
     * @param audited   the cells whose bounds are wanted (each unknown)
     * @return bounds per audited cell, in the order of {@code audited}
     */
    public static Range[] ranges(long[] values, boolean[] unknown, List<Relation> relations, int[] audited) {
        int n = values.length;
        double[] fixed = new double[n];
        boolean[] free = unknown.clone();
        for (int i = 0; i < n; i++) {
            fixed[i] = values[i];
        }
        // Propagation: a relation with one free cell left gives it exactly.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Relation r : relations) {
                int freeAt = -1;
                int freeCount = 0;
                for (int k = 0; k < r.cells().length; k++) {
                    if (free[r.cells()[k]]) {
                        freeCount++;
                        freeAt = k;
                    }
                }
                if (freeCount == 1) {
                    free[r.cells()[freeAt]] = false; // its true value: the relation holds for the true values
                    changed = true;
                }
            }
        }
        // Connected parts of the free cells.
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        List<Relation> live = new ArrayList<>();
        for (Relation r : relations) {
            int first = -1;
            for (int c : r.cells()) {
                if (free[c]) {
                    if (first < 0) {
                        first = c;
                    } else {
                        union(parent, first, c);
                    }
                }
            }
            if (first >= 0) {
                live.add(r);
            }
        }
        Map<Integer, List<Integer>> parts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (free[i]) {
                parts.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
            }
        }
        Map<Integer, List<Relation>> relationsOf = new LinkedHashMap<>();
        for (Relation r : live) {
            for (int c : r.cells()) {
                if (free[c]) {
                    relationsOf.computeIfAbsent(find(parent, c), k -> new ArrayList<>()).add(r);
                    break;
                }
            }
        }
        Range[] out = new Range[audited.length];
        Map<Integer, Map<Integer, Integer>> columnOf = new LinkedHashMap<>();
        for (var part : parts.entrySet()) {
            Map<Integer, Integer> columns = new LinkedHashMap<>();
            for (int c : part.getValue()) {
                columns.put(c, columns.size());
            }
            columnOf.put(part.getKey(), columns);
        }
        for (int a = 0; a < audited.length; a++) {
            int cell = audited[a];
            if (!free[cell]) {
                out[a] = new Range(values[cell], values[cell]);
                continue;
            }
            int root = find(parent, cell);
            Map<Integer, Integer> columns = columnOf.get(root);
            List<Relation> rs = relationsOf.getOrDefault(root, List.of());
            if (rs.isEmpty()) {
                out[a] = new Range(0, UNBOUNDED);
                continue;
            }
            out[a] = bounds(columns, rs, free, fixed, cell);
        }
        return out;
    }

    private static Range bounds(Map<Integer, Integer> columns, List<Relation> relations, boolean[] free,
                                double[] fixed, int cell) {
        int m = columns.size();
        List<double[]> rows = new ArrayList<>(relations.size());
        List<Double> rhs = new ArrayList<>(relations.size());
        double cap = 1;
        for (Relation r : relations) {
            double[] row = new double[m];
            double right = 0;
            for (int k = 0; k < r.cells().length; k++) {
                int c = r.cells()[k];
                if (free[c]) {
                    row[columns.get(c)] += r.coefficients()[k];
                } else {
                    right -= r.coefficients()[k] * fixed[c];
                }
            }
            rows.add(row);
            rhs.add(right);
            cap += Math.abs(right);
        }
        for (int c : columns.keySet()) {
            cap += fixed[c];
        }
        List<LinearConstraint> constraints = new ArrayList<>(relations.size() + m);
        for (int i = 0; i < rows.size(); i++) {
            constraints.add(new LinearConstraint(rows.get(i), Relationship.EQ, rhs.get(i)));
        }
        // Commons Math 3.6.1's simplex can stop at a wrong optimum when the constraints are equalities only (it
        // gave max x2 = 0 for x1 + x2 + x3 = 57): a cap on each count, larger than any count it can take, gives
        // the tableau slack columns and the right answer. A bound that reaches the cap is no bound.
        for (int j = 0; j < m; j++) {
            double[] unit = new double[m];
            unit[j] = 1;
            constraints.add(new LinearConstraint(unit, Relationship.LEQ, cap));
        }
        double[] objective = new double[m];
        int at = columns.get(cell);
        objective[at] = 1;
        double min = optimize(objective, constraints, rows, rhs, at, GoalType.MINIMIZE, fixed[cell]);
        double max = optimize(objective, constraints, rows, rhs, at, GoalType.MAXIMIZE, fixed[cell]);
        return new Range(min, max >= cap - 0.5 ? UNBOUNDED : max);
    }

    /**
     * One bound, read from the solver's point after checking that the point satisfies every relation: a feasible
     * point's value lies within the true bounds, so whatever the solver does the range is never wider than the
     * truth (an audit that errs, errs towards hiding more). A point that breaks a relation gives the true value.
     */
    private static double optimize(double[] objective, List<LinearConstraint> constraints, List<double[]> rows,
                                   List<Double> rhs, int at, GoalType goal, double trueValue) {
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
        for (int i = 0; i < rows.size(); i++) {
            double sum = 0;
            double scale = Math.abs(rhs.get(i));
            for (int j = 0; j < x.length; j++) {
                sum += rows.get(i)[j] * x[j];
                scale += Math.abs(rows.get(i)[j] * x[j]);
            }
            if (Math.abs(sum - rhs.get(i)) > 1e-7 * Math.max(1, scale)) {
                return trueValue;
            }
        }
        for (double xj : x) {
            if (xj < -1e-7) {
                return trueValue;
            }
        }
        // the simplex works in doubles: a bound of 3.0000000001 is 3
        return Math.rint(x[at] * 1e6) / 1e6;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

}
