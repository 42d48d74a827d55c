package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** cox_fit.csv and cox_coef.csv (Efron and Breslow) against coxph with coxph.control(eps = 1e-12). */
class CoxReferenceTest {
    private static final Map<String, CoxFit> FITS = new HashMap<>();

    /** A model of the reference, from its formula "Surv(T; E) ~ a + b" (rows with a missing value dropped). */
    static CoxFit fit(String dataset, String model, String ties) {
        return FITS.computeIfAbsent(dataset + "|" + model + "|" + ties, key -> {
            String formula = Reference.rows("cox_fit.csv").stream()
                    .filter(r -> r.get("dataset").equals(dataset) && r.get("model").equals(model))
                    .findFirst().orElseThrow().get("formula");
            String[] sides = formula.split("~");
            String[] surv = sides[0].trim().replace("Surv(", "").replace(")", "").split(";");
            List<String> terms = Arrays.stream(sides[1].split("\\+")).map(String::trim).toList();
            return CoxRegression.fit(subjects(dataset, surv[0].trim(), surv[1].trim(), terms), terms,
                    CoxTies.parse(ties), null);
        });
    }

    static CoxSubjects subjects(String dataset, String timeCol, String eventCol, List<String> terms) {
        double[] time = Reference.column(dataset + ".csv", timeCol);
        double[] event = Reference.column(dataset + ".csv", eventCol);
        List<double[]> columns = terms.stream().map(t -> Reference.column(dataset + ".csv", t)).toList();
        List<Integer> complete = new ArrayList<>();
        for (int i = 0; i < time.length; i++) {
            final int row = i;
            if (!Double.isNaN(time[i]) && !Double.isNaN(event[i])
                    && columns.stream().noneMatch(c -> Double.isNaN(c[row]))) {
                complete.add(i);
            }
        }
        double[] t = new double[complete.size()];
        int[] e = new int[complete.size()];
        double[][] x = new double[complete.size()][terms.size()];
        for (int k = 0; k < complete.size(); k++) {
            int i = complete.get(k);
            t[k] = time[i];
            e[k] = (int) event[i];
            for (int j = 0; j < terms.size(); j++) {
                x[k][j] = columns.get(j)[i];
            }
        }
        return new CoxSubjects(t, e, x);
    }

    @TestFactory
    Stream<DynamicTest> fitRows() {
        List<Map<String, String>> rows = Reference.rows("cox_fit.csv");
        assertEquals(10, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(
                row.get("dataset") + " " + row.get("model") + " " + row.get("ties"), () -> {
                    CoxFit f = fit(row.get("dataset"), row.get("model"), row.get("ties"));
                    assertTrue(f.converged());
                    assertMatches(row, "n", f.n());
                    assertMatches(row, "nevent", f.nevent());
                    assertMatches(row, "loglik_null", f.loglikNull());
                    assertMatches(row, "loglik", f.loglik());
                    assertMatches(row, "lrt", f.lrt());
                    assertMatches(row, "lrt_df", f.df());
                    assertMatches(row, "lrt_p", f.lrtP());
                    assertMatches(row, "wald", f.wald());
                    assertMatches(row, "wald_df", f.df());
                    assertMatches(row, "wald_p", f.waldP());
                    assertMatches(row, "score", f.score());
                    assertMatches(row, "score_df", f.df());
                    assertMatches(row, "score_p", f.scoreP());
                    assertMatches(row, "concordance", f.concordance());
                    assertMatches(row, "concordance_se", f.concordanceSe());
                    // outside the bar, but the iterations follow coxfit6 step for step
                    assertMatches(row, "iter", f.iterations());
                }));
    }

    @TestFactory
    Stream<DynamicTest> coefficientRows() {
        List<Map<String, String>> rows = Reference.rows("cox_coef.csv");
        assertEquals(36, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(
                row.get("dataset") + " " + row.get("model") + " " + row.get("ties") + " " + row.get("term"), () -> {
                    CoxCoefficient c = fit(row.get("dataset"), row.get("model"), row.get("ties")).coefficients()
                            .stream().filter(x -> x.term().equals(row.get("term"))).findFirst().orElseThrow();
                    assertMatches(row, "coef", c.coef());
                    assertMatches(row, "hr", c.hr());
                    assertMatches(row, "se", c.se());
                    assertMatches(row, "z", c.z());
                    assertMatches(row, "p", c.p());
                    assertMatches(row, "hr_lower95", c.hrCi().lower());
                    assertMatches(row, "hr_upper95", c.hrCi().upper());
                }));
    }
}
