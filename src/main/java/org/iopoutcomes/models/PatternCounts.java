package org.iopoutcomes.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.iopoutcomes.stats.CoxFit;
import org.iopoutcomes.stats.CoxPatterns;
import org.iopoutcomes.stats.CoxRegression;
import org.iopoutcomes.stats.CoxScoreResiduals;
import org.iopoutcomes.stats.CoxTies;
import org.iopoutcomes.stats.LogisticFit;
import org.iopoutcomes.stats.LogisticPatterns;
import org.iopoutcomes.stats.LogisticRegression;
import scala.Tuple2;

/**
 * A cohort's rows counted once, in one Spark aggregation, per distinct (follow-up time, event, exposure, covariate
 * values), with the rows without a cluster id and the number of distinct cluster ids: all the adjusted Cox and
 * logistic models of the cohort, at every horizon, are then designed ({@link PatternDesign}, {@link ModelDesign}'s
 * rules) and fitted on the driver ({@link CoxPatterns}, {@link LogisticPatterns}) from those counts, whose number is
 * bounded by the distinct times times the covariates' value combinations, not by the rows. Equal to the row path
 * ({@link ModelDesign}, {@link SparkCox}, {@link SparkLogistic} at each horizon): the same designs, the same refusals
 * with the same messages, the same fits to the rounding of the summation order.
 *
 * <p>Times are counted clipped at one day past the last horizon: min(t, H) and "t <= H" read the same for every
 * horizon H. The robust (clustered) SEs need each cluster's sum of score residuals: one Spark pass over the rows after
 * every horizon's Cox fit has converged computes the p x p meat of all of them, from the residual of each counted
 * value combination (computed on the driver, broadcast).
 */
public final class PatternCounts {
    /** Above this many value combinations the cohort is not counted (a continuous covariate): the row path runs. */
    public static final int MAX_CELLS = 100_000;
    private static final String ID = "_id";
    private static final String T = "_t";
    private static final String E = "_e";
    private static final String X = "_x";
    private static final String INCOMPLETE = "_incomplete";

    private final Dataset<Row> keyed;
    private final String clusterColumn;
    private final List<String> covariates;
    private final List<Boolean> numeric;
    private final long[] time;
    private final boolean[] event;
    private final Double[] exposure;
    private final Object[][] values;
    private final long[] rows;
    private final long[] noCluster;
    private final List<List<Object>> keys;
    private final long totalRows;
    private final long clusters;

    private PatternCounts(Dataset<Row> keyed, String clusterColumn, List<String> covariates, List<Boolean> numeric,
                          List<Row> cells, long clusters) {
        this.keyed = keyed;
        this.clusterColumn = clusterColumn;
        this.covariates = List.copyOf(covariates);
        this.numeric = List.copyOf(numeric);
        int m = cells.size();
        int k = covariates.size();
        time = new long[m];
        event = new boolean[m];
        exposure = new Double[m];
        values = new Object[m][k];
        rows = new long[m];
        noCluster = new long[m];
        keys = new ArrayList<>(m);
        long total = 0;
        for (int r = 0; r < m; r++) {
            Row cell = cells.get(r);
            time[r] = ((Number) cell.getAs(T)).longValue();
            event[r] = cell.<Boolean>getAs(E);
            exposure[r] = cell.getAs(X);
            for (int i = 0; i < k; i++) {
                values[r][i] = cell.getAs(c(i));
            }
            rows[r] = cell.<Long>getAs("_n");
            noCluster[r] = ((Number) cell.getAs("_noid")).longValue();
            keys.add(key(cell, k, 0));
            total += rows[r];
        }
        this.totalRows = total;
        this.clusters = clusters;
    }

    private static String c(int i) {
        return "_c" + i;
    }

