package org.iopoutcomes.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.iopoutcomes.stats.LogisticCoefficient;
import org.iopoutcomes.stats.LogisticFit;
import org.iopoutcomes.stats.LogisticRegression;
import org.iopoutcomes.stats.Reference;
import org.junit.jupiter.api.Test;

/** SparkLogistic equals LogisticRegression.fit on the same rows to 1e-8, and R's glm on the reference to 1e-6. */
class SparkLogisticTest {
    private static void assertSameFit(LogisticFit driver, LogisticFit spark) {
        assertEquals(driver.n(), spark.n());
        assertEquals(driver.iterations(), spark.iterations(), "iterations");
        assertEquals(driver.converged(), spark.converged());
        assertEquals(driver.warning(), spark.warning());
        assertEquals(driver.dfNull(), spark.dfNull());
        assertEquals(driver.dfResidual(), spark.dfResidual());
        SparkCoxTest.assertClose("deviance", driver.deviance(), spark.deviance());
        SparkCoxTest.assertClose("null deviance", driver.nullDeviance(), spark.nullDeviance());
        SparkCoxTest.assertClose("aic", driver.aic(), spark.aic());
        SparkCoxTest.assertClose("loglik", driver.loglik(), spark.loglik());
        for (int i = 0; i < driver.coefficients().size(); i++) {
            LogisticCoefficient d = driver.coefficients().get(i);
            LogisticCoefficient s = spark.coefficients().get(i);
            assertEquals(d.term(), s.term());
            SparkCoxTest.assertClose(d.term() + " estimate", d.estimate(), s.estimate());
            SparkCoxTest.assertClose(d.term() + " se", d.se(), s.se());
            SparkCoxTest.assertClose(d.term() + " z", d.z(), s.z());
            SparkCoxTest.assertClose(d.term() + " p", d.p(), s.p());
            SparkCoxTest.assertClose(d.term() + " or", d.or(), s.or());
            SparkCoxTest.assertClose(d.term() + " or lower", d.orWaldCi().lower(), s.orWaldCi().lower());
            SparkCoxTest.assertClose(d.term() + " or upper", d.orWaldCi().upper(), s.orWaldCi().upper());
        }
    }

    private static void referenceModel(String dataset, String model) {
        Map<String, String> fitRow = Reference.rows("logistic_fit.csv").stream()
                .filter(r -> r.get("dataset").equals(dataset) && r.get("model").equals(model))
                .findFirst().orElseThrow();
        String[] sides = fitRow.get("formula").split("~");
        String outcome = sides[0].trim();
        List<String> terms = Arrays.stream(sides[1].split("\\+")).map(String::trim).toList();
        List<String> columns = new java.util.ArrayList<>(terms);
        columns.add(0, outcome);
        ModelRows rows = ModelRows.reference(dataset, columns);
        LogisticFit spark = SparkLogistic.fit(rows.dataset(), outcome, terms);
        assertSameFit(LogisticRegression.fit(rows.column(outcome), rows.matrix(terms), terms), spark);
        Reference.assertMatches(fitRow, "deviance", spark.deviance());
        Reference.assertMatches(fitRow, "null_deviance", spark.nullDeviance());
        Reference.assertMatches(fitRow, "aic", spark.aic());
        int checked = 0;
        for (Map<String, String> row : Reference.rows("logistic_coef.csv")) {
            if (row.get("dataset").equals(dataset) && row.get("model").equals(model)) {
                LogisticCoefficient c = spark.coefficients().stream().filter(x -> x.term().equals(row.get("term")))
                        .findFirst().orElseThrow();
                Reference.assertMatches(row, "estimate", c.estimate());
                Reference.assertMatches(row, "se", c.se());
                Reference.assertMatches(row, "p", c.p());
                checked++;
            }
        }
        assertEquals(terms.size() + 1, checked, "R's coefficients checked");
    }

    @Test
    void mtcarsEqualsDriverAndR() {
        referenceModel("mtcars", "am_hp_wt");
    }

    @Test
    void rossiEqualsDriverAndR() {
        referenceModel("rossi", "arrest_full");
    }

    @Test
    void largerCohortEqualsDriverAndCollectsOneRowPerPass() {
        Random random = new Random(7);
        int n = 5000;
        double[][] values = new double[n][];
        for (int i = 0; i < n; i++) {
            double exposed = random.nextDouble() < 0.3 ? 1 : 0;
            double female = random.nextDouble() < 0.5 ? 1 : 0;
            double rate = random.nextDouble();
            double hours = 5 + 10 * random.nextDouble();
            double eta = -1 - 0.7 * exposed + 0.2 * female - 1.1 * rate + 0.05 * hours;
            double y = random.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
            values[i] = new double[] {y, exposed, female, rate, hours};
        }
        List<String> terms = List.of("exposed", "female", "rate", "hours");
        ModelRows rows = new ModelRows(List.of("relapsed", "exposed", "female", "rate", "hours"), values);
        try (SparkLogisticSums sums = SparkLogisticSums.prepare(rows.dataset(), "relapsed", terms)) {
            LogisticFit spark = LogisticRegression.fit(sums, terms);
            assertSameFit(LogisticRegression.fit(rows.column("relapsed"), rows.matrix(terms), terms), spark);
            assertTrue(sums.collectedRows().size() >= spark.iterations());
            assertTrue(sums.collectedRows().stream().allMatch(c -> c == 1L), "one row per pass reaches the driver");
        }
    }

    @Test
    void separationWarnsAsOnTheDriver() {
        double[][] values = new double[8][];
        for (int i = 0; i < 8; i++) {
            values[i] = new double[] {i < 4 ? 0 : 1, i + 1};
        }
        ModelRows rows = new ModelRows(List.of("y", "dose"), values);
        LogisticFit spark = SparkLogistic.fit(rows.dataset(), "y", List.of("dose"));
        assertTrue(spark.warning().contains("fitted probabilities numerically 0 or 1"), spark.warning());
        assertSameFit(LogisticRegression.fit(rows.column("y"), rows.matrix(List.of("dose")), List.of("dose")), spark);
    }

    @Test
    void anOutcomeOtherThanZeroOrOneIsRefused() {
        ModelRows rows = new ModelRows(List.of("y", "x"), new double[][] {{0, 1}, {1, 2}, {2, 3}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkLogistic.fit(rows.dataset(), "y", List.of("x")));
        assertTrue(e.getMessage().contains("1 row(s) with an outcome (y) missing or not 0/1"), e.getMessage());
    }
}
