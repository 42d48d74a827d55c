package org.iopoutcomes.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.models.AdjustedFits;
import org.iopoutcomes.stats.CoxCoefficient;
import org.iopoutcomes.stats.LogisticCoefficient;
import org.junit.jupiter.api.Test;

/**
 * The counted path of the adjusted models (one aggregation, fits on the driver) equals the row path (ModelDesign,
 * SparkCox, SparkLogistic: one Spark pass per Newton or IRLS step) to 1e-8 relative: coefficients, model-based and
 * robust SEs, p-values, likelihoods, designs, on a cohort with tied times, several covariate patterns, participants
 * with several episodes (robust SEs), patterns with several tied relapses on one day, a covariate missing too often,
 * a constant one and rows left out for a missing value.
 */
class CountedAdjustedModelsTest {
    private static final double RELATIVE = 1e-8;
    private static final int LANDMARK = 14;
    private static final List<Integer> HORIZONS = List.of(90, 180, 365);

    private static final StructType SCHEMA = new StructType()
            .add("participant_id", DataTypes.StringType)
            .add("exposed", DataTypes.BooleanType)
            .add("time_days", DataTypes.IntegerType)
            .add("event", DataTypes.BooleanType)
            .add("age_band", DataTypes.StringType)
            .add("sex", DataTypes.StringType)
            .add("primary_substance", DataTypes.StringType)
            .add("prior_episodes", DataTypes.IntegerType)
            .add("moud", DataTypes.BooleanType)
            .add("program_id", DataTypes.StringType);

