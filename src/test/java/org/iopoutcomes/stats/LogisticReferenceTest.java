package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * logistic_fit.csv and logistic_coef.csv against glm(binomial, epsilon = 1e-14). Profile-likelihood CIs and iteration
 * counts are outside the bar and not compared.
 */
class LogisticReferenceTest {
    private static final Map<String, LogisticFit> FITS = new HashMap<>();

    static LogisticFit fit(String dataset, String model) {
        return FITS.computeIfAbsent(dataset + "|" + model, key -> {
            String formula = Reference.rows("logistic_fit.csv").stream()
                    .filter(r -> r.get("dataset").equals(dataset) && r.get("model").equals(model))
                    .findFirst().orElseThrow().get("formula");
            String[] sides = formula.split("~");
            List<String> terms = Arrays.stream(sides[1].split("\\+")).map(String::trim).toList();
            double[] y = Reference.column(dataset + ".csv", sides[0].trim());
            double[][] x = new double[y.length][terms.size()];
            for (int j = 0; j < terms.size(); j++) {
                double[] column = Reference.column(dataset + ".csv", terms.get(j));
                for (int i = 0; i < y.length; i++) {
                    x[i][j] = column[i];
                }
            }
            return LogisticRegression.fit(y, x, terms);
        });
    }

    @TestFactory
    Stream<DynamicTest> fitRows() {
        List<Map<String, String>> rows = Reference.rows("logistic_fit.csv");
        assertEquals(5, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.get("dataset") + " " + row.get("model"), () -> {
            LogisticFit f = fit(row.get("dataset"), row.get("model"));
            assertTrue(f.converged());
            assertMatches(row, "n", f.n());
            assertMatches(row, "null_deviance", f.nullDeviance());
            assertMatches(row, "df_null", f.dfNull());
            assertMatches(row, "deviance", f.deviance());
            assertMatches(row, "df_residual", f.dfResidual());
            assertMatches(row, "aic", f.aic());
            assertMatches(row, "loglik", f.loglik());
            assertMatches(row, "converged", f.converged() ? 1 : 0);
            // outside the bar, but the iterations follow glm.fit step for step
            assertMatches(row, "iter", f.iterations());
        }));
    }

    @TestFactory
    Stream<DynamicTest> coefficientRows() {
        List<Map<String, String>> rows = Reference.rows("logistic_coef.csv");
        assertEquals(18, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(
                row.get("dataset") + " " + row.get("model") + " " + row.get("term"), () -> {
                    LogisticCoefficient c = fit(row.get("dataset"), row.get("model")).coefficients().stream()
                            .filter(x -> x.term().equals(row.get("term"))).findFirst().orElseThrow();
                    assertMatches(row, "estimate", c.estimate());
                    assertMatches(row, "se", c.se());
                    assertMatches(row, "z", c.z());
                    assertMatches(row, "p", c.p());
                    assertMatches(row, "or", c.or());
                    assertMatches(row, "or_wald_lower95", c.orWaldCi().lower());
                    assertMatches(row, "or_wald_upper95", c.orWaldCi().upper());
                }));
    }
}
