package org.iopoutcomes.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.stats.LogisticRegression;
import org.iopoutcomes.stats.LogisticSums;

/**
 * The IRLS sums of {@link LogisticSums} over a Spark Dataset: the design rows (outcome and covariates) stay persisted
 * on the executors, and each pass computes per row mu, the working weight and response, and sums the deviance,
 * X'WX, X'Wz and X'W(z - eta) in Spark: one row of (p + 1)(p + 2)/2 + 2p + 2 numbers reaches the driver per pass.
 * The per-row formulas are those of {@link LogisticRegression}'s driver-side rows. Close it to unpersist.
 */
public final class SparkLogisticSums implements LogisticSums, AutoCloseable {
    static final String OUTCOME = "_y";

    private final Dataset<Row> design;
    private final int covariates;
    private final long n;
    private final long events;
    private final List<Long> collectedRows = new ArrayList<>();

    private SparkLogisticSums(Dataset<Row> design, int covariates, long n, long events) {
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
        List<String> problems = new ArrayList<>();
        if (!check.isNullAt(1) && check.getLong(1) > 0) {
            problems.add(check.getLong(1) + " row(s) with an outcome (" + outcomeColumn + ") missing or not 0/1");
        }
        for (int j = 0; j < k; j++) {
            if (!check.isNullAt(3 + j) && check.getLong(3 + j) > 0) {
                problems.add(check.getLong(3 + j) + " row(s) with a missing or non-finite " + terms.get(j));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("logistic model rows refused: " + String.join("; ", problems));
        }
        if (n == 0) {
            throw new IllegalArgumentException("no rows: a logistic model needs data");
        }
        long events = check.isNullAt(2) ? 0 : check.getLong(2);
        return new SparkLogisticSums(typed.persist(), k, n, events);
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

    /** Rows collected by each pass, in order (always 1). */
    public List<Long> collectedRows() {
        return Collections.unmodifiableList(collectedRows);
    }

    /** x_j of the design, the intercept as x_0. */
    private Column x(int j) {
        return j == 0 ? lit(1.0) : col(SparkCoxSums.x(j));
    }

    @Override
    public LogisticPass pass(double[] beta) {
        int p = dimension();
        double eps = LogisticRegression.machineEpsilon();
        Column y = col(OUTCOME);
        Column eta;
        Column mu;
        if (beta == null) {
            mu = y.plus(0.5).divide(2.0);
            eta = log(mu.divide(lit(1.0).minus(mu)));
        } else {
            eta = lit(0.0);
            for (int j = 0; j < p; j++) {
                eta = eta.plus(lit(beta[j]).multiply(x(j)));
            }
            Column e = exp(col("_eta"));
            mu = when(col("_eta").lt(-30.0), eps).when(col("_eta").gt(30.0), 1 - eps)
                    .otherwise(e.divide(lit(1.0).plus(e)));
        }
        List<Column> stage1 = new ArrayList<>();
        stage1.add(y);
        stage1.add(eta.as("_eta"));
        for (int j = 1; j < p; j++) {
            stage1.add(col(SparkCoxSums.x(j)));
        }
        Dataset<Row> withEta = design.select(stage1.toArray(Column[]::new));
        Dataset<Row> withMu = withEta.select(concat(withEta, beta == null
                ? mu.as("_mu") // the start: mu from y alone
                : mu.as("_mu")));
        Column m = col("_mu");
        Column variance = m.multiply(lit(1.0).minus(m));
        Column muEta = greatest(variance, lit(eps));
        Column w = muEta.multiply(muEta).divide(variance);
        Column r = y.minus(m).divide(muEta);
        Column z = col("_eta").plus(r);
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(when(y.equalTo(1.0), lit(-2.0).multiply(log(m)))
                .otherwise(lit(-2.0).multiply(log(lit(1.0).minus(m))))));
        aggs.add(sum(when(m.gt(1 - 10 * eps).or(m.lt(10 * eps)), 1).otherwise(0)));
        for (int a = 0; a < p; a++) {
            Column wx = w.multiply(x(a));
            aggs.add(sum(wx.multiply(z)));
            aggs.add(sum(wx.multiply(r)));
            for (int b = 0; b <= a; b++) {
                aggs.add(sum(wx.multiply(x(b))));
            }
        }
        List<Row> collected = withMu.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .collectAsList();
        collectedRows.add((long) collected.size());
        Row row = collected.get(0);
        double deviance = row.getDouble(0);
        long boundary = row.getLong(1);
        double[] xtwz = new double[p];
        double[] xtwr = new double[p];
        double[][] xtwx = new double[p][p];
        int k = 2;
        for (int a = 0; a < p; a++) {
            xtwz[a] = row.getDouble(k++);
            xtwr[a] = row.getDouble(k++);
            for (int b = 0; b <= a; b++) {
                xtwx[a][b] = row.getDouble(k++);
                xtwx[b][a] = xtwx[a][b];
            }
        }
        return new LogisticPass(deviance, xtwx, xtwz, xtwr, boundary);
    }

    private static Column[] concat(Dataset<Row> base, Column extra) {
        String[] names = base.columns();
        Column[] all = new Column[names.length + 1];
        for (int i = 0; i < names.length; i++) {
            all[i] = col(names[i]);
        }
        all[names.length] = extra;
        return all;
    }

    @Override
    public void close() {
        design.unpersist();
    }
}