    /**
     * Counts the cohort in one Spark job, or returns null when it cannot be counted: more than {@link #MAX_CELLS}
     * value combinations, a missing time or event, or a column missing or of a type {@link ModelDesign} refuses (the
     * row path then says why).
     *
     * @param exposure01 the exposure as a 0/1 double column
     * @param covariates the covariates as {@link ModelDesign} takes them (each once, not the exposure)
     * @param horizons   the horizons the fits will stop follow-up at
     */
    public static PatternCounts collect(Dataset<Row> cohort, String timeColumn, String eventColumn, Column exposure01,
                                      String clusterColumn, List<String> covariates, List<Integer> horizons) {
        List<String> columns = Arrays.asList(cohort.columns());
        List<Boolean> numeric = new ArrayList<>();
        for (String name : covariates) {
            if (!columns.contains(name)) {
                return null;
            }
            DataType type = cohort.schema().apply(name).dataType();
            if (type instanceof NumericType || type instanceof BooleanType) {
                numeric.add(true);
            } else if (type instanceof StringType) {
                numeric.add(false);
            } else {
                return null;
            }
        }
        for (String name : List.of(timeColumn, eventColumn, clusterColumn)) {
            if (!columns.contains(name)) {
                return null;
            }
        }
        long after = horizons.stream().mapToLong(h -> h).max().orElseThrow() + 1;
        List<Column> select = new ArrayList<>();
        select.add(col(SparkCoxSums.quoted(clusterColumn)).as(ID));
        select.add(least(col(SparkCoxSums.quoted(timeColumn)).cast("long"), lit(after)).as(T));
        select.add(col(SparkCoxSums.quoted(eventColumn)).cast("boolean").as(E));
        select.add(exposure01.cast("double").as(X));
        for (int i = 0; i < covariates.size(); i++) {
            String name = covariates.get(i);
            Column value = col(SparkCoxSums.quoted(name));
            Column missing = ModelDesign.missing(cohort, name);
            select.add(numeric.get(i) ? when(missing, lit(null).cast("double")).otherwise(value.cast("double")).as(c(i))
                    : when(missing, lit(null).cast("string")).otherwise(value).as(c(i)));
        }
        select.add(col(SparkCoxSums.quoted(timeColumn)).isNull().or(col(SparkCoxSums.quoted(eventColumn)).isNull())
                .as(INCOMPLETE));
        Dataset<Row> keyed = cohort.select(select.toArray(Column[]::new));
        List<Column> groups = new ArrayList<>(List.of(col(T), col(E), col(X)));
        for (int i = 0; i < covariates.size(); i++) {
            groups.add(col(c(i)));
        }
        Dataset<Row> cells = keyed.groupBy(groups.toArray(Column[]::new))
                .agg(count(lit(1)).as("_n"), sum(when(col(ID).isNull(), 1L).otherwise(0L)).as("_noid"),
                        sum(when(col(INCOMPLETE), 1L).otherwise(0L)).as("_bad"))
                .withColumn("_kind", lit(0));
        Dataset<Row> people = keyed.agg(count_distinct(col(ID)).as("_people")).withColumn("_kind", lit(1));
        // one job: the cells and the number of distinct cluster ids (a bounded number of rows reach the driver)
        List<Row> collected = cells.unionByName(people, true).limit(MAX_CELLS + 2).collectAsList();
        List<Row> counted = new ArrayList<>();
        Long clusters = null;
        for (Row r : collected) {
            if (r.<Integer>getAs("_kind") == 1) {
                clusters = r.getAs("_people");
            } else {
                if (r.<Long>getAs("_bad") > 0) {
                    return null;
                }
                counted.add(r);
            }
        }
        if (clusters == null || counted.size() > MAX_CELLS) {
            return null;
        }
        return new PatternCounts(keyed, clusterColumn, covariates, numeric, counted, clusters);
    }

    /** Value combinations counted. */
    public int cells() {
        return rows.length;
    }

    /** A cell's key: time, event, exposure, covariate values from column {@code from} on, -0.0 read as 0.0. */
    private static List<Object> key(Row row, int k, int from) {
        List<Object> key = new ArrayList<>(k + 3);
        for (int i = 0; i < k + 3; i++) {
            Object v = row.get(from + i);
            key.add(v instanceof Double d && d == 0.0 ? Double.valueOf(0.0) : v);
        }
        return key;
    }

