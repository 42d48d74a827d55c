package org.iopoutcomes.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.stats.CoxClusteredScores;
import org.iopoutcomes.stats.CoxRiskSetSums;
import org.iopoutcomes.stats.CoxScoreResiduals;
import org.iopoutcomes.stats.EventTimeSums;

/**
 * The Cox risk-set sums of a Spark Dataset: the design rows (time, event, covariates centred by their Spark-computed
 * means, cluster id) stay persisted on the executors; each {@link #sums(double[])} call computes w = exp(x'beta) per
 * row and aggregates per distinct time in Spark, and only those per-time aggregates (one row per distinct time,
 * however many rows) are collected; the reverse cumulative sums over time run on the driver. For clustered SEs the
 * score residuals are computed per row in Spark from the per-event-time quantities (broadcast), summed per cluster
 * in Spark, and the p x p sum of outer products is aggregated in Spark: one row reaches the driver.
 *
 * <p>Close it to unpersist the design rows.
 */
public final class SparkCoxSums implements CoxRiskSetSums, CoxClusteredScores, AutoCloseable {
    static final String TIME = "_t";
    static final String EVENT = "_e";
    static final String CLUSTER = "_cluster";

    private final Dataset<Row> design;
    private final int p;
    private final long n;
    private final boolean clustered;
    private final List<Long> collectedRows = new ArrayList<>();
    private double[] lastBeta;
    private List<EventTimeSums> lastSums;
    private List<EventTimeSums> zeroSums;
    private long distinctTimes = -1;

    private SparkCoxSums(Dataset<Row> design, int p, long n, boolean clustered) {
        this.design = design;
        this.p = p;
        this.n = n;
        this.clustered = clustered;
    }

    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    static String x(int j) {
        return "_x" + j;
    }

