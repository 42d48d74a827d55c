package org.iopoutcomes.publish;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.publish.PublishedOutputs.Row;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.TrendTest;

/**
 * Attack 2 of issue 13: dose_response publishes trend_p, the Cochran-Armitage test (R's prop.trend.test, scores =
 * level_order) on the levels' known_status and relapsed_known, on rows where some levels' counts are hidden. The
 * attacker searches the hidden levels' integer counts (0 <= relapsed_known <= known_status <= the level's published
 * episodes) for those that give the published p to its printed digits; one solution gives the hidden cells back.
 */
final class TrendInversion {
    /** Largest number of candidate count combinations searched in one case. */
    static final long BUDGET = 20_000_000L;

    private TrendInversion() {}

    /** A level of one case: its published counts, or (hidden) the search limit of its known_status. */
    record Level(String rowKey, String label, int order, Long known, Long relapsed, long maxKnown) {
        boolean hidden() {
            return known == null || relapsed == null;
        }
    }

    /** One stratum value, dimension and horizon with a published trend_p and hidden levels. */
    record Case(String key, String stratum, double p, String printed, List<Level> levels) {
        List<Level> hiddenLevels() {
            return levels.stream().filter(Level::hidden).toList();
        }

        /**
         * Combinations tried: per hidden level but the last (n+1)(n+2)/2 pairs 0 <= x <= n <= max, times the last
         * level's n (its x comes from a quadratic).
         */
        double searchSize() {
            List<Level> hidden = hiddenLevels();
            double size = 1;
            for (int i = 0; i < hidden.size(); i++) {
                double m = hidden.get(i).maxKnown();
                size *= i == hidden.size() - 1 ? m + 1 : (m + 1) * (m + 2) / 2;
            }
            return size;
        }

        Result solve() {
            List<Level> hidden = hiddenLevels();
            if (hidden.stream().anyMatch(l -> l.maxKnown() < 0) || searchSize() > BUDGET) {
                return new Result(this, false, 0, List.of());
            }
            double tolerance = tolerance(printed, p);
            int k = levels.size();
            long[] x = new long[k];
            long[] n = new long[k];
            double[] score = new double[k];
            int[] hiddenAt = new int[hidden.size()];
            int h = 0;
            for (int i = 0; i < k; i++) {
                Level l = levels.get(i);
                score[i] = l.order();
                if (l.hidden()) {
                    hiddenAt[h++] = i;
                } else {
                    // (the hidden levels start at 0 and are added by the search)
                    x[i] = l.relapsed();
                    n[i] = l.known();
                }
            }
            // p is decreasing in the statistic: the statistics that print as p lie in [cLow, cHigh]; the search
            // compares the statistic from running sums, and confirms each candidate with the test itself
            double cLow = p + tolerance >= 1 ? 0 : statistic(p + tolerance) * (1 - 1e-9);
            double cHigh = p - tolerance <= 0 ? Double.POSITIVE_INFINITY : statistic(p - tolerance) * (1 + 1e-9);
            long sumN = 0;
            long sumX = 0;
            double sumNs = 0;
            double sumNss = 0;
            double sumXs = 0;
            for (int i = 0; i < k; i++) {
                sumN += n[i];
                sumX += x[i];
                sumNs += n[i] * score[i];
                sumNss += n[i] * score[i] * score[i];
                sumXs += x[i] * score[i];
            }
            List<long[]> solutions = new ArrayList<>();
            search(0, hiddenAt, x, n, score, new double[] {sumN, sumX, sumNs, sumNss, sumXs}, cLow, cHigh, tolerance,
                    solutions);
            List<Level> solved = new ArrayList<>();
            if (solutions.size() == 1) {
                long[] s = solutions.get(0);
                for (int j = 0; j < hiddenAt.length; j++) {
                    Level l = levels.get(hiddenAt[j]);
                    solved.add(new Level(l.rowKey(), l.label(), l.order(), s[2 * j + 1], s[2 * j], l.maxKnown()));
                }
            }
            return new Result(this, true, solutions.size(), solved);
        }

