package org.iopoutcomes.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;

/** Multiple-testing adjustment as R's p.adjust; results are in the input order. NaN p-values stay NaN and do not count. */
public final class PAdjust {
    public enum Method { BH, BY, HOLM, BONFERRONI;
        public static Method parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "bh", "fdr" -> BH;
                case "by" -> BY;
                case "holm" -> HOLM;
                case "bonferroni" -> BONFERRONI;
                default -> throw new IllegalArgumentException("unknown p-adjust method '" + text
                        + "': expected BH, BY, holm or bonferroni");
            };
        }
    }

    private PAdjust() {}

    public static double[] adjust(double[] p, Method method) {
        double[] result = new double[p.length];
        Arrays.fill(result, Double.NaN);
        int[] present = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).toArray();
        int m = present.length;
        if (m == 0) {
            return result;
        }
        switch (method) {
            case BONFERRONI -> {
                for (int i : present) {
                    result[i] = Math.min(1.0, m * p[i]);
                }
            }
            case HOLM -> {
                Integer[] order = sorted(p, present, false);
                double running = 0.0;
                for (int rank = 0; rank < m; rank++) {
                    int i = order[rank];
                    running = Math.max(running, (m - rank) * p[i]);
                    result[i] = Math.min(1.0, running);
                }
            }
            case BH, BY -> {
                double factor = 1.0;
                if (method == Method.BY) {
                    double harmonic = 0.0;
                    for (int k = 1; k <= m; k++) {
                        harmonic += 1.0 / k;
                    }
                    factor = harmonic;
                }
                Integer[] order = sorted(p, present, true);
                double running = Double.POSITIVE_INFINITY;
                for (int rank = 0; rank < m; rank++) {
                    int i = order[rank];
                    int position = m - rank; // 1-based rank in increasing order
                    running = Math.min(running, factor * m / position * p[i]);
                    result[i] = Math.min(1.0, running);
                }
            }
        }
        return result;
    }

    private static Integer[] sorted(double[] p, int[] present, boolean decreasing) {
        Integer[] order = Arrays.stream(present).boxed().toArray(Integer[]::new);
        Comparator<Integer> byP = Comparator.comparingDouble(i -> p[i]);
        Arrays.sort(order, decreasing ? byP.reversed() : byP);
        return order;
    }
}