    /**
     * Checks the rows (a missing or non-finite time or covariate, an event other than 0/1 or a missing cluster id is
     * refused with the count: none is dropped in silence), centres the covariates by their means and persists the
     * design.
     */
    public static SparkCoxSums prepare(Dataset<Row> rows, String timeColumn, String eventColumn, List<String> terms,
                                       String clusterColumn) {
        List<String> columns = Arrays.asList(rows.columns());
        List<String> needed = new ArrayList<>(terms);
        needed.add(timeColumn);
        needed.add(eventColumn);
        if (clusterColumn != null) {
            needed.add(clusterColumn);
        }
        for (String c : needed) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("no column '" + c + "' in the model rows " + columns);
            }
        }
        int p = terms.size();
        if (p == 0) {
            throw new IllegalArgumentException("a Cox model needs at least one term");
        }
        List<Column> select = new ArrayList<>();
        select.add(col(quoted(timeColumn)).cast("double").as(TIME));
        select.add(col(quoted(eventColumn)).cast("double").as(EVENT));
        for (int j = 0; j < p; j++) {
            select.add(col(quoted(terms.get(j))).cast("double").as(x(j)));
        }
        if (clusterColumn != null) {
            select.add(col(quoted(clusterColumn)).as(CLUSTER));
        }
        Dataset<Row> typed = rows.select(select.toArray(Column[]::new));

        List<Column> checks = new ArrayList<>();
        checks.add(count(lit(1)));
        checks.add(sum(when(notFinite(col(TIME)), 1).otherwise(0)));
        checks.add(sum(when(col(EVENT).isNull().or(col(EVENT).notEqual(0.0).and(col(EVENT).notEqual(1.0))), 1)
                .otherwise(0)));
        checks.add(sum(clusterColumn == null ? lit(0) : when(col(CLUSTER).isNull(), 1).otherwise(0)));
        for (int j = 0; j < p; j++) {
            checks.add(sum(when(notFinite(col(x(j))), 1).otherwise(0)));
        }
        for (int j = 0; j < p; j++) {
            checks.add(sum(col(x(j))));
        }
        Row check = typed.agg(checks.get(0), checks.subList(1, checks.size()).toArray(Column[]::new)).first();
        long n = check.getLong(0);
        List<String> problems = new ArrayList<>();
        addProblem(problems, check, 1, "a missing or non-finite time (" + timeColumn + ")");
        addProblem(problems, check, 2, "an event (" + eventColumn + ") that is missing or not 0/1");
        addProblem(problems, check, 3, "a missing cluster id (" + clusterColumn + ")");
        for (int j = 0; j < p; j++) {
            addProblem(problems, check, 4 + j, "a missing or non-finite " + terms.get(j));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cox model rows refused: " + String.join("; ", problems));
        }
        if (n == 0) {
            throw new IllegalArgumentException("no rows: a Cox model needs at least one event");
        }
        List<Column> centred = new ArrayList<>();
        centred.add(col(TIME));
        centred.add(col(EVENT));
        for (int j = 0; j < p; j++) {
            double mean = check.getDouble(4 + p + j) / n;
            centred.add(col(x(j)).minus(lit(mean)).as(x(j)));
        }
        if (clusterColumn != null) {
            centred.add(col(CLUSTER));
        }
        Dataset<Row> design = typed.select(centred.toArray(Column[]::new)).persist();
        return new SparkCoxSums(design, p, n, clusterColumn != null);
    }

    private static Column notFinite(Column c) {
        return c.isNull().or(isnan(c)).or(c.equalTo(Double.POSITIVE_INFINITY)).or(c.equalTo(Double.NEGATIVE_INFINITY));
    }

    private static void addProblem(List<String> problems, Row check, int index, String what) {
        long bad = check.getLong(index);
        if (bad > 0) {
            problems.add(bad + " row(s) with " + what);
        }
    }

    @Override
    public int dimension() {
        return p;
    }

    @Override
    public long subjects() {
        return n;
    }

    /** True when the rows were prepared with a cluster column (robust SEs). */
    public boolean isClustered() {
        return clustered;
    }

    /** Rows collected by each Spark action of this object, in order (the per-time aggregates, the cluster sum). */
    public List<Long> collectedRows() {
        return Collections.unmodifiableList(collectedRows);
    }

    /** Distinct times among the rows (known after the first {@link #sums} call). */
    public long distinctTimes() {
        return distinctTimes;
    }

    private Column linearPredictor(double[] beta) {
        Column eta = lit(0.0);
        for (int j = 0; j < p; j++) {
            eta = eta.plus(col(x(j)).multiply(lit(beta[j])));
        }
        return eta;
    }

    @Override
    public synchronized List<EventTimeSums> sums(double[] beta) {
        if (beta.length != p) {
            throw new IllegalArgumentException(beta.length + " coefficients for " + p + " covariates");
        }
        if (lastBeta != null && Arrays.equals(lastBeta, beta)) {
            return lastSums;
        }
        boolean zero = Arrays.stream(beta).allMatch(b -> b == 0.0);
        if (zero && zeroSums != null) {
            return zeroSums;
        }
        List<EventTimeSums> result = compute(beta);
        lastBeta = beta.clone();
        lastSums = result;
        if (zero) {
            zeroSums = result;
        }
        return result;
    }

    private List<EventTimeSums> compute(double[] beta) {
        Dataset<Row> weighted = design.select(columns(col(TIME), col(EVENT), exp(linearPredictor(beta)).as("_w")));
        Column e = col(EVENT);
        Column w = col("_w");
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(e).as("d"));
        aggs.add(sum(e.multiply(w)).as("tw"));
        aggs.add(sum(w).as("rw"));
        for (int a = 0; a < p; a++) {
            aggs.add(sum(e.multiply(col(x(a)))));
            aggs.add(sum(e.multiply(w).multiply(col(x(a)))));
            aggs.add(sum(w.multiply(col(x(a)))));
        }
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                Column wxx = w.multiply(col(x(a))).multiply(col(x(b)));
                aggs.add(sum(e.multiply(wxx)));
                aggs.add(sum(wxx));
            }
        }
        List<Row> perTime = weighted.groupBy(col(TIME))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .collectAsList();
        collectedRows.add((long) perTime.size());
        distinctTimes = perTime.size();

        List<Row> descending = new ArrayList<>(perTime);
        descending.sort(Comparator.comparingDouble((Row r) -> r.getDouble(0)).reversed());
        List<EventTimeSums> result = new ArrayList<>();
        double riskW = 0.0;
        double[] riskWx = new double[p];
        double[][] riskWxx = new double[p][p];
        for (Row r : descending) {
            double t = r.getDouble(0);
            long d = Math.round(r.getDouble(1));
            double tiedW = r.getDouble(2);
            riskW += r.getDouble(3);
            double[] eventX = new double[p];
            double[] tiedWx = new double[p];
            int k = 4;
            for (int a = 0; a < p; a++) {
                eventX[a] = r.getDouble(k++);
                tiedWx[a] = r.getDouble(k++);
                riskWx[a] += r.getDouble(k++);
            }
            double[][] tiedWxx = new double[p][p];
            for (int a = 0; a < p; a++) {
                for (int b = 0; b <= a; b++) {
                    tiedWxx[a][b] = r.getDouble(k++);
                    tiedWxx[b][a] = tiedWxx[a][b];
                    riskWxx[a][b] += r.getDouble(k++);
                    riskWxx[b][a] = riskWxx[a][b];
                }
            }
            if (d > 0) {
                double[][] riskCopy = new double[p][];
                for (int a = 0; a < p; a++) {
                    riskCopy[a] = riskWxx[a].clone();
                }
                result.add(new EventTimeSums(t, d, eventX, tiedW, tiedWx, tiedWxx, riskW, riskWx.clone(), riskCopy));
            }
        }
        return result;
    }

    /** The given columns followed by the centred covariates. */
    private Column[] columns(Column... first) {
        Column[] all = Arrays.copyOf(first, first.length + p);
        for (int j = 0; j < p; j++) {
            all[first.length + j] = col(x(j));
        }
        return all;
    }

    @Override
    public double[][] clusterScoreOuterProducts(double[] beta, CoxScoreResiduals residuals) {
        if (!clustered) {
            throw new IllegalStateException("the rows were prepared without a cluster column");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(design.sparkSession().sparkContext());
        Broadcast<CoxScoreResiduals> perTime = jsc.broadcast(residuals);
        try {
            List<StructField> fields = new ArrayList<>();
            fields.add(design.schema().apply(CLUSTER));
            for (int a = 0; a < p; a++) {
                fields.add(DataTypes.createStructField("_r" + a, DataTypes.DoubleType, false));
            }
            StructType schema = DataTypes.createStructType(fields);
            Dataset<Row> perRow = design.select(columns(col(CLUSTER), col(TIME), col(EVENT)))
                    .map(new ScoreResidual(perTime, beta.clone()), Encoders.row(schema));
            List<Column> clusterSums = new ArrayList<>();
            for (int a = 0; a < p; a++) {
                clusterSums.add(sum(col("_r" + a)).as("_u" + a));
            }
            Dataset<Row> perCluster = perRow.groupBy(col(CLUSTER))
                    .agg(clusterSums.get(0), clusterSums.subList(1, clusterSums.size()).toArray(Column[]::new));
            List<Column> outer = new ArrayList<>();
            for (int a = 0; a < p; a++) {
                for (int b = 0; b <= a; b++) {
                    outer.add(sum(col("_u" + a).multiply(col("_u" + b))));
                }
            }
            List<Row> collected = perCluster.agg(outer.get(0), outer.subList(1, outer.size()).toArray(Column[]::new))
                    .collectAsList();
            collectedRows.add((long) collected.size());
            Row row = collected.get(0);
            double[][] meat = new double[p][p];
            int k = 0;
            for (int a = 0; a < p; a++) {
                for (int b = 0; b <= a; b++) {
                    meat[a][b] = row.getDouble(k++);
                    meat[b][a] = meat[a][b];
                }
            }
            return meat;
        } finally {
            perTime.destroy();
        }
    }

    /** Per row: cluster id and the row's score residual (columns: cluster, time, event, centred covariates). */
    private static final class ScoreResidual implements MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<CoxScoreResiduals> perTime;
        private final double[] beta;

        ScoreResidual(Broadcast<CoxScoreResiduals> perTime, double[] beta) {
            this.perTime = perTime;
            this.beta = beta;
        }

        @Override
        public Row call(Row row) {
            int p = beta.length;
            double[] x = new double[p];
            double eta = 0.0;
            for (int j = 0; j < p; j++) {
                x[j] = row.getDouble(3 + j);
                eta += beta[j] * x[j];
            }
            double[] r = perTime.value().residual(row.getDouble(1), (int) row.getDouble(2), eta, x);
            Object[] values = new Object[p + 1];
            values[0] = row.get(0);
            for (int a = 0; a < p; a++) {
                values[a + 1] = r[a];
            }
            return RowFactory.create(values);
        }
    }

    @Override
    public void close() {
        design.unpersist();
    }
}
