package org.iopoutcomes.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.stats.CoxCoefficient;
import org.iopoutcomes.stats.CoxFit;
import org.iopoutcomes.stats.CoxRegression;
import org.iopoutcomes.stats.CoxSubjects;
import org.iopoutcomes.stats.CoxTies;
import org.iopoutcomes.stats.Na;
import org.iopoutcomes.stats.Reference;
import org.junit.jupiter.api.Test;

/**
 * The Spark-aggregated Cox fit equals the driver-side CoxRegression on the same rows to 1e-8 relative (coefficients,
 * SEs, log-likelihoods, tests), with tied times, Efron and Breslow, with and without clustering, and equals R's
 * coxph on the reference data to 1e-6.
 */
class SparkCoxTest {
    static final double RELATIVE = 1e-8;
    private static final List<String> ROSSI_TERMS =
            List.of("fin", "age", "race_other", "wexp", "mar_notmarried", "paro", "prio");

    static void assertClose(String what, double expected, double actual) {
        double tolerance = Math.max(RELATIVE * Math.abs(expected), 1e-14);
        assertTrue(Math.abs(actual - expected) <= tolerance,
                what + ": driver " + expected + ", Spark " + actual + " (relative difference "
                        + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    /** Every number the two fits share, to 1e-8 relative; concordance is NA on the Spark side. */
    static void assertSameFit(CoxFit driver, CoxFit spark) {
        assertEquals(driver.n(), spark.n(), "n");
        assertEquals(driver.nevent(), spark.nevent(), "events");
        assertEquals(driver.robust(), spark.robust(), "robust");
        assertTrue(spark.converged(), "converged");
        assertEquals(driver.iterations(), spark.iterations(), "iterations");
        assertEquals(driver.coefficients().size(), spark.coefficients().size());
        for (int i = 0; i < driver.coefficients().size(); i++) {
            CoxCoefficient d = driver.coefficients().get(i);
            CoxCoefficient s = spark.coefficients().get(i);
            assertEquals(d.term(), s.term());
            assertClose(d.term() + " coef", d.coef(), s.coef());
            assertClose(d.term() + " hr", d.hr(), s.hr());
            assertClose(d.term() + " se", d.se(), s.se());
            assertClose(d.term() + " naive se", d.naiveSe(), s.naiveSe());
            assertClose(d.term() + " z", d.z(), s.z());
            assertClose(d.term() + " p", d.p(), s.p());
            assertClose(d.term() + " hr lower", d.hrCi().lower(), s.hrCi().lower());
            assertClose(d.term() + " hr upper", d.hrCi().upper(), s.hrCi().upper());
        }
        assertClose("loglik null", driver.loglikNull(), spark.loglikNull());
        assertClose("loglik", driver.loglik(), spark.loglik());
        assertClose("lrt", driver.lrt(), spark.lrt());
        assertClose("lrt p", driver.lrtP(), spark.lrtP());
        assertClose("wald", driver.wald(), spark.wald());
        assertClose("wald p", driver.waldP(), spark.waldP());
        assertClose("score", driver.score(), spark.score());
        assertClose("score p", driver.scoreP(), spark.scoreP());
        assertTrue(Na.isNa(spark.concordance()), "no concordance from aggregates");
    }

    private static CoxFit driverFit(ModelRows rows, String time, String event, List<String> terms, String cluster,
                                    CoxTies ties) {
        CoxSubjects subjects = new CoxSubjects(rows.column(time), rows.intColumn(event), rows.matrix(terms));
        return CoxRegression.fit(subjects, terms, ties, cluster == null ? null : rows.objectColumn(cluster));
    }

    private static void rossiAgainstR(CoxTies ties) {
        List<String> columns = new ArrayList<>(List.of("week", "arrest", "id"));
        columns.addAll(ROSSI_TERMS);
        ModelRows rossi = ModelRows.reference("rossi", columns);
        CoxFit spark = SparkCox.fit(rossi.dataset(), "week", "arrest", ROSSI_TERMS, null, ties);
        assertSameFit(driverFit(rossi, "week", "arrest", ROSSI_TERMS, null, ties), spark);
        String tiesName = ties.name().toLowerCase();
        Map<String, String> fitRow = Reference.rows("cox_fit.csv").stream()
                .filter(r -> r.get("dataset").equals("rossi") && r.get("model").equals("full")
                        && r.get("ties").equals(tiesName)).findFirst().orElseThrow();
        Reference.assertMatches(fitRow, "n", spark.n());
        Reference.assertMatches(fitRow, "nevent", spark.nevent());
        Reference.assertMatches(fitRow, "loglik_null", spark.loglikNull());
        Reference.assertMatches(fitRow, "loglik", spark.loglik());
        Reference.assertMatches(fitRow, "lrt", spark.lrt());
        Reference.assertMatches(fitRow, "wald", spark.wald());
        Reference.assertMatches(fitRow, "score", spark.score());
        Reference.assertMatches(fitRow, "score_p", spark.scoreP());
        int checked = 0;
        for (Map<String, String> row : Reference.rows("cox_coef.csv")) {
            if (row.get("dataset").equals("rossi") && row.get("model").equals("full")
                    && row.get("ties").equals(tiesName)) {
                CoxCoefficient c = spark.coefficients().stream().filter(x -> x.term().equals(row.get("term")))
                        .findFirst().orElseThrow();
                Reference.assertMatches(row, "coef", c.coef());
                Reference.assertMatches(row, "se", c.se());
                Reference.assertMatches(row, "p", c.p());
                Reference.assertMatches(row, "hr_lower95", c.hrCi().lower());
                Reference.assertMatches(row, "hr_upper95", c.hrCi().upper());
                checked++;
            }
        }
        assertEquals(7, checked, "R's coefficients checked");
    }

    @Test
    void rossiEfronEqualsDriverAndR() {
        rossiAgainstR(CoxTies.EFRON);
    }

    @Test
    void rossiBreslowEqualsDriverAndR() {
        rossiAgainstR(CoxTies.BRESLOW);
    }

    /** R's coxph(..., cluster = ceiling(id / 3)) numbers, as in stats.CoxRobustTest (R 4.2.2, survival 3.5-3). */
    @Test
    void rossiClusteredEqualsDriverAndR() {
        List<String> columns = new ArrayList<>(List.of("week", "arrest", "id"));
        columns.addAll(ROSSI_TERMS);
        ModelRows base = ModelRows.reference("rossi", columns);
        double[][] values = new double[base.n()][];
        int idColumn = base.columns.indexOf("id");
        for (int i = 0; i < base.n(); i++) {
            values[i] = java.util.Arrays.copyOf(base.values[i], columns.size() + 1);
            values[i][columns.size()] = Math.ceil(base.values[i][idColumn] / 3);
        }
        List<String> withCluster = new ArrayList<>(columns);
        withCluster.add("cl");
        ModelRows rossi = new ModelRows(withCluster, values);
        CoxFit efron = SparkCox.fit(rossi.dataset(), "week", "arrest", ROSSI_TERMS, "cl", CoxTies.EFRON);
        assertSameFit(driverFit(rossi, "week", "arrest", ROSSI_TERMS, "cl", CoxTies.EFRON), efron);
        String[] robustSe = {"0.19505502830123372", "0.026731285438307936", "0.28000221362396588",
                "0.2178886538654799", "0.37832050890874247", "0.20857863066201399", "0.029341447272617054"};
        for (int i = 0; i < robustSe.length; i++) {
            Reference.assertMatches(ROSSI_TERMS.get(i) + " robust se", robustSe[i], efron.coefficients().get(i).se());
        }
        Reference.assertMatches("robust wald", "27.754620400155247", efron.wald());
        CoxFit breslow = SparkCox.fit(rossi.dataset(), "week", "arrest", ROSSI_TERMS, "cl", CoxTies.BRESLOW);
        assertSameFit(driverFit(rossi, "week", "arrest", ROSSI_TERMS, "cl", CoxTies.BRESLOW), breslow);
        Reference.assertMatches("breslow robust wald", "27.899752462452867", breslow.wald());
    }

    @Test
    void tinyTiesClusteredEqualsDriverAndR() {
        ModelRows base = ModelRows.reference("tiny_ties", List.of("time", "event", "group", "id"));
        double[][] values = new double[base.n()][];
        for (int i = 0; i < base.n(); i++) {
            values[i] = new double[] {base.values[i][0], base.values[i][1], base.values[i][2],
                    Math.ceil(base.values[i][3] / 2)};
        }
        ModelRows tiny = new ModelRows(List.of("time", "event", "group", "cl"), values);
        List<String> terms = List.of("group");
        CoxFit efron = SparkCox.fit(tiny.dataset(), "time", "event", terms, "cl", CoxTies.EFRON);
        assertSameFit(driverFit(tiny, "time", "event", terms, "cl", CoxTies.EFRON), efron);
        Reference.assertMatches("efron robust se", "0.59425117563571916", efron.coefficients().get(0).se());
        CoxFit breslow = SparkCox.fit(tiny.dataset(), "time", "event", terms, "cl", CoxTies.BRESLOW);
        assertSameFit(driverFit(tiny, "time", "event", terms, "cl", CoxTies.BRESLOW), breslow);
        Reference.assertMatches("breslow robust se", "0.57130276590672946", breslow.coefficients().get(0).se());
        CoxFit naive = SparkCox.fit(tiny.dataset(), "time", "event", terms, null, CoxTies.EFRON);
        assertSameFit(driverFit(tiny, "time", "event", terms, null, CoxTies.EFRON), naive);
    }

    /**
     * Many rows over few distinct days (heavy ties), clusters of 1 to 4 rows, four covariates (one a dummy, one
     * continuous on a large scale).
     */
    static ModelRows tiedCohort(int n, long seed) {
        Random random = new Random(seed);
        double[][] values = new double[n][];
        long cluster = 0;
        int left = 0;
        for (int i = 0; i < n; i++) {
            if (left == 0) {
                cluster++;
                left = 1 + random.nextInt(4);
            }
            left--;
            double exposed = random.nextDouble() < 0.4 ? 1 : 0;
            double female = random.nextDouble() < 0.5 ? 1 : 0;
            double age = 18 + random.nextInt(50);
            double score = 1000 + 200 * random.nextGaussian();
            double hazard = 0.02 * Math.exp(-0.5 * exposed + 0.3 * female + 0.01 * (age - 40)
                    + 0.001 * (score - 1000));
            double eventDay = Math.ceil(-Math.log(random.nextDouble()) / hazard);
            double censorDay = 1 + random.nextInt(60);
            double time = Math.min(Math.min(eventDay, censorDay), 60);
            double event = eventDay <= censorDay && eventDay <= 60 ? 1 : 0;
            values[i] = new double[] {time, event, exposed, female, age, score, cluster};
        }
        return new ModelRows(List.of("time", "event", "exposed", "female", "age", "score", "pid"), values);
    }

    @Test
    void tiedCohortEqualsDriverWithAndWithoutClustersAndCollectsOnlyPerTimeRows() {
        ModelRows cohort = tiedCohort(4000, 20261128L);
        List<String> terms = List.of("exposed", "female", "age", "score");
        Dataset<Row> rows = cohort.dataset();
        long distinctTimes = java.util.Arrays.stream(cohort.column("time")).distinct().count();
        for (CoxTies ties : CoxTies.values()) {
            for (String cluster : new String[] {null, "pid"}) {
                try (SparkCoxSums sums = SparkCoxSums.prepare(rows, "time", "event", terms, cluster)) {
                    CoxFit spark = SparkCox.fit(sums, terms, ties);
                    assertSameFit(driverFit(cohort, "time", "event", terms, cluster, ties), spark);
                    // what reached the driver: one row per distinct time per Newton step, one row for the clusters
                    assertEquals(distinctTimes, sums.distinctTimes());
                    List<Long> collected = sums.collectedRows();
                    int perTimeCollections = cluster == null ? collected.size() : collected.size() - 1;
                    assertTrue(perTimeCollections >= spark.iterations(), "one collection per likelihood evaluation");
                    for (int i = 0; i < perTimeCollections; i++) {
                        assertEquals(distinctTimes, collected.get(i), "collection " + i + " is per distinct time");
                    }
                    if (cluster != null) {
                        assertEquals(1L, collected.get(collected.size() - 1), "the clustered meat is one row");
                    }
                    assertTrue(distinctTimes <= 60 && cohort.n() == 4000);
                }
            }
        }
    }

    @Test
    void badRowsAreRefusedWithCounts() {
        ModelRows tiny = ModelRows.reference("tiny_ties", List.of("time", "event", "group"));
        Dataset<Row> rows = tiny.dataset().withColumn("event",
                org.apache.spark.sql.functions.when(org.apache.spark.sql.functions.col("time").equalTo(2.0), 2.0)
                        .otherwise(org.apache.spark.sql.functions.col("event")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkCox.fit(rows, "time", "event", List.of("group"), null, CoxTies.EFRON));
        assertTrue(e.getMessage().contains("not 0/1"), e.getMessage());
        assertFalse(e.getMessage().contains(" 0 row"), e.getMessage());
    }
}
