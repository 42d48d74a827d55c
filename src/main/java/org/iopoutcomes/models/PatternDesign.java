package org.iopoutcomes.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link ModelDesign}'s rules on rows already counted by covariate pattern: the same covariates left out (missing
 * share, constant, too many levels), the same reference levels, term names and term values, and the same count of
 * rows left out for a missing value, computed on the driver from the cells (distinct value combinations with their
 * row counts) instead of by Spark passes over the rows. Equal to {@link ModelDesign#build} on the rows the cells
 * stand for.
 *
 * @param termValues per cell, the term values (exposure first), or null for a cell whose rows are left out
 */
public record PatternDesign(List<String> terms, List<String> covariatesUsed, List<String> covariatesLeftOut,
                            long rowsLeftOutMissing, double[][] termValues) {
    public PatternDesign {
        terms = List.copyOf(terms);
        covariatesUsed = List.copyOf(covariatesUsed);
        covariatesLeftOut = List.copyOf(covariatesLeftOut);
    }

    /**
     * Distinct values of the rows and how many rows have them.
     *
     * @param exposure the exposure as a double (null: missing)
     * @param values   per covariate: a Double for a numeric one, a String for a categorical one, null when
     *                 missing (null, NaN or blank)
     */
    public record Cell(Double exposure, Object[] values, long rows) {}

    /**
     * @param numeric per covariate, true when {@link ModelDesign} reads it as a number (numeric or boolean column),
     *                false for a category (string column)
     */
    public static PatternDesign build(List<Cell> cells, String exposureColumn, List<String> covariates,
                                      List<Boolean> numeric, double maxMissingShare) {
        if (!(maxMissingShare >= 0 && maxMissingShare <= 1)) {
            throw new IllegalArgumentException("maxMissingShare must be in [0, 1], got " + maxMissingShare);
        }
        if (covariates.size() != numeric.size() || new LinkedHashSet<>(covariates).size() != covariates.size()
                || covariates.contains(exposureColumn)) {
            throw new IllegalArgumentException("covariates must be distinct, not the exposure, one kind each");
        }
        int k = covariates.size();
        long total = 0;
        long badExposure = 0;
        long[] missing = new long[k];
        for (Cell cell : cells) {
            total += cell.rows();
            Double e = cell.exposure();
            if (e != null && !e.isNaN() && e != 0.0 && e != 1.0) {
                badExposure += cell.rows();
            }
            for (int i = 0; i < k; i++) {
                if (cell.values()[i] == null) {
                    missing[i] += cell.rows();
                }
            }
        }
        if (badExposure > 0) {
            throw new IllegalArgumentException(badExposure + " row(s) with an exposure (" + exposureColumn
                    + ") other than 0 or 1");
        }
        List<String> leftOut = new ArrayList<>();
        List<Integer> retained = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            String c = covariates.get(i);
            if (total == 0) {
                leftOut.add(c + " (no rows)");
            } else if ((double) missing[i] / total > maxMissingShare) {
                leftOut.add(String.format(Locale.ROOT, "%s (missing in more than %s%% of rows)", c,
                        ModelDesign.percent(maxMissingShare)));
            } else {
                retained.add(i);
            }
        }

        Map<Integer, List<String>> levels = new LinkedHashMap<>();
        Map<Integer, String> references = new LinkedHashMap<>();
        long kept;
        boolean[] complete = new boolean[cells.size()];
        while (true) {
            kept = 0;
            for (int r = 0; r < cells.size(); r++) {
                Cell cell = cells.get(r);
                boolean keep = cell.exposure() != null && !cell.exposure().isNaN();
                for (int i : retained) {
                    keep &= cell.values()[i] != null;
                }
                complete[r] = keep;
                if (keep) {
                    kept += cell.rows();
                }
            }
            List<String> constant = new ArrayList<>();
            for (int i : retained) {
                if (!numeric.get(i)) {
                    continue;
                }
                Double min = null;
                Double max = null;
                for (int r = 0; r < cells.size(); r++) {
                    if (complete[r] && cells.get(r).rows() > 0) {
                        double v = (Double) cells.get(r).values()[i];
                        min = min == null ? v : Math.min(min, v);
                        max = max == null ? v : Math.max(max, v);
                    }
                }
                if (min == null || min.doubleValue() == max.doubleValue()) {
                    constant.add(covariates.get(i) + " (constant)");
                }
            }
            levels.clear();
            references.clear();
            for (int i : retained) {
                if (numeric.get(i)) {
                    continue;
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                for (int r = 0; r < cells.size(); r++) {
                    if (complete[r] && cells.get(r).rows() > 0) {
                        counts.merge((String) cells.get(r).values()[i], cells.get(r).rows(), Long::sum);
                    }
                }
                String c = covariates.get(i);
                if (counts.size() < 2) {
                    constant.add(c + " (constant)");
                } else if (counts.size() > ModelDesign.MAX_LEVELS) {
                    constant.add(c + " (more than " + ModelDesign.MAX_LEVELS + " levels)");
                } else {
                    List<String> sorted = counts.keySet().stream().sorted().toList();
                    String most = counts.entrySet().stream().max(Comparator.comparingLong(
                            (Map.Entry<String, Long> en) -> en.getValue())
                            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder())).orElseThrow().getKey();
                    levels.put(i, sorted);
                    references.put(i, most);
                }
            }
            if (constant.isEmpty()) {
                break;
            }
            for (String reason : constant) {
                String name = reason.substring(0, reason.lastIndexOf(" ("));
                retained.remove(Integer.valueOf(covariates.indexOf(name)));
                leftOut.add(reason);
            }
        }

        Set<String> used = new HashSet<>();
        List<String> terms = new ArrayList<>();
        terms.add(ModelDesign.unique(ModelDesign.sanitise(exposureColumn), used));
        for (int i : retained) {
            String c = covariates.get(i);
            if (numeric.get(i)) {
                terms.add(ModelDesign.unique(ModelDesign.sanitise(c), used));
            } else {
                for (String level : levels.get(i)) {
                    if (!level.equals(references.get(i))) {
                        terms.add(ModelDesign.unique(ModelDesign.sanitise(c + "=" + level), used));
                    }
                }
            }
        }
        double[][] values = new double[cells.size()][];
        for (int r = 0; r < cells.size(); r++) {
            if (!complete[r]) {
                continue;
            }
            Cell cell = cells.get(r);
            double[] v = new double[terms.size()];
            int t = 0;
            v[t++] = cell.exposure();
            for (int i : retained) {
                if (numeric.get(i)) {
                    v[t++] = (Double) cell.values()[i];
                } else {
                    for (String level : levels.get(i)) {
                        if (!level.equals(references.get(i))) {
                            v[t++] = level.equals(cell.values()[i]) ? 1.0 : 0.0;
                        }
                    }
                }
            }
            values[r] = v;
        }
        List<String> usedNames = retained.stream().map(covariates::get).toList();
        return new PatternDesign(terms, usedNames, leftOut, total - kept, values);
    }
}
