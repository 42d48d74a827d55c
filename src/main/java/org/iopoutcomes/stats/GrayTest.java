package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;

/**
 * Gray's (1988) test for equality of the cumulative incidence functions of one state between groups, from counts
 * per (group, time, status), equal to {@code cmprsk::cuminc(ftime, fstatus, group, rho)$Tests} (cmprsk 2.2-11,
 * one stratum).
 *
 * <p>For the state of interest (cause 1) against every other state (cause 2), at each distinct time with a
 * transition, with r_g under observation in group g, d1_g and d2_g transitions, S_g(t-) the group's
 * Kaplan-Meier of any transition just before t and F_g(t-) its cumulative incidence of cause 1 (Aalen-Johansen);
 * groups with r_g = 0 take no part at that time:
 * <pre>
 *   R_g = r_g / S_g(t-),  R = sum_g R_g                     (R estimates the pooled risk set for cause 1)
 *   D1 = sum_g d1_g,  F(t) = F(t-) + D1 / R                 (pooled cumulative incidence under H0)
 *   W = (1 - F(t-))^rho
 *   score_g += W (d1_g - D1 R_g (1 - F_g(t-)) / sum_h R_h (1 - F_h(t-)))
 * </pre>
 * Variance of the scores of the first G - 1 groups (Gray 1988, with cmprsk's tie corrections), with
 * a_ij = W R_i (delta_ij - R_j / R) at the current time and c_ij = the running sum of a_ij D1 / (R (1 - F(t-)))
 * up to and including it:
 * <pre>
 *   D1 &gt; 0, each g:          b = 1 - (1 - F(t)) / S_g(t) (1 when S_g(t) = 0), u_i = a_ig - b c_ig,
 *                             m = [1 - (D1 - 1) / (R S_g(t-) - 1)] S_g(t-) D1 / (R r_g)
 *   d2_g &gt; 0 and S_g(t) &gt; 0: b = (1 - F(t)) / S_g(t), u_i = -b c_ig,
 *                             m = [1 - (d2_g - 1) / (r_g - 1)] S_g(t-)^2 d2_g / r_g^2
 *   (the brackets are 1 without ties)          V_ij += u_i u_j m,  v2_ig += u_i b m,  v3_g += b^2 m
 *   at the end:                                V_ij += sum_g c_ig c_jg v3_g + c_ig v2_jg + c_jg v2_ig
 * </pre>
 * with the final c. Statistic = score' V^-1 score, chi-square with G - 1 df. Only counts per (group, time,
 * status) enter.
 *
 * <p>Differences from R, none of which changes a number at the 1e-6 of the references: cmprsk's p-value is
 * {@code 1 - pchisq(stat, df)}, which loses all relative digits below about 1e-16; here the upper tail is
 * computed directly. When V is singular (by the rule of R's {@code qr}: a column whose norm falls below 1e-7
 * of its own original norm), cmprsk reports stat = -1 and p = 1; so does this class, with
 * {@link GrayTestResult#singular()} set.
 */
public final class GrayTest {
    /** R qr()'s default tolerance (LINPACK dqrdc2). */
    private static final double QR_TOLERANCE = 1e-7;

    private GrayTest() {}

    /** rho = 0, cuminc's default. */
    public static List<GrayTestResult> test(Map<String, ? extends Collection<StatusCount>> countsByGroup) {
        return test(countsByGroup, 0.0);
    }

    /**
     * One result per state (positive status with a transition in any group), ascending by status code.
     *
     * @param countsByGroup counts per (time, status) for each group, in the order R's factor levels would give
     *                      (the statistic does not depend on it); groups without any subject are left out, as
     *                      cuminc does
     */
    public static List<GrayTestResult> test(Map<String, ? extends Collection<StatusCount>> countsByGroup, double rho) {
        // time -> per group: [censored, per status...] as a map status -> count
        List<TreeMap<Double, TreeMap<Integer, Long>>> groups = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (Collection<StatusCount> counts : countsByGroup.values()) {
            TreeMap<Double, TreeMap<Integer, Long>> byTime = new TreeMap<>();
            long size = 0;
            for (StatusCount c : counts) {
                if (c.count() > 0) {
                    byTime.computeIfAbsent(c.time(), t -> new TreeMap<>()).merge(c.status(), c.count(), Long::sum);
                    size += c.count();
                }
            }
            if (size > 0) {
                groups.add(byTime);
                sizes.add(size);
            }
        }
        if (groups.size() < 2) {
            throw new IllegalArgumentException("Gray's test needs at least two groups with subjects, got "
                    + groups.size());
        }
        int[] states = AalenJohansen.statesOf(List.copyOf(countsByGroup.values()));
        List<GrayTestResult> results = new ArrayList<>(states.length);
        for (int state : states) {
            results.add(testState(groups, sizes, state, rho));
        }
        return results;
    }

