package org.iopoutcomes.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.iopoutcomes.stats.LogisticRegression;
import org.iopoutcomes.stats.LogisticSums;
import scala.Tuple2;

/**
 * The IRLS sums of {@link LogisticSums} over a Spark Dataset: the design rows (outcome, then intercept and
 * covariates) stay persisted on the executors; each pass adds every row into a packed vector with the driver's own
 * per-row code ({@link LogisticRegression#accumulate}), per partition, and the partition vectors are reduced in Spark
 * to one: the deviance, X'WX, X'Wz and X'W(z - eta), (p + 1)(p + 2)/2 + 2p + 2 numbers, reach the driver. Close it
 * to unpersist.
 */
public final class SparkLogisticSums implements LogisticSums, AutoCloseable {
    static final String OUTCOME = "_y";

    /** Outcome first, then the intercept 1 and the covariates. */
    private final JavaRDD<double[]> design;
    private final int covariates;
    private final long n;
    private final long events;
    private final List<Long> collectedRows = new ArrayList<>();

    private SparkLogisticSums(JavaRDD<double[]> design, int covariates, long n, long events) {
        this.design = design;
        this.covariates = covariates;
        this.n = n;
        this.events = events;
    }

    /** Checks the rows (a missing or non-0/1 outcome or a missing or non-finite covariate is refused) and persists. */
    public static SparkLogisticSums prepare(Dataset<Row> rows, String outcomeColumn, List<String> terms) {
        List<String> columns = Arrays.asList(rows.columns());
        List<String> needed = new ArrayList<>(terms);
        needed.add(outcomeColumn);
        for (String c : needed) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("no column '" + c + "' in the model rows " + columns);
            }
        }
        int k = terms.size();
        List<Column> select = new ArrayList<>();
        select.add(col(SparkCoxSums.quoted(outcomeColumn)).cast("double").as(OUTCOME));
        for (int j = 0; j < k; j++) {
            select.add(col(SparkCoxSums.quoted(terms.get(j))).cast("double").as(SparkCoxSums.x(j + 1)));
        }
        Dataset<Row> typed = rows.select(select.toArray(Column[]::new));
        Column y = col(OUTCOME);
        List<Column> checks = new ArrayList<>();
        checks.add(sum(when(y.isNull().or(y.notEqual(0.0).and(y.notEqual(1.0))), 1).otherwise(0)));
        checks.add(sum(when(y.equalTo(1.0), 1).otherwise(0)));
        for (int j = 0; j < k; j++) {
            Column x = col(SparkCoxSums.x(j + 1));
            checks.add(sum(when(x.isNull().or(isnan(x)).or(x.equalTo(Double.POSITIVE_INFINITY))
                    .or(x.equalTo(Double.NEGATIVE_INFINITY)), 1).otherwise(0)));
        }
        Row check = typed.agg(count(lit(1)), checks.toArray(Column[]::new)).first();
        long n = check.getLong(0);
        if (n == 0) {
            throw new IllegalArgumentException("no rows: a logistic model needs data");
        }
        List<String> problems = new ArrayList<>();
        if (check.getLong(1) > 0) {
            problems.add(check.getLong(1) + " row(s) with an outcome (" + outcomeColumn + ") missing or not 0/1");
        }
        for (int j = 0; j < k; j++) {
            if (check.getLong(3 + j) > 0) {
                problems.add(check.getLong(3 + j) + " row(s) with a missing or non-finite " + terms.get(j));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("logistic model rows refused: " + String.join("; ", problems));
        }
        JavaRDD<double[]> design = typed.javaRDD().map(new ToArray(k)).persist(StorageLevel.MEMORY_AND_DISK());
        return new SparkLogisticSums(design, k, n, check.getLong(2));
    }

    @Override
    public int dimension() {
        return covariates + 1;
    }

    @Override
    public long observations() {
        return n;
    }

    @Override
    public long events() {
        return events;
    }

    /** Rows collected by each pass, in order (one each). */
    public List<Long> collectedRows() {
        return Collections.unmodifiableList(collectedRows);
    }

    @Override
    public LogisticPass pass(double[] beta) {
        int p = dimension();
        List<double[]> collected = design
                .mapPartitionsToPair(new Partials(beta == null ? null : beta.clone(), p))
                .reduceByKey(new AddVectors(), 1)
                .values()
                .collect();
        collectedRows.add((long) collected.size());
        return LogisticRegression.unpack(collected.get(0), p);
    }

    /** Row (outcome, covariates) to [outcome, 1, covariates]. */
    private static final class ToArray implements Function<Row, double[]> {
        private static final long serialVersionUID = 1L;
        private final int k;

        ToArray(int k) {
            this.k = k;
        }

        @Override
        public double[] call(Row row) {
            double[] v = new double[k + 2];
            v[0] = row.getDouble(0);
            v[1] = 1.0;
            for (int j = 0; j < k; j++) {
                v[j + 2] = row.getDouble(j + 1);
            }
            return v;
        }
    }

    /** One packed pass per partition, under the key 0 (an empty partition gives zeros). */
    private static final class Partials implements PairFlatMapFunction<Iterator<double[]>, Integer, double[]> {
        private static final long serialVersionUID = 1L;
        private final double[] beta;
        private final int p;

        Partials(double[] beta, int p) {
            this.beta = beta;
            this.p = p;
        }

        @Override
        public Iterator<Tuple2<Integer, double[]>> call(Iterator<double[]> rows) {
            double[] packed = new double[LogisticRegression.packedLength(p)];
            while (rows.hasNext()) {
                double[] v = rows.next();
                LogisticRegression.accumulate(v[0], Arrays.copyOfRange(v, 1, p + 1), beta, packed);
            }
            return List.of(new Tuple2<>(0, packed)).iterator();
        }
    }

    @Override
    public void close() {
        design.unpersist(false);
    }
}
