package org.iopoutcomes.models;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
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
                // no count or share of people: the text is published beside cohorts whose counts may be hidden
                leftOut.add(String.format(Locale.ROOT, "%s (missing in more than %s%% of rows)", c,
                        percent(maxMissingShare)));
            } else {
                retained.add(c);
            }
        }

        // drop rows with a missing exposure or retained covariate; leave out constants among the rows kept (the
        // rows a left-out constant made missing come back, so repeat until nothing changes)
        Map<String, List<String>> levels = new LinkedHashMap<>();
        Map<String, String> references = new LinkedHashMap<>();
        Dataset<Row> complete;
        long kept;
        while (true) {
            Column keep = exposure.isNotNull().and(isnan(exposure).unary_$bang());
            for (String c : retained) {
                keep = keep.and(missing(cohort, c).unary_$bang());
            }
            complete = cohort.filter(keep);
            // one pass: rows kept and the range of each numeric covariate
            List<String> numeric = retained.stream().filter(c -> kinds.get(c) == Kind.NUMERIC).toList();
            List<String> categorical = retained.stream().filter(c -> kinds.get(c) == Kind.CATEGORICAL).toList();
            List<Column> stats = new ArrayList<>();
            for (String c : numeric) {
                Column v = col(SparkCoxSums.quoted(c)).cast("double");
                stats.add(min(v));
                stats.add(max(v));
            }
            Row summary = complete.agg(count(lit(1)), stats.toArray(Column[]::new)).first();
            kept = summary.getLong(0);
            List<String> constant = new ArrayList<>();
            for (int i = 0; i < numeric.size(); i++) {
                if (summary.isNullAt(1 + 2 * i) || summary.getDouble(1 + 2 * i) == summary.getDouble(2 + 2 * i)) {
                    constant.add(numeric.get(i) + " (constant)");
                }
            }
            List<String> countable = categorical;
            // one pass: the level counts of every categorical covariate, at most MAX_LEVELS + 1 of each (an id
            // column named by mistake does not reach the driver)
            levels.clear();
            references.clear();
            Map<String, List<Row>> counts = new LinkedHashMap<>();
            countable.forEach(c -> counts.put(c, new ArrayList<>()));
            if (!countable.isEmpty()) {
                Column[] pairs = countable.stream().map(c -> struct(lit(c).as("name"),
                        col(SparkCoxSums.quoted(c)).as("level"))).toArray(Column[]::new);
                Dataset<Row> levelCounts = complete.select(explode(array(pairs)).as("kv"))
                        .groupBy(col("kv.name").as("name"), col("kv.level").as("level")).count();
                Column rank = row_number().over(Window.partitionBy(col("name")).orderBy(col("level")));
                for (Row r : levelCounts.withColumn("_rank", rank).filter(col("_rank").leq(MAX_LEVELS + 1))
                        .collectAsList()) {
                    counts.get(r.getString(0)).add(RowFactory.create(r.getString(1), r.getLong(2)));
                }
            }
            for (String c : countable) {
                List<Row> levelCounts = counts.get(c);
                if (levelCounts.size() < 2) {
                    constant.add(c + " (constant)");
                } else if (levelCounts.size() > MAX_LEVELS) {
                    constant.add(c + " (more than " + MAX_LEVELS + " levels)");
                } else {
                    List<String> sorted = levelCounts.stream().map(r -> r.getString(0)).sorted().toList();
                    Row most = levelCounts.stream().max(Comparator.comparingLong((Row r) -> r.getLong(1))
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

    /** Null, NaN (floating point) or blank (string). */
    static Column missing(Dataset<Row> cohort, String name) {
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

    static String percent(double share) {
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

    static String unique(String name, Set<String> used) {
        String candidate = name;
        for (int i = 2; used.contains(candidate); i++) {
            candidate = name + "_" + i;
        }
        used.add(candidate);
        return candidate;
    }
}
