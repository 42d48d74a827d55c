package org.iopoutcomes.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fits from counts per covariate pattern ({@link CoxPatterns}, {@link LogisticPatterns}) equal the fits on the rows
 * the counts stand for ({@link CoxSubjects}, {@link LogisticRegression#fit(double[], double[][], List)}) to 1e-8
 * relative; with Efron's ties a pattern's m tied events are m tied rows, not one event of weight m.
 */
class PatternSumsTest {
    private static final List<String> TERMS = List.of("a", "b", "c");

    private static void close(String what, double expected, double actual) {
        double tolerance = Math.max(1e-8 * Math.abs(expected), 1e-14);
        assertTrue(Math.abs(actual - expected) <= tolerance, what + ": rows " + expected + ", patterns " + actual);
    }

    /** Entries: time, covariates, events, censored; rows: the entries expanded. */
    @Test
    void coxFromPatternsEqualsCoxFromRowsWithTiedEventsInOnePattern() {
        Random random = new Random(11);
        List<double[]> times = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        List<Double> rowTime = new ArrayList<>();
        List<Integer> rowEvent = new ArrayList<>();
        List<double[]> rowX = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double t = 1 + random.nextInt(12);
            double[] x = {random.nextInt(2), random.nextInt(3), random.nextInt(2) * random.nextInt(3)};
            long events = i % 5 == 0 ? 3 : random.nextInt(2); // some patterns with 3 tied events at t
            long censored = random.nextInt(3);
            times.add(new double[] {t});
            xs.add(x);
            counts.add(new long[] {events, censored});
            for (int k = 0; k < events + censored; k++) {
                rowTime.add(t);
                rowEvent.add(k < events ? 1 : 0);
                rowX.add(x);
            }
        }
        CoxPatterns patterns = new CoxPatterns(times.stream().mapToDouble(t -> t[0]).toArray(),
                xs.toArray(double[][]::new), counts.stream().mapToLong(c -> c[0]).toArray(),
                counts.stream().mapToLong(c -> c[1]).toArray());
        CoxSubjects subjects = new CoxSubjects(rowTime.stream().mapToDouble(t -> t).toArray(),
                rowEvent.stream().mapToInt(e -> e).toArray(), rowX.toArray(double[][]::new));
        for (CoxTies ties : CoxTies.values()) {
            CoxFit rows = CoxRegression.fit(subjects, TERMS, ties, null);
            CoxFit fit = CoxRegression.fit(patterns, TERMS, ties);
            assertEquals(rows.n(), fit.n());
            assertEquals(rows.nevent(), fit.nevent());
            assertEquals(rows.iterations(), fit.iterations());
            for (int j = 0; j < TERMS.size(); j++) {
                close(ties + " coef", rows.coefficients().get(j).coef(), fit.coefficients().get(j).coef());
                close(ties + " se", rows.coefficients().get(j).se(), fit.coefficients().get(j).se());
                close(ties + " p", rows.coefficients().get(j).p(), fit.coefficients().get(j).p());
            }
            close(ties + " loglik", rows.loglik(), fit.loglik());
            close(ties + " score", rows.score(), fit.score());
            // each row's score residual is its entry's
            double[] beta = rows.beta();
            double[][] residuals = subjects.scoreResiduals(beta, ties);
            CoxScoreResiduals perTime = new CoxScoreResiduals(patterns.sums(beta), TERMS.size(), ties);
            int row = 0;
            for (int i = 0; i < times.size(); i++) {
                for (int k = 0; k < counts.get(i)[0] + counts.get(i)[1]; k++, row++) {
                    double[] u = patterns.scoreResidual(i, k < counts.get(i)[0] ? 1 : 0, beta, perTime);
                    for (int j = 0; j < TERMS.size(); j++) {
                        assertEquals(residuals[row][j], u[j], 1e-10, "residual of row " + row);
                    }
                }
            }
        }
    }

    @Test
    void logisticFromPatternsEqualsLogisticFromRows() {
        Random random = new Random(5);
        List<Double> ys = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        List<Double> rowY = new ArrayList<>();
        List<double[]> rowX = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double[] x = {random.nextInt(2), random.nextInt(3), random.nextInt(4)};
            double y = random.nextDouble() < 0.2 + 0.1 * x[1] ? 1 : 0;
            long count = 1 + random.nextInt(4);
            ys.add(y);
            xs.add(x);
            counts.add(count);
            for (int k = 0; k < count; k++) {
                rowY.add(y);
                rowX.add(x);
            }
        }
        LogisticFit rows = LogisticRegression.fit(rowY.stream().mapToDouble(y -> y).toArray(),
                rowX.toArray(double[][]::new), TERMS);
        LogisticFit fit = LogisticRegression.fit(new LogisticPatterns(ys.stream().mapToDouble(y -> y).toArray(),
                xs.toArray(double[][]::new), counts.stream().mapToLong(c -> c).toArray(), TERMS.size()), TERMS);
        assertEquals(rows.n(), fit.n());
        assertEquals(rows.iterations(), fit.iterations());
        for (int j = 0; j <= TERMS.size(); j++) {
            close("estimate", rows.coefficients().get(j).estimate(), fit.coefficients().get(j).estimate());
            close("se", rows.coefficients().get(j).se(), fit.coefficients().get(j).se());
            close("p", rows.coefficients().get(j).p(), fit.coefficients().get(j).p());
        }
        close("deviance", rows.deviance(), fit.deviance());
        close("null deviance", rows.nullDeviance(), fit.nullDeviance());
    }
}