    private static GrayTestResult testState(List<TreeMap<Double, TreeMap<Integer, Long>>> groups, List<Long> sizes,
                                            int state, double rho) {
        int g = groups.size();
        int m = g - 1; // scores of the first g - 1 groups
        TreeSet<Double> times = new TreeSet<>();
        for (var group : groups) {
            times.addAll(group.keySet());
        }
        long[] atRisk = new long[g];
        for (int i = 0; i < g; i++) {
            atRisk[i] = sizes.get(i);
        }
        double[] survBefore = new double[g]; // S_g(t-), any transition
        double[] incBefore = new double[g]; // F_g(t-), the state of interest
        double[] survAfter = new double[g];
        double[] incAfter = new double[g];
        Arrays.fill(survBefore, 1.0);
        Arrays.fill(survAfter, 1.0);
        double pooledBefore = 0.0;
        double[] score = new double[m];
        double[][] variance = new double[m][m];
        double[][] cross = new double[g][g]; // Gray's c: accumulated a-terms of the pooled-incidence correction
        double[][] a = new double[g][g];
        double[] ownTerm = new double[g]; // v3
        double[][] mixedTerm = new double[m][g]; // v2
        long[] d1 = new long[g];
        long[] d2 = new long[g];
        long[] leaving = new long[g];
        for (double t : times) {
            long total1 = 0;
            long total2 = 0;
            for (int i = 0; i < g; i++) {
                d1[i] = 0;
                d2[i] = 0;
                leaving[i] = 0;
                TreeMap<Integer, Long> cell = groups.get(i).get(t);
                if (cell != null) {
                    for (var e : cell.entrySet()) {
                        leaving[i] += e.getValue();
                        if (e.getKey() == state) {
                            d1[i] += e.getValue();
                        } else if (e.getKey() != 0) {
                            d2[i] += e.getValue();
                        }
                    }
                }
                total1 += d1[i];
                total2 += d2[i];
            }
            if (total1 + total2 > 0) {
                double adjustedRisk = 0.0; // sum_g R_g
                double adjustedFree = 0.0; // sum_g R_g (1 - F_g(t-))
                for (int i = 0; i < g; i++) {
                    if (atRisk[i] <= 0) {
                        continue;
                    }
                    survAfter[i] = survBefore[i] * (atRisk[i] - d1[i] - d2[i]) / atRisk[i];
                    incAfter[i] = incBefore[i] + survBefore[i] * d1[i] / atRisk[i];
                    adjustedRisk += atRisk[i] / survBefore[i];
                    adjustedFree += atRisk[i] * (1 - incBefore[i]) / survBefore[i];
                }
                double pooledAfter = pooledBefore + total1 / adjustedRisk;
                double weight = Math.pow(1 - pooledBefore, rho);
                double correction = total1 / (adjustedRisk * (1 - pooledBefore));
                for (int i = 0; i < g; i++) {
                    for (int j = i; j < g; j++) {
                        a[i][j] = 0.0;
                    }
                    if (atRisk[i] <= 0) {
                        continue;
                    }
                    double ri = atRisk[i] / survBefore[i];
                    a[i][i] = weight * ri * (1 - ri / adjustedRisk);
                    cross[i][i] += a[i][i] * correction;
                    for (int j = i + 1; j < g; j++) {
                        if (atRisk[j] <= 0) {
                            continue;
                        }
                        a[i][j] = -weight * ri * atRisk[j] / (survBefore[j] * adjustedRisk);
                        cross[i][j] += a[i][j] * correction;
                    }
                }
                for (int i = 1; i < g; i++) {
                    for (int j = 0; j < i; j++) {
                        a[i][j] = a[j][i];
                        cross[i][j] = cross[j][i];
                    }
                }
                for (int i = 0; i < m; i++) {
                    if (atRisk[i] > 0) {
                        score[i] += weight * (d1[i] - total1 * atRisk[i] * (1 - incBefore[i])
                                / (survBefore[i] * adjustedFree));
                    }
                }
                if (total1 > 0) {
                    for (int k = 0; k < g; k++) {
                        if (atRisk[k] <= 0) {
                            continue;
                        }
                        double lead = survAfter[k] > 0 ? 1 - (1 - pooledAfter) / survAfter[k] : 1.0;
                        double ties = total1 > 1 ? 1 - (total1 - 1) / (adjustedRisk * survBefore[k] - 1) : 1.0;
                        double mass = ties * survBefore[k] * total1 / (adjustedRisk * atRisk[k]);
                        accumulate(a, cross, ownTerm, mixedTerm, variance, k, lead, mass, true);
                    }
                }
                if (total2 > 0) {
                    for (int k = 0; k < g; k++) {
                        if (survAfter[k] <= 0 || d2[k] <= 0) {
                            continue;
                        }
                        double lead = (1 - pooledAfter) / survAfter[k];
                        double ties = d2[k] > 1 ? 1 - (d2[k] - 1.0) / (atRisk[k] - 1.0) : 1.0;
                        double mass = ties * survBefore[k] * survBefore[k] * d2[k]
                                / ((double) atRisk[k] * atRisk[k]);
                        accumulate(a, cross, ownTerm, mixedTerm, variance, k, lead, mass, false);
                    }
                }
                pooledBefore = pooledAfter;
                System.arraycopy(survAfter, 0, survBefore, 0, g);
                System.arraycopy(incAfter, 0, incBefore, 0, g);
            }
            for (int i = 0; i < g; i++) {
                atRisk[i] -= leaving[i];
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                for (int k = 0; k < g; k++) {
                    variance[i][j] += cross[i][k] * cross[j][k] * ownTerm[k] + cross[i][k] * mixedTerm[j][k]
                            + cross[j][k] * mixedTerm[i][k];
                }
                variance[j][i] = variance[i][j];
            }
        }
        int df = m;
        if (!fullRank(variance)) {
            return new GrayTestResult(state, -1.0, df, 1.0, true, score, variance);
        }
        var v = new Array2DRowRealMatrix(variance, true);
        var s = new ArrayRealVector(score, true);
        double stat = s.dotProduct(new LUDecomposition(v).getSolver().solve(s));
        return new GrayTestResult(state, stat, df, Normal.chiSquareUpperTail(stat, df), false, score, variance);
    }