    /** 400 episodes of 260 participants, times on a coarse grid (many ties), a few blank or missing values. */
    static List<Row> cohort(long seed) {
        Random random = new Random(seed);
        String[] ages = {"18-25", "26-34", "35-44", "45+"};
        String[] sexes = {"female", "male"};
        String[] substances = {"alcohol", "opioids", "stimulants"};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String participant = "p" + (i < 280 ? i % 140 : i - 140); // the first 140 participants have 2 episodes
            boolean exposed = random.nextDouble() < 0.5;
            String age = ages[random.nextInt(ages.length)];
            String sex = random.nextDouble() < 0.03 ? (random.nextBoolean() ? null : " ") : sexes[random.nextInt(2)];
            String substance = substances[random.nextInt(substances.length)];
            Integer prior = random.nextDouble() < 0.02 ? null : random.nextInt(3);
            Boolean moud = random.nextDouble() < 0.3 ? null : random.nextBoolean(); // missing in 30%: left out
            double rate = 0.004 * (exposed ? 0.6 : 1.0) * (substance.equals("opioids") ? 1.5 : 1.0)
                    * (1 + 0.3 * (prior == null ? 0 : prior));
            int relapse = 15 + (int) (-Math.log(random.nextDouble()) / rate);
            int follow = 15 + random.nextInt(420);
            int time = Math.min(relapse, follow);
            time = 15 + ((time - 15) / 15) * 15; // a 15-day grid: many tied times
            rows.add(RowFactory.create(participant, exposed, time, relapse <= follow, age, sex, substance, prior, moud,
                    "prog1"));
        }
        // one pattern with three tied relapses on one day, from three participants, one with two episodes
        for (String p : List.of("p0", "q1", "q2")) {
            rows.add(RowFactory.create(p, true, 60, true, "26-34", "female", "opioids", 1, true, "prog1"));
        }
        return rows;
    }

    private static void close(String what, double expected, double actual) {
        if (Double.compare(expected, actual) == 0) {
            return;
        }
        double tolerance = Math.max(RELATIVE * Math.abs(expected), 1e-14);
        assertTrue(Math.abs(actual - expected) <= tolerance, what + ": rows " + expected + ", counted " + actual
                + " (relative difference " + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    static void assertSameFits(AdjustedFits rows, AdjustedFits counted, String at) {
        assertEquals(rows.coxTerms(), counted.coxTerms(), at);
        assertEquals(rows.logisticTerms(), counted.logisticTerms(), at);
        assertEquals(rows.covariatesUsed(), counted.covariatesUsed(), at);
        assertEquals(rows.covariatesLeftOut(), counted.covariatesLeftOut(), at);
        assertEquals(rows.rowsLeftOutMissing(), counted.rowsLeftOutMissing(), at);
        assertEquals(rows.logisticEvents(), counted.logisticEvents(), at);
        // Cox
        assertEquals(rows.cox().n(), counted.cox().n(), at + " cox n");
        assertEquals(rows.cox().nevent(), counted.cox().nevent(), at + " cox events");
        assertEquals(rows.cox().robust(), counted.cox().robust(), at + " robust");
        assertEquals(rows.cox().converged(), counted.cox().converged(), at);
        assertEquals(rows.cox().iterations(), counted.cox().iterations(), at + " cox iterations");
        for (int i = 0; i < rows.cox().coefficients().size(); i++) {
            CoxCoefficient r = rows.cox().coefficients().get(i);
            CoxCoefficient c = counted.cox().coefficients().get(i);
            String t = at + " cox " + r.term();
            assertEquals(r.term(), c.term());
            close(t + " coef", r.coef(), c.coef());
            close(t + " se", r.se(), c.se());
            close(t + " naive se", r.naiveSe(), c.naiveSe());
            close(t + " z", r.z(), c.z());
            close(t + " p", r.p(), c.p());
            close(t + " lower", r.hrCi().lower(), c.hrCi().lower());
            close(t + " upper", r.hrCi().upper(), c.hrCi().upper());
        }
        close(at + " loglik", rows.cox().loglik(), counted.cox().loglik());
        close(at + " loglik null", rows.cox().loglikNull(), counted.cox().loglikNull());
        close(at + " wald", rows.cox().wald(), counted.cox().wald());
        close(at + " wald p", rows.cox().waldP(), counted.cox().waldP());
        close(at + " lrt p", rows.cox().lrtP(), counted.cox().lrtP());
        close(at + " score p", rows.cox().scoreP(), counted.cox().scoreP());
        // logistic
        assertEquals(rows.logistic().n(), counted.logistic().n(), at + " logistic n");
        assertEquals(rows.logistic().iterations(), counted.logistic().iterations(), at + " logistic iterations");
        assertEquals(rows.logistic().warning(), counted.logistic().warning(), at);
        for (int i = 0; i < rows.logistic().coefficients().size(); i++) {
            LogisticCoefficient r = rows.logistic().coefficients().get(i);
            LogisticCoefficient c = counted.logistic().coefficients().get(i);
            String t = at + " logistic " + r.term();
            assertEquals(r.term(), c.term());
            close(t + " estimate", r.estimate(), c.estimate());
            close(t + " se", r.se(), c.se());
            close(t + " p", r.p(), c.p());
            close(t + " or lower", r.orWaldCi().lower(), c.orWaldCi().lower());
        }
        close(at + " deviance", rows.logistic().deviance(), counted.logistic().deviance());
        close(at + " null deviance", rows.logistic().nullDeviance(), counted.logistic().nullDeviance());
    }

    private static void same(String what, Double expected, Double actual) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, what);
        } else {
            close(what, expected, actual);
        }
    }

    private static SparkAdjustedModels models() {
        return new SparkAdjustedModels(ContinuitySettings.defaults());
    }

    @Test
    void countedFitsEqualTheRowPathWithRepeatedParticipantsAndTiedRelapses() {
        List<Row> data = cohort(15);
        // the data has what the test is about: tied relapses of one pattern on one day, repeated participants
        Map<String, Integer> perPattern = new HashMap<>();
        for (Row r : data) {
            if (r.getBoolean(3)) {
                perPattern.merge(r.toString().substring(r.toString().indexOf(',') + 1), 1, Integer::sum);
            }
        }
        assertTrue(perPattern.values().stream().anyMatch(m -> m >= 3), "a pattern with m >= 3 tied relapses");
        Dataset<Row> cohort = SparkTestSession.get().createDataFrame(data, SCHEMA);
        SparkAdjustedModels models = models();
        Map<Integer, Object> counted = models.countedFits(cohort, LANDMARK, HORIZONS);
        assertNotNull(counted, "the cohort is counted");
        for (int h : HORIZONS) {
            AdjustedFits rows = models.rowFits(cohort, LANDMARK, h);
            AdjustedFits fits = assertInstanceOf(AdjustedFits.class, counted.get(h), "fitted at " + h);
            assertTrue(rows.cox().robust(), "participants repeat: robust SEs");
            assertTrue(rows.covariatesLeftOut().stream().anyMatch(s -> s.startsWith("moud (missing")));
            assertTrue(rows.covariatesLeftOut().contains("program_id (constant)"));
            assertTrue(rows.rowsLeftOutMissing() > 0);
            assertSameFits(rows, fits, "H=" + h);
        }
    }

    @Test
    void withoutRepeatedParticipantsTheModelSesAreEqualToo() {
        List<Row> data = new ArrayList<>();
        int i = 0;
        for (Row r : cohort(7)) {
            Object[] v = new Object[r.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = r.get(j);
            }
            v[0] = "u" + i++;
            data.add(RowFactory.create(v));
        }
        Dataset<Row> cohort = SparkTestSession.get().createDataFrame(data, SCHEMA);
        SparkAdjustedModels models = models();
        Map<Integer, Object> counted = models.countedFits(cohort, LANDMARK, HORIZONS);
        for (int h : HORIZONS) {
            AdjustedFits rows = models.rowFits(cohort, LANDMARK, h);
            assertEquals(false, rows.cox().robust());
            assertSameFits(rows, assertInstanceOf(AdjustedFits.class, counted.get(h)), "H=" + h);
        }
    }

    @Test
    void theAdjustedFiguresOfBothPathsAgreeAndRefusalsGiveTheSameNote() {
        Dataset<Row> cohort = SparkTestSession.get().createDataFrame(cohort(15), SCHEMA);
        SparkAdjustedModels models = models();
        Map<Integer, ContinuityEffect.Adjusted> counted = models.fitHorizons(cohort, "completed", LANDMARK, HORIZONS);
        for (int h : HORIZONS) {
            ContinuityEffect.Adjusted rows = models.fit(cohort, "completed", LANDMARK, h);
            ContinuityEffect.Adjusted c = counted.get(h);
            assertNotNull(rows.hr(), "fitted at " + h + ": " + rows.note());
            same("hr", rows.hr(), c.hr());
            same("hr lower", rows.hrLower(), c.hrLower());
            same("hr p", rows.hrP(), c.hrP());
            same("or", rows.or(), c.or());
            same("or p", rows.orP(), c.orP());
            assertEquals(rows.hrN(), c.hrN());
            assertEquals(rows.orN(), c.orN());
            assertEquals(rows.orEvents(), c.orEvents());
            assertEquals(rows.robustSe(), c.robustSe());
            assertEquals(rows.covariatesLeftOut(), c.covariatesLeftOut());
            assertEquals(rows.rowsLeftOutMissing(), c.rowsLeftOutMissing());
            assertEquals(rows.covariatesUsed(), c.covariatesUsed());
            assertEquals(rows.note(), c.note());
        }
        // no relapse at all: both paths refuse with the same note
        Dataset<Row> none = SparkTestSession.get().createDataFrame(cohort(3).stream().map(r -> RowFactory.create(
                r.get(0), r.get(1), r.get(2), false, r.get(4), r.get(5), r.get(6), r.get(7), r.get(8), r.get(9)))
                .toList(), SCHEMA);
        Map<Integer, ContinuityEffect.Adjusted> refused = models.fitHorizons(none, "completed", LANDMARK, HORIZONS);
        for (int h : HORIZONS) {
            assertEquals(models.fit(none, "completed", LANDMARK, h).note(), refused.get(h).note());
            assertTrue(refused.get(h).note().startsWith("adjusted models not fitted"), refused.get(h).note());
        }
    }
}