        /** The chi-square statistic (1 df) whose upper tail is q. */
        private static double statistic(double q) {
            double lo = 0;
            double hi = 1;
            while (Normal.chiSquareUpperTail(hi, 1) > q && hi < 1e6) {
                hi *= 2;
            }
            for (int i = 0; i < 200; i++) {
                double mid = (lo + hi) / 2;
                if (Normal.chiSquareUpperTail(mid, 1) > q) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return (lo + hi) / 2;
        }

        /** sums: N, X, sum n*s, sum n*s^2, sum x*s over every level. */
        private void search(int j, int[] hiddenAt, long[] x, long[] n, double[] score, double[] sums, double cLow,
                            double cHigh, double tolerance, List<long[]> solutions) {
            if (j == hiddenAt.length) {
                double total = sums[0];
                if (total <= 0) {
                    return;
                }
                double pooled = sums[1] / total;
                double meanScore = sums[2] / total;
                double cross = sums[4] - meanScore * sums[1];
                double spread = sums[3] - total * meanScore * meanScore;
                double denominator = pooled * (1 - pooled) * spread;
                if (!(denominator > 0)) {
                    return;
                }
                double chisq = cross * cross / denominator;
                if (chisq < cLow || chisq > cHigh) {
                    return;
                }
                double q = TrendTest.propTrend(x, n, score).p();
                if (!Double.isNaN(q) && Math.abs(q - p) <= tolerance) {
                    long[] s = new long[2 * hiddenAt.length];
                    for (int i = 0; i < hiddenAt.length; i++) {
                        s[2 * i] = x[hiddenAt[i]];
                        s[2 * i + 1] = n[hiddenAt[i]];
                    }
                    solutions.add(s);
                }
                return;
            }
            int at = hiddenAt[j];
            double sc = score[at];
            long max = levels.get(at).maxKnown();
            boolean last = j == hiddenAt.length - 1;
            for (long nn = 0; nn <= max; nn++) {
                n[at] = nn;
                sums[0] += nn;
                sums[2] += nn * sc;
                sums[3] += nn * sc * sc;
                if (last && Double.isFinite(cHigh)) {
                    lastLevel(at, nn, x, n, score, sums, cLow, cHigh, tolerance, hiddenAt, solutions);
                } else {
                    for (long xx = 0; xx <= nn; xx++) {
                        x[at] = xx;
                        sums[1] += xx;
                        sums[4] += xx * sc;
                        search(j + 1, hiddenAt, x, n, score, sums, cLow, cHigh, tolerance, solutions);
                        sums[1] -= xx;
                        sums[4] -= xx * sc;
                    }
                }
                sums[0] -= nn;
                sums[2] -= nn * sc;
                sums[3] -= nn * sc * sc;
            }
            n[at] = 0;
            x[at] = 0;
        }

        /**
         * The last hidden level's relapses, all n fixed: with cross = A + d x and X = X0 + x, the statistic is at most
         * c where f_c(x) = (A + d x)^2 N^2 - c spread (X0 + x)(N - X0 - x) <= 0, a convex quadratic; the x with the
         * statistic in [cLow, cHigh] lie next to the roots of f, so only those few are tried.
         */
        private void lastLevel(int at, long nn, long[] x, long[] n, double[] score, double[] sums, double cLow,
                               double cHigh, double tolerance, int[] hiddenAt, List<long[]> solutions) {
            double total = sums[0];
            if (total <= 0) {
                return;
            }
            double meanScore = sums[2] / total;
            double spread = sums[3] - total * meanScore * meanScore;
            double a = sums[4] - meanScore * sums[1];
            double d = score[at] - meanScore;
            double x0 = sums[1];
            double[] high = roots(a, d, total, x0, spread, cHigh);
            if (high == null) {
                return;
            }
            double[] low = cLow > 0 ? roots(a, d, total, x0, spread, cLow) : null;
            double eps = 1e-6 * (1 + nn);
            long next = 0;
            if (low == null) {
                next = tryRange(high[0] - eps, high[1] + eps, next, at, nn, x, n, score, tolerance, hiddenAt, solutions);
            } else {
                next = tryRange(high[0] - eps, low[0] + eps, next, at, nn, x, n, score, tolerance, hiddenAt, solutions);
                tryRange(low[1] - eps, high[1] + eps, next, at, nn, x, n, score, tolerance, hiddenAt, solutions);
            }
            x[at] = 0;
        }

        /** Tries x in [from, to] (and >= next, so no x twice); returns the next untried x. */
        private long tryRange(double from, double to, long next, int at, long nn, long[] x, long[] n, double[] score,
                              double tolerance, int[] hiddenAt, List<long[]> solutions) {
            long lo = Math.max(next, Math.max(0, (long) Math.ceil(from)));
            long hi = Math.min(nn, (long) Math.floor(to));
            for (long xx = lo; xx <= hi; xx++) {
                x[at] = xx;
                double q = TrendTest.propTrend(x, n, score).p();
                if (!Double.isNaN(q) && Math.abs(q - p) <= tolerance) {
                    long[] s = new long[2 * hiddenAt.length];
                    for (int i = 0; i < hiddenAt.length; i++) {
                        s[2 * i] = x[hiddenAt[i]];
                        s[2 * i + 1] = n[hiddenAt[i]];
                    }
                    solutions.add(s);
                }
            }
            return Math.max(next, hi + 1);
        }

        /** The roots of f_c (see {@link #lastLevel}), or null when f_c > 0 everywhere. */
        private static double[] roots(double a, double d, double total, double x0, double spread, double c) {
            double n2 = total * total;
            double qa = d * d * n2 + c * spread;
            double qb = 2 * a * d * n2 - c * spread * (total - 2 * x0);
            double qc = a * a * n2 - c * spread * x0 * (total - x0);
            if (qa <= 0) {
                return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
            }
            double disc = qb * qb - 4 * qa * qc;
            if (disc < 0) {
                // no root: f_c > 0, unless rounding hides a double root
                if (disc > -1e-9 * qb * qb) {
                    double r = -qb / (2 * qa);
                    return new double[] {r, r};
                }
                return null;
            }
            double sq = Math.sqrt(disc);
            return new double[] {(-qb - sq) / (2 * qa), (-qb + sq) / (2 * qa)};
        }
    }