    /**
     * Adds one group's term at one time. For cause-1 transitions (Gray's first sum) the per-group factor is
     * a - lead * c, for cause-2 transitions (the second sum) it is -lead * c.
     */
    private static void accumulate(double[][] a, double[][] cross, double[] ownTerm, double[][] mixedTerm,
                                   double[][] variance, int k, double lead, double mass, boolean cause1) {
        ownTerm[k] += lead * lead * mass;
        int m = mixedTerm.length;
        for (int i = 0; i < m; i++) {
            double fi = cause1 ? a[i][k] - lead * cross[i][k] : -lead * cross[i][k];
            mixedTerm[i][k] += fi * lead * mass;
            for (int j = 0; j <= i; j++) {
                double fj = cause1 ? a[j][k] - lead * cross[j][k] : -lead * cross[j][k];
                variance[i][j] += fi * fj * mass;
            }
        }
    }

    /**
     * R's qr() rank rule (LINPACK dqrdc2, tol 1e-7): Householder steps that move a column to the end when the norm
     * of its part not yet reduced falls below tol times its original norm (1 when that is 0); full rank when no
     * column is moved. Norms are recomputed rather than downdated.
     */
    static boolean fullRank(double[][] matrix) {
        int n = matrix.length;
        if (n == 0) {
            return false;
        }
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = matrix[i].clone();
        }
        double[] original = new double[n];
        for (int j = 0; j < n; j++) {
            double norm = columnNorm(x, j, 0);
            original[j] = norm == 0 ? 1.0 : norm;
        }
        for (int l = 0; l < n; l++) {
            double norm = columnNorm(x, l, l);
            if (norm < original[l] * QR_TOLERANCE) {
                return false;
            }
            if (l == n - 1) {
                break;
            }
            // Householder reflection of rows l..n-1 taking column l to (±norm, 0, ..., 0)
            double alpha = x[l][l] >= 0 ? -norm : norm;
            double[] u = new double[n];
            for (int i = l; i < n; i++) {
                u[i] = x[i][l];
            }
            u[l] -= alpha;
            double uu = 0.0;
            for (int i = l; i < n; i++) {
                uu += u[i] * u[i];
            }
            if (uu == 0) {
                continue;
            }
            for (int j = l; j < n; j++) {
                double dot = 0.0;
                for (int i = l; i < n; i++) {
                    dot += u[i] * x[i][j];
                }
                double f = 2 * dot / uu;
                for (int i = l; i < n; i++) {
                    x[i][j] -= f * u[i];
                }
            }
        }
        return true;
    }

    private static double columnNorm(double[][] x, int column, int fromRow) {
        double sum = 0.0;
        for (int i = fromRow; i < x.length; i++) {
            sum += x[i][column] * x[i][column];
        }
        return Math.sqrt(sum);
    }
}
