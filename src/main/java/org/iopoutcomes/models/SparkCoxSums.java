package org.iopoutcomes.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.iopoutcomes.stats.CoxClusteredScores;
import org.iopoutcomes.stats.CoxRiskSetSums;
import org.iopoutcomes.stats.CoxScoreResiduals;
import org.iopoutcomes.stats.EventTimeSums;
import scala.Tuple2;

/**
 * The Cox risk-set sums of a Spark Dataset. The design rows (time, event, covariates centred by their Spark-computed
 * means, cluster id) stay persisted on the executors; each {@link #sums(double[])} call computes w = exp(x'beta) per
 * row and sums per distinct time in Spark (per partition, then reduced by time), and only those per-time sums (one
 * vector per distinct time, however many rows) are collected; the reverse cumulative sums over time run on the
 * driver. For clustered SEs the score residuals are computed per row in Spark from the per-event-time quantities
 * (broadcast), summed per cluster in Spark, and the p x p sum of outer products is reduced in Spark to one vector,
 * the only thing that reaches the driver. Close it to unpersist the design rows.
 */
public final class SparkCoxSums implements CoxRiskSetSums, CoxClusteredScores, AutoCloseable {
    static final String TIME = "_t";
    static final String EVENT = "_e";
    static final String CLUSTER = "_cluster";

    private final JavaRDD<CoxRow> design;
    private final int p;
    private final long n;
    private final boolean clustered;
    private final List<Long> collectedRows = new ArrayList<>();
    private double[] lastBeta;
    private List<EventTimeSums> lastSums;
    private List<EventTimeSums> zeroSums;
    private long distinctTimes = -1;

    private SparkCoxSums(JavaRDD<CoxRow> design, int p, long n, boolean clustered) {
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
        Row check = typed.agg(count(lit(1)), checks.toArray(Column[]::new)).first();
        long n = check.getLong(0);
        if (n == 0) {
            throw new IllegalArgumentException("no rows: a Cox model needs at least one event");
        }
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
        double[] means = new double[p];
        for (int j = 0; j < p; j++) {
            means[j] = check.getDouble(4 + p + j) / n;
        }
        JavaRDD<CoxRow> design = typed.javaRDD().map(new ToCoxRow(means, clusterColumn != null))
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new SparkCoxSums(design, p, n, clusterColumn != null);
    }

    private static Column notFinite(Column c) {
        return c.isNull().or(isnan(c)).or(c.equalTo(Double.POSITIVE_INFINITY)).or(c.equalTo(Double.NEGATIVE_INFINITY));
    }