    /**
     * @param searched false when the search was too large or a hidden level had no published limit
     * @param solutions how many count combinations give the published p
     * @param solution the hidden levels' counts when there is exactly one
     */
    record Result(Case of, boolean searched, int solutions, List<Level> solution) {
        boolean unique() {
            return searched && solutions == 1;
        }
    }

    /**
     * How far a p may be from the printed one and still print so: half a unit of the last printed digit (a p
     * rounded to 2 significant digits matches a range), and never less than a few ulps (a p printed in full is the
     * double itself, up to the order of the additions). The published tables carry at least 2 significant digits
     * and drop trailing zeros (README, "Published p-values"): "0.06" is 0.060, so half a unit of the second
     * significant digit where that is finer than the printed last digit.
     */
    static double tolerance(String printed, double p) {
        java.util.regex.Matcher below = BELOW.matcher(printed);
        if (below.matches()) {
            return Double.parseDouble(below.group(1)) / 2; // "p < 0.001": anything in (0, 0.001)
        }
        BigDecimal d = new BigDecimal(printed.trim());
        double half = 0.5 * Math.pow(10, -d.scale());
        if (d.signum() != 0) {
            half = Math.min(half, 0.5 * Math.pow(10, d.precision() - d.scale() - 2));
        }
        return Math.max(half, 8 * Math.ulp(p));
    }

    /** A p printed as a limit, e.g. "p < 0.001" or "<0.001". */
    static final java.util.regex.Pattern BELOW = java.util.regex.Pattern.compile("\\s*(?:p\\s*)?<\\s*([0-9.eE+-]+)\\s*");

    /** The p a printed trend_p stands for: the number, or the middle of (0, limit) for "p < limit"; null: none. */
    static Double printedP(String printed) {
        java.util.regex.Matcher below = BELOW.matcher(printed);
        if (below.matches()) {
            return Double.parseDouble(below.group(1)) / 2;
        }
        try {
            return Double.valueOf(printed.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * trend_p as a reader of the row sees it: "p < 0.001" where its flag column {@code trend_p_below_0_001} is true
     * (the number is then the limit, not the p), else the number as printed.
     */
    static String printed(Row row) {
        return Boolean.TRUE.equals(row.flag("trend_p_below_0_001")) ? "p < 0.001" : row.text("trend_p");
    }

    /** Every case of the published dose_response. */
    static List<Case> cases(PublishedOutputs out) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : out.table(RelationSystem.DOSE).rows()) {
            String key = r.text("stratum") + "|" + r.text("stratum_value") + "|" + r.text("dimension") + "|"
                    + r.text("horizon_days");
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Case> cases = new ArrayList<>();
        groups.forEach((key, rows) -> {
            List<Row> scored = rows.stream().filter(r -> r.integer("level_order") > 0).toList();
            if (scored.size() < 2 || scored.get(0).isEmpty("trend_p") || printedP(printed(scored.get(0))) == null) {
                return;
            }
            List<Level> levels = new ArrayList<>();
            boolean anyHidden = false;
            for (Row r : scored) {
                Long known = r.count("known_status");
                Long relapsed = r.count("relapsed_known");
                Long episodes = r.count("episodes");
                long max = known != null ? known : episodes != null ? episodes : -1;
                anyHidden |= known == null || relapsed == null;
                levels.add(new Level(r.key(RelationSystem.Builder.DOSE_KEYS), r.text("level"), r.integer("level_order"),
                        known, relapsed, max));
            }
            if (anyHidden) {
                String printed = printed(scored.get(0));
                cases.add(new Case(key, scored.get(0).text("stratum"), printedP(printed), printed, levels));
            }
        });
        return cases;
    }
}
