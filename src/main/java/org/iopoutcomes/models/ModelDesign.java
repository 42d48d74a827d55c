package org.iopoutcomes.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;

/**
 * Covariate design: categorical columns become 0/1 dummy columns (reference level = the most frequent level, ties
 * broken by sorting; levels sorted for determinism), numeric columns are cast to double. A covariate missing (null,
 * NaN, or a blank string) in more than maxMissingShare of the rows is left out (listed in covariatesLeftOut with the
 * reason); otherwise rows with a missing covariate (or a missing exposure) are left out and counted in
 * rowsLeftOutMissing. Constant covariates (one value, or one level, among the rows kept) are left out, and so is a
 * categorical covariate with more than {@link #MAX_LEVELS} levels. The exposure column is a 0/1 column and always
 * the first term.
 *
 * <p>rows has the keepColumns (e.g. time, event, outcome, cluster id) plus one double column per term; a term column
 * replaces a keep column of the same name. Term names are the column names: the covariate's name for a numeric
 * covariate, {@code covariate=level} for a dummy, with characters other than letters, digits and {@code _=<>+-}
 * replaced by {@code _} (a clash gets {@code _2}, {@code _3}, ...).
 *
 * @param covariatesLeftOut each as "name (reason)"
 */
public record ModelDesign(Dataset<Row> rows, List<String> terms, List<String> covariatesUsed,
                          List<String> covariatesLeftOut, long rowsLeftOutMissing) {
    /** A categorical covariate with more levels than this is left out (an id column named by mistake). */
    public static final int MAX_LEVELS = 200;

    public ModelDesign {
        terms = List.copyOf(terms);
        covariatesUsed = List.copyOf(covariatesUsed);
        covariatesLeftOut = List.copyOf(covariatesLeftOut);
    }

    private enum Kind { NUMERIC, CATEGORICAL }

    public static ModelDesign build(Dataset<Row> cohort, String exposureColumn, List<String> covariates,
                                    List<String> keepColumns, double maxMissingShare) {
        if (!(maxMissingShare >= 0 && maxMissingShare <= 1)) {
            throw new IllegalArgumentException("maxMissingShare must be in [0, 1], got " + maxMissingShare);
        }
        List<String> columns = Arrays.asList(cohort.columns());
        List<String> wanted = new ArrayList<>(keepColumns);
        wanted.add(exposureColumn);
        wanted.addAll(covariates);
        for (String c : wanted) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("no column '" + c + "' in the cohort " + columns);
            }
        }
        List<String> candidates = new ArrayList<>(new LinkedHashSet<>(covariates));
        candidates.remove(exposureColumn);
        Map<String, Kind> kinds = new LinkedHashMap<>();
        for (String c : candidates) {
            DataType type = cohort.schema().apply(c).dataType();
            if (type instanceof NumericType || type instanceof BooleanType) {
                kinds.put(c, Kind.NUMERIC);
            } else if (type instanceof StringType) {
                kinds.put(c, Kind.CATEGORICAL);
            } else {
                throw new IllegalArgumentException("covariate '" + c + "' has type " + type.simpleString()
                        + ": expected a number, a boolean or a string (category)");
            }
        }

        // pass 1: rows, missing values per covariate, exposure values
        Column exposure = col(SparkCoxSums.quoted(exposureColumn)).cast("double");
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(when(exposure.isNotNull().and(isnan(exposure).unary_$bang())
                .and(exposure.notEqual(0.0)).and(exposure.notEqual(1.0)), 1).otherwise(0)));
        for (String c : candidates) {
            aggs.add(sum(when(missing(cohort, c), 1).otherwise(0)));
        }
        Row first = cohort.agg(count(lit(1)), aggs.toArray(Column[]::new)).first();
        long total = first.getLong(0);
        long badExposure = first.isNullAt(1) ? 0 : first.getLong(1);
        if (badExposure > 0) {
            throw new IllegalArgumentException(badExposure + " row(s) with an exposure (" + exposureColumn
                    + ") other than 0 or 1");
        }
        List<String> leftOut = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            String c = candidates.get(i);
            long missing = first.isNullAt(2 + i) ? 0 : first.getLong(2 + i);
            if (total == 0) {
                leftOut.add(c + " (no rows)");
            } else if ((double) missing / total > maxMissingShare) {
                leftOut.add(String.format(Locale.ROOT, "%s (missing in %d of %d rows, %.1f%% > %s%%)", c, missing,
                        total, 100.0 * missing / total, percent(maxMissingShare)));
            } else {
                retained.add(c);
            }
        }

        // drop rows with a missing exposure or retained covariate; leave out constants among the rows kept (the
        // rows a left-out constant made missing come back, so repeat until nothing changes)
        Map<String, List<String>> levels = new LinkedHashMap<>();
        Map<String, String> references = new LinkedHashMap<>();
        Dataset<Row> complete;
        while (true) {
            Column keep = exposure.isNotNull().and(isnan(exposure).unary_$bang());
            for (String c : retained) {
                keep = keep.and(missing(cohort, c).unary_$bang());
            }
            complete = cohort.filter(keep);
            List<String> constant = new ArrayList<>();
            List<Column> ranges = new ArrayList<>();
            List<String> numeric = retained.stream().filter(c -> kinds.get(c) == Kind.NUMERIC).toList();
            for (String c : numeric) {
                Column v = col(SparkCoxSums.quoted(c)).cast("double");
                ranges.add(min(v));
                ranges.add(max(v));
            }
            if (!numeric.isEmpty()) {
                Row range = complete.agg(ranges.get(0), ranges.subList(1, ranges.size()).toArray(Column[]::new))
                        .first();
                for (int i = 0; i < numeric.size(); i++) {
                    if (range.isNullAt(2 * i) || range.getDouble(2 * i) == range.getDouble(2 * i + 1)) {
                        constant.add(numeric.get(i) + " (constant)");
                    }
                }
            }
            levels.clear();
            references.clear();
            for (String c : retained) {
                if (kinds.get(c) != Kind.CATEGORICAL) {
                    continue;
                }
                List<Row> counts = complete.groupBy(col(SparkCoxSums.quoted(c)).as("level")).count()
                        .limit(MAX_LEVELS + 1).collectAsList();
                if (counts.size() < 2) {
                    constant.add(c + " (constant)");
                } else if (counts.size() > MAX_LEVELS) {
                    constant.add(c + " (more than " + MAX_LEVELS + " levels)");
                } else {
                    List<String> sorted = counts.stream().map(r -> r.getString(0)).sorted().toList();
                    Row most = counts.stream().max(Comparator.comparingLong((Row r) -> r.getLong(1))
                            .thenComparing((Row r) -> r.getString(0), Comparator.reverseOrder())).orElseThrow();
                    levels.put(c, sorted);
                    references.put(c, most.getString(0));
                }
            }
            if (constant.isEmpty()) {
                break;
            }
            for (String reason : constant) {
                String name = reason.substring(0, reason.lastIndexOf(" ("));
                retained.remove(name);
                leftOut.add(reason);
            }
        }
        long kept = complete.count();

        // columns: keep columns, then the exposure and the covariates' terms
        Set<String> used = new HashSet<>();
        List<String> terms = new ArrayList<>();
        List<Column> termColumns = new ArrayList<>();
        String exposureTerm = unique(sanitise(exposureColumn), used);
        terms.add(exposureTerm);
        termColumns.add(exposure.as(exposureTerm));
        for (String c : retained) {
            if (kinds.get(c) == Kind.NUMERIC) {
                String term = unique(sanitise(c), used);
                terms.add(term);
                termColumns.add(col(SparkCoxSums.quoted(c)).cast("double").as(term));
            } else {
                for (String level : levels.get(c)) {
                    if (level.equals(references.get(c))) {
                        continue;
                    }
                    String term = unique(sanitise(c + "=" + level), used);
                    terms.add(term);
                    termColumns.add(when(col(SparkCoxSums.quoted(c)).equalTo(level), 1.0).otherwise(0.0).as(term));
                }
            }
        }
        List<Column> select = new ArrayList<>();
        for (String k : new LinkedHashSet<>(keepColumns)) {
            if (!used.contains(k)) {
                select.add(col(SparkCoxSums.quoted(k)));
            }
        }
        select.addAll(termColumns);
        Dataset<Row> rows = complete.select(select.toArray(Column[]::new));
        return new ModelDesign(rows, terms, retained, leftOut, total - kept);
    }

    /** The reference (left-out) level of each categorical covariate is the most frequent; see the class comment. */
    private static Column missing(Dataset<Row> cohort, String name) {
        DataType type = cohort.schema().apply(name).dataType();
        Column c = col(SparkCoxSums.quoted(name));
        if (type instanceof DoubleType || type instanceof FloatType) {
            return c.isNull().or(isnan(c));
        }
        if (type instanceof StringType) {
            return c.isNull().or(trim(c).equalTo(""));
        }
        return c.isNull();
    }

    private static String percent(double share) {
        double value = 100 * share;
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    static String sanitise(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char ch : name.toCharArray()) {
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || "_=<>+-".indexOf(ch) >= 0;
            out.append(ok ? ch : '_');
        }
        return out.toString();
    }

    private static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int i = 2; used.contains(candidate); i++) {
            candidate = name + "_" + i;
        }
        used.add(candidate);
        return candidate;
    }
}
