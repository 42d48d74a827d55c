package org.iopoutcomes.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The G-rho family of R's survdiff from counts per (group, time): rho = 0 is the log-rank (Mantel-Haenszel) test,
 * rho = 1 the Peto-Peto modification with weights equal to the pooled Kaplan-Meier S(t-).
 */
public final class LogRank {
    private LogRank() {}

    /**
     * @param countsByGroup counts per distinct time for each group, groups in the order they should be reported
     *                      (the first is the one of {@code z_first_group}); use a LinkedHashMap or TreeMap
     */
    public static LogRankResult test(Map<String, ? extends List<TimeCounts>> countsByGroup, double rho) {
        List<String> names = new ArrayList<>(countsByGroup.keySet());
        int k = names.size();
        if (k < 2) {
            throw new IllegalArgumentException("log-rank needs at least two groups, got " + k);
        }
        // events and censorings per time per group
        TreeSet<Double> allTimes = new TreeSet<>();
        List<TreeMap<Double, long[]>> perGroup = new ArrayList<>();
        long[] size = new long[k];
        for (int g = 0; g < k; g++) {
            TreeMap<Double, long[]> map = new TreeMap<>();
            for (TimeCounts c : countsByGroup.get(names.get(g))) {
                long[] sum = map.computeIfAbsent(c.time(), t -> new long[2]);
                sum[0] += c.nEvent();
                sum[1] += c.nCensor();
                size[g] += c.nEvent() + c.nCensor();
            }
            perGroup.add(map);
            allTimes.addAll(map.keySet());
        }
        long[] atRisk = size.clone();
        double[] observed = new double[k];
        double[] expected = new double[k];
        double[][] variance = new double[k][k];
        double pooledSurvival = 1.0; // pooled KM just before the current time
        for (double t : allTimes) {
            long[] deaths = new long[k];
            long[] leaving = new long[k];
            long totalDeaths = 0;
            long totalAtRisk = 0;
            for (int g = 0; g < k; g++) {
                long[] c = perGroup.get(g).get(t);
                if (c != null) {
                    deaths[g] = c[0];
                    leaving[g] = c[0] + c[1];
                }
                totalDeaths += deaths[g];
                totalAtRisk += atRisk[g];
            }
            if (totalDeaths > 0) {
                double weight = rho == 0 ? 1.0 : Math.pow(pooledSurvival, rho);
                for (int g = 0; g < k; g++) {
                    observed[g] += weight * deaths[g];
                    expected[g] += weight * totalDeaths * atRisk[g] / (double) totalAtRisk;
                }
                if (totalAtRisk > 1) {
                    double common = weight * weight * totalDeaths * (totalAtRisk - totalDeaths)
                            / (double) (totalAtRisk - 1);
                    for (int i = 0; i < k; i++) {
                        double share = atRisk[i] / (double) totalAtRisk;
                        variance[i][i] += common * share;
                        for (int j = 0; j < k; j++) {
                            variance[i][j] -= common * share * atRisk[j] / (double) totalAtRisk;
                        }
                    }
                }
                pooledSurvival *= (totalAtRisk - totalDeaths) / (double) totalAtRisk;
            }
            for (int g = 0; g < k; g++) {
                atRisk[g] -= leaving[g];
            }
        }
        // as survdiff: only groups with expected > 0 take part; drop the first of them
        List<Integer> used = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            if (expected[g] > 0) {
                used.add(g);
            }
        }
        double chisq = 0.0;
        int df = used.size() - 1;
        if (used.size() >= 2) {
            int m = used.size() - 1;
            double[][] v = new double[m][m];
            double[] diff = new double[m];
            for (int i = 0; i < m; i++) {
                int gi = used.get(i + 1);
                diff[i] = observed[gi] - expected[gi];
                for (int j = 0; j < m; j++) {
                    v[i][j] = variance[gi][used.get(j + 1)];
                }
            }
            // generalized inverse: equals solve() when V is nonsingular and stays defined when it is not
            var pseudoInverse = new SingularValueDecomposition(new Array2DRowRealMatrix(v, false)).getSolver().getInverse();
            var d = new ArrayRealVector(diff, false);
            chisq = d.dotProduct(pseudoInverse.operate(d));
        } else {
            df = Math.max(df, 0);
        }
        List<LogRankGroup> groups = new ArrayList<>(k);
        for (int g = 0; g < k; g++) {
            groups.add(new LogRankGroup(names.get(g), size[g], observed[g], expected[g], variance[g][g]));
        }
        double z = (observed[0] - expected[0]) / Math.sqrt(variance[0][0]);
        double p = df > 0 ? Normal.chiSquareUpperTail(chisq, df) : Na.NA;
        return new LogRankResult(rho, chisq, df, p, z, groups, variance);
    }
}