    private static void addProblem(List<String> problems, Row check, int index, String what) {
        long bad = check.isNullAt(index) ? 0 : check.getLong(index);
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

    /** Rows collected by each Spark action of this object, in order (per-time sums, then the cluster sum). */
    public List<Long> collectedRows() {
        return Collections.unmodifiableList(collectedRows);
    }

    /** Distinct times among the rows (known after the first {@link #sums} call). */
    public long distinctTimes() {
        return distinctTimes;
    }

    /** The same beta is not summed twice in a row (the Newton loop asks again for the final and the null beta). */
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
        List<Tuple2<Double, double[]>> perTime = design
                .mapPartitionsToPair(new PerTimePartials(beta.clone()))
                .reduceByKey(new AddVectors())
                .collect();
        collectedRows.add((long) perTime.size());
        distinctTimes = perTime.size();

        List<Tuple2<Double, double[]>> descending = new ArrayList<>(perTime);
        descending.sort(Comparator.comparingDouble((Tuple2<Double, double[]> r) -> r._1()).reversed());
        List<EventTimeSums> result = new ArrayList<>();
        double riskW = 0.0;
        double[] riskWx = new double[p];
        double[][] riskWxx = new double[p][p];
        for (Tuple2<Double, double[]> entry : descending) {
            double t = entry._1();
            double[] v = entry._2();
            long d = Math.round(v[0]);
            double tiedW = v[1];
            riskW += v[2];
            double[] eventX = new double[p];
            double[] tiedWx = new double[p];
            int k = 3;
            for (int a = 0; a < p; a++) {
                eventX[a] = v[k++];
                tiedWx[a] = v[k++];
                riskWx[a] += v[k++];
            }
            double[][] tiedWxx = new double[p][p];
            for (int a = 0; a < p; a++) {
                for (int b = 0; b <= a; b++) {
                    tiedWxx[a][b] = v[k++];
                    tiedWxx[b][a] = tiedWxx[a][b];
                    riskWxx[a][b] += v[k++];
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

    @Override
    public double[][] clusterScoreOuterProducts(double[] beta, CoxScoreResiduals residuals) {
        if (!clustered) {
            throw new IllegalStateException("the rows were prepared without a cluster column");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(design.context());
        Broadcast<CoxScoreResiduals> perTime = jsc.broadcast(residuals);
        try {
            List<double[]> collected = design
                    .mapToPair(new ScoreResidual(perTime, beta.clone()))
                    .reduceByKey(new AddVectors())
                    .values()
                    .mapPartitionsToPair(new OuterProducts(p))
                    .reduceByKey(new AddVectors(), 1)
                    .values()
                    .collect();
            collectedRows.add((long) collected.size());
            double[][] meat = new double[p][p];
            if (collected.isEmpty()) {
                return meat;
            }
            double[] packed = collected.get(0);
            int k = 0;
            for (int a = 0; a < p; a++) {
                for (int b = 0; b <= a; b++) {
                    meat[a][b] = packed[k++];
                    meat[b][a] = meat[a][b];
                }
            }
            return meat;
        } finally {
            perTime.destroy();
        }
    }

    /** One design row: time, 0/1 event, centred covariates, cluster id (null without clusters). */
    static final class CoxRow implements Serializable {
        private static final long serialVersionUID = 1L;
        final double time;
        final int event;
        final double[] x;
        final Object cluster;

        CoxRow(double time, int event, double[] x, Object cluster) {
            this.time = time;
            this.event = event;
            this.x = x;
            this.cluster = cluster;
        }
    }

    /** Row (time, event, covariates, [cluster]) to a design row with the covariates centred. */
    private static final class ToCoxRow implements Function<Row, CoxRow> {
        private static final long serialVersionUID = 1L;
        private final double[] means;
        private final boolean clustered;

        ToCoxRow(double[] means, boolean clustered) {
            this.means = means;
            this.clustered = clustered;
        }

        @Override
        public CoxRow call(Row row) {
            int p = means.length;
            double[] x = new double[p];
            for (int j = 0; j < p; j++) {
                x[j] = row.getDouble(2 + j) - means[j];
            }
            return new CoxRow(row.getDouble(0), (int) row.getDouble(1), x, clustered ? row.get(2 + p) : null);
        }
    }

    /**
     * Per partition, per distinct time: [events, sum of w over events, sum of w, then per covariate a (sum of x_a
     * over events, of w x_a over events, of w x_a), then per pair b <= a (sum of w x_a x_b over events, of w x_a
     * x_b)], with w = exp(x'beta).
     */
    private static final class PerTimePartials implements PairFlatMapFunction<Iterator<CoxRow>, Double, double[]> {
        private static final long serialVersionUID = 1L;
        private final double[] beta;

        PerTimePartials(double[] beta) {
            this.beta = beta;
        }

        @Override
        public Iterator<Tuple2<Double, double[]>> call(Iterator<CoxRow> rows) {
            int p = beta.length;
            int width = 3 + 3 * p + p * (p + 1);
            Map<Double, double[]> byTime = new HashMap<>();
            while (rows.hasNext()) {
                CoxRow row = rows.next();
                double[] v = byTime.computeIfAbsent(row.time, t -> new double[width]);
                double eta = 0.0;
                for (int j = 0; j < p; j++) {
                    eta += beta[j] * row.x[j];
                }
                double w = Math.exp(eta);
                boolean dead = row.event == 1;
                if (dead) {
                    v[0] += 1;
                    v[1] += w;
                }
                v[2] += w;
                int k = 3;
                for (int a = 0; a < p; a++) {
                    double wx = w * row.x[a];
                    if (dead) {
                        v[k] += row.x[a];
                        v[k + 1] += wx;
                    }
                    v[k + 2] += wx;
                    k += 3;
                }
                for (int a = 0; a < p; a++) {
                    double wx = w * row.x[a];
                    for (int b = 0; b <= a; b++) {
                        double wxx = wx * row.x[b];
                        if (dead) {
                            v[k] += wxx;
                        }
                        v[k + 1] += wxx;
                        k += 2;
                    }
                }
            }
            List<Tuple2<Double, double[]>> out = new ArrayList<>(byTime.size());
            byTime.forEach((t, v) -> out.add(new Tuple2<>(t, v)));
            return out.iterator();
        }
    }

    /** Per row: (cluster id, the row's score residual). */
    private static final class ScoreResidual implements PairFunction<CoxRow, Object, double[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<CoxScoreResiduals> perTime;
        private final double[] beta;

        ScoreResidual(Broadcast<CoxScoreResiduals> perTime, double[] beta) {
            this.perTime = perTime;
            this.beta = beta;
        }

        @Override
        public Tuple2<Object, double[]> call(CoxRow row) {
            double eta = 0.0;
            for (int j = 0; j < beta.length; j++) {
                eta += beta[j] * row.x[j];
            }
            return new Tuple2<>(row.cluster, perTime.value().residual(row.time, row.event, eta, row.x));
        }
    }

    /** Per partition of cluster sums u: one vector of the sums of u_a u_b (b <= a), under the key 0. */
    private static final class OuterProducts implements PairFlatMapFunction<Iterator<double[]>, Integer, double[]> {
        private static final long serialVersionUID = 1L;
        private final int p;

        OuterProducts(int p) {
            this.p = p;
        }

        @Override
        public Iterator<Tuple2<Integer, double[]>> call(Iterator<double[]> clusters) {
            double[] sum = new double[p * (p + 1) / 2];
            while (clusters.hasNext()) {
                double[] u = clusters.next();
                int k = 0;
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b <= a; b++) {
                        sum[k++] += u[a] * u[b];
                    }
                }
            }
            return List.of(new Tuple2<>(0, sum)).iterator();
        }
    }

    @Override
    public void close() {
        design.unpersist(false);
    }
}