    /** A horizon's Cox data: the entries (the complete cells) and the cells they come from. */
    private record CoxData(CoxPatterns data, int[] entryOf) {}

    /**
     * Fits every horizon: per horizon an {@link AdjustedFits}, or the RuntimeException the row path throws there.
     *
     * @param exposureName the exposure term's column name (as {@link ModelDesign} names it)
     */
    public Map<Integer, Object> fit(int landmarkDays, List<Integer> horizons, String exposureName,
                                    double maxMissingShare, CoxTies ties) {
        Map<Integer, Object> out = new LinkedHashMap<>();
        boolean repeated = clusters < totalRows;
        PatternDesign cox;
        try {
            List<PatternDesign.Cell> all = new ArrayList<>();
            for (int r = 0; r < rows.length; r++) {
                all.add(new PatternDesign.Cell(exposure[r], values[r], rows[r]));
            }
            cox = PatternDesign.build(all, exposureName, covariates, numeric, maxMissingShare);
        } catch (RuntimeException e) {
            horizons.forEach(h -> out.put(h, e));
            return out;
        }
        List<String> terms = cox.terms();
        // Cox at each horizon; with clusters, first the coefficients and the per-time quantities of the residuals
        Map<Integer, CoxData> data = new LinkedHashMap<>();
        Map<Integer, double[]> betas = new LinkedHashMap<>();
        Map<Integer, CoxScoreResiduals> residuals = new LinkedHashMap<>();
        Map<Integer, CoxFit> coxFits = new LinkedHashMap<>();
        for (int h : horizons) {
            try {
                CoxData d = coxData(cox, landmarkDays, h, repeated);
                data.put(h, d);
                if (repeated) {
                    CoxRegression.fitAggregated(d.data(), terms, ties, (beta, perTime) -> {
                        betas.put(h, beta.clone());
                        residuals.put(h, perTime);
                        return new double[beta.length][beta.length];
                    });
                } else {
                    coxFits.put(h, CoxRegression.fitAggregated(d.data(), terms, ties, null));
                }
            } catch (RuntimeException e) {
                out.put(h, e);
            }
        }
        if (repeated && !betas.isEmpty()) {
            Map<Integer, double[][]> meats = meats(cox, data, betas, residuals, landmarkDays);
            for (int h : betas.keySet()) {
                double[] expected = betas.get(h);
                coxFits.put(h, CoxRegression.fitAggregated(data.get(h).data(), terms, ties, (beta, perTime) -> {
                    if (!Arrays.equals(beta, expected)) {
                        throw new IllegalStateException("the Cox fit at " + h + " days changed between two runs");
                    }
                    return meats.get(h);
                }));
            }
        }
        for (int h : horizons) {
            if (out.containsKey(h)) {
                continue;
            }
            try {
                out.put(h, logistic(cox, coxFits.get(h), landmarkDays, h, exposureName, maxMissingShare));
            } catch (RuntimeException e) {
                out.put(h, e);
            }
        }
        Map<Integer, Object> ordered = new LinkedHashMap<>();
        horizons.forEach(h -> ordered.put(h, out.get(h)));
        return ordered;
    }

    private boolean relapsedBy(int r, int horizon) {
        return event[r] && time[r] <= horizon;
    }

