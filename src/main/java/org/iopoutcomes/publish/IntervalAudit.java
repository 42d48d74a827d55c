package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.Arrays;
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
        List<LinearConstraint> constraints = new ArrayList<>(relations.size());
        for (Relation r : relations) {
            double[] row = new double[m];
            double rhs = 0;
            for (int k = 0; k < r.cells().length; k++) {
                int c = r.cells()[k];
                if (free[c]) {
                    row[columns.get(c)] += r.coefficients()[k];
                } else {
                    rhs -= r.coefficients()[k] * fixed[c];
                }
            }
            constraints.add(new LinearConstraint(row, Relationship.EQ, rhs));
        }
        double[] objective = new double[m];
        objective[columns.get(cell)] = 1;
        double min = optimize(objective, constraints, GoalType.MINIMIZE);
        double max = optimize(objective, constraints, GoalType.MAXIMIZE);
        return new Range(min, max);
    }

    private static double optimize(double[] objective, List<LinearConstraint> constraints, GoalType goal) {
        try {
            PointValuePair solution = new SimplexSolver().optimize(new MaxIter(100_000),
                    new LinearObjectiveFunction(objective, 0), new LinearConstraintSet(constraints), goal,
                    new NonNegativeConstraint(true));
            // the simplex works in doubles: a bound of 3.0000000001 is 3
            return Math.rint(solution.getValue() * 1e6) / 1e6;
        } catch (UnboundedSolutionException e) {
            return goal == GoalType.MAXIMIZE ? UNBOUNDED : 0;
        }
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

    /** For tests and logs. */
    static String describe(Range[] ranges) {
        return Arrays.toString(ranges);
    }
}