    /** The complete cells as Cox entries at H, checked as {@link SparkCoxSums#prepare} checks the rows. */
    private CoxData coxData(PatternDesign design, int landmarkDays, int horizon, boolean clustered) {
        List<String> terms = design.terms();
        int p = terms.size();
        int[] entryOf = new int[rows.length];
        Arrays.fill(entryOf, -1);
        List<Integer> entries = new ArrayList<>();
        long n = 0;
        long missingCluster = 0;
        long[] notFinite = new long[p];
        for (int r = 0; r < rows.length; r++) {
            double[] v = design.termValues()[r];
            if (v == null) {
                continue;
            }
            entryOf[r] = entries.size();
            entries.add(r);
            n += rows[r];
            missingCluster += noCluster[r];
            for (int j = 0; j < p; j++) {
                if (!Double.isFinite(v[j])) {
                    notFinite[j] += rows[r];
                }
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no rows: a Cox model needs at least one event");
        }
        List<String> problems = new ArrayList<>();
        if (clustered && missingCluster > 0) {
            problems.add(missingCluster + " row(s) with a missing cluster id (" + clusterColumn + ")");
        }
        for (int j = 0; j < p; j++) {
            if (notFinite[j] > 0) {
                problems.add(notFinite[j] + " row(s) with a missing or non-finite " + terms.get(j));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cox model rows refused: " + String.join("; ", problems));
        }
        int m = entries.size();
        double[] t = new double[m];
        double[][] x = new double[m][];
        long[] events = new long[m];
        long[] censored = new long[m];
        for (int i = 0; i < m; i++) {
            int r = entries.get(i);
            t[i] = (double) (Math.min(time[r], horizon) - landmarkDays);
            x[i] = design.termValues()[r];
            if (relapsedBy(r, horizon)) {
                events[i] = rows[r];
            } else {
                censored[i] = rows[r];
            }
        }
        return new CoxData(new CoxPatterns(t, x, events, censored), entryOf);
    }

    /** The logistic design and fit at H among the cells whose status at H is known, checked as the row path. */
    private AdjustedFits logistic(PatternDesign cox, CoxFit coxFit, int landmarkDays, int horizon, String exposureName,
                                  double maxMissingShare) {
        List<Integer> known = new ArrayList<>();
        List<PatternDesign.Cell> cells = new ArrayList<>();
        for (int r = 0; r < rows.length; r++) {
            if (relapsedBy(r, horizon) || time[r] >= horizon) {
                known.add(r);
                cells.add(new PatternDesign.Cell(exposure[r], values[r], rows[r]));
            }
        }
        PatternDesign design = PatternDesign.build(cells, exposureName, covariates, numeric, maxMissingShare);
        List<String> terms = design.terms();
        int k = terms.size();
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Long> count = new ArrayList<>();
        long n = 0;
        long events = 0;
        long[] notFinite = new long[k];
        for (int i = 0; i < known.size(); i++) {
            double[] v = design.termValues()[i];
            if (v == null) {
                continue;
            }
            int r = known.get(i);
            boolean outcome = relapsedBy(r, horizon);
            x.add(v);
            y.add(outcome ? 1.0 : 0.0);
            count.add(rows[r]);
            n += rows[r];
            events += outcome ? rows[r] : 0;
            for (int j = 0; j < k; j++) {
                if (!Double.isFinite(v[j])) {
                    notFinite[j] += rows[r];
                }
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no rows: a logistic model needs data");
        }
        List<String> problems = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            if (notFinite[j] > 0) {
                problems.add(notFinite[j] + " row(s) with a missing or non-finite " + terms.get(j));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("logistic model rows refused: " + String.join("; ", problems));
        }
        LogisticFit fit = LogisticRegression.fit(new LogisticPatterns(y.stream().mapToDouble(d -> d).toArray(),
                x.toArray(double[][]::new), count.stream().mapToLong(c -> c).toArray(), k), terms);
        return new AdjustedFits(coxFit, cox.terms(), fit, terms, events, cox.covariatesUsed(),
                cox.covariatesLeftOut(), cox.rowsLeftOutMissing());
    }

    /**
     * The clustered meat sum over clusters of u u' (u: the cluster's sum of score residuals) of every horizon's Cox
     * fit, in one Spark pass: each row's residuals are those of its cell, computed on the driver and broadcast.
     */
    private Map<Integer, double[][]> meats(PatternDesign design, Map<Integer, CoxData> data, Map<Integer, double[]> betas,
                                           Map<Integer, CoxScoreResiduals> residuals, int landmarkDays) {
        int p = design.terms().size();
        List<Integer> horizons = new ArrayList<>(betas.keySet());
        int blocks = horizons.size();
        HashMap<List<Object>, double[]> byKey = new HashMap<>();
        for (int r = 0; r < rows.length; r++) {
            double[] all = new double[0];
            if (design.termValues()[r] != null) {
                all = new double[blocks * p];
                for (int b = 0; b < blocks; b++) {
                    int h = horizons.get(b);
                    CoxData d = data.get(h);
                    double[] u = d.data().scoreResidual(d.entryOf()[r], relapsedBy(r, h) ? 1 : 0, betas.get(h),
                            residuals.get(h));
                    System.arraycopy(u, 0, all, b * p, p);
                }
            }
            if (byKey.put(keys.get(r), all) != null) {
                throw new IllegalStateException("two counted cells with one key " + keys.get(r));
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(keyed.sparkSession().sparkContext());
        Broadcast<HashMap<List<Object>, double[]>> perCell = jsc.broadcast(byKey);
        try {
            List<double[]> collected = keyed.javaRDD()
                    .flatMapToPair(new CellResiduals(perCell, covariates.size()))
                    .reduceByKey(new AddVectors())
                    .values()
                    .mapPartitionsToPair(new BlockOuterProducts(p, blocks))
                    .reduceByKey(new AddVectors(), 1)
                    .values()
                    .collect();
            Map<Integer, double[][]> meats = new LinkedHashMap<>();
            int width = p * (p + 1) / 2;
            for (int b = 0; b < blocks; b++) {
                double[][] meat = new double[p][p];
                if (!collected.isEmpty()) {
                    double[] packed = collected.get(0);
                    int k = b * width;
                    for (int a = 0; a < p; a++) {
                        for (int c = 0; c <= a; c++) {
                            meat[a][c] = packed[k++];
                            meat[c][a] = meat[a][c];
                        }
                    }
                }
                meats.put(horizons.get(b), meat);
            }
            return meats;
        } finally {
            perCell.destroy();
        }
    }

    /** Per row: (cluster id, its cell's residuals at every horizon); rows of cells left out give nothing. */
    private static final class CellResiduals implements PairFlatMapFunction<Row, Object, double[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<HashMap<List<Object>, double[]>> perCell;
        private final int k;

        CellResiduals(Broadcast<HashMap<List<Object>, double[]>> perCell, int k) {
            this.perCell = perCell;
            this.k = k;
        }

        @Override
        public Iterator<Tuple2<Object, double[]>> call(Row row) {
            List<Object> key = key(row, k, 1);
            double[] u = perCell.value().get(key);
            if (u == null) {
                throw new IllegalStateException("a row of no counted cell: " + key.size() + " values");
            }
            if (u.length == 0) {
                return java.util.Collections.emptyIterator();
            }
            return List.of(new Tuple2<>(row.get(0), u.clone())).iterator();
        }
    }

    /** Per partition of cluster sums: per block of p, the sums of u_a u_b (b <= a), under the key 0. */
    private static final class BlockOuterProducts implements PairFlatMapFunction<Iterator<double[]>, Integer, double[]>,
            Serializable {
        private static final long serialVersionUID = 1L;
        private final int p;
        private final int blocks;

        BlockOuterProducts(int p, int blocks) {
            this.p = p;
            this.blocks = blocks;
        }

        @Override
        public Iterator<Tuple2<Integer, double[]>> call(Iterator<double[]> clusters) {
            int width = p * (p + 1) / 2;
            double[] sum = new double[blocks * width];
            while (clusters.hasNext()) {
                double[] u = clusters.next();
                for (int b = 0; b < blocks; b++) {
                    int k = b * width;
                    int at = b * p;
                    for (int a = 0; a < p; a++) {
                        for (int c = 0; c <= a; c++) {
                            sum[k++] += u[at + a] * u[at + c];
                        }
                    }
                }
            }
            return List.of(new Tuple2<>(0, sum)).iterator();
        }
    }
}
