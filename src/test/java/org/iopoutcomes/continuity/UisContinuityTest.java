package org.iopoutcomes.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.pipeline.ContinuityStage;
import org.iopoutcomes.pipeline.OutcomesJob;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.relapse.PostTreatmentRelapse;
import org.iopoutcomes.retention.RetentionSettings;
import org.iopoutcomes.retention.RetentionTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, acceptance 2: the UIS drug-treatment study (575 complete rows; src/test/resources/real/uis.csv) mapped into
 * the input schema, compared by the exposure {@code completed} on the discharge clock with the 14-day landmark;
 * the adjusted Cox HR equals R's coxph on the same rows.
 *
 * <p>The mapping, one residential episode per row: admission 2000-01-03, discharge = admission + LEN.T, reason
 * {@code completed} when FRAC >= 1 else {@code dropped_out}, program = SITE ({@code site-0}, {@code site-1}), age band
 * from AGE, prior_episodes = NDT, substance and sex {@code unknown}, moud empty; one attended session on the
 * admission day. CENSOR = 1: a {@code use} event on admission + TIME; CENSOR = 0: a follow-up reached and abstinent
 * on admission + TIME (the known status at censoring). A relapse on or before the discharge day (TIME <= LEN.T, 71
 * rows) is an in-treatment relapse: the discharge clock has no status after discharge for them, so they are censored
 * at day 0 and counted in excluded_censored_before_landmark; 122 relapsed on days 1-14 after discharge; 382 remain.
 *
 * <p>R 4.2, survival 3.5-3 (the age band cut as the pipeline's, empty levels dropped):
 * <pre>
 * library(survival)
 * u <- read.csv("src/test/resources/real/uis.csv")
 * u$completed <- as.integer(u$FRAC >= 1); u$t <- u$TIME - u$LEN.T
 * u$age_band <- droplevels(cut(u$AGE, c(11, 17, 24, 34, 44, 54, 64, 200),
 *     labels = c("12-17","18-24","25-34","35-44","45-54","55-64","65+")))
 * lm <- subset(u, (CENSOR == 1 &amp; t > 14) | (CENSOR == 0 &amp; t >= 14))
 * for (H in c(90, 180, 365)) {
 *   lm$time <- pmin(lm$t, H) - 14; lm$event <- as.integer(lm$CENSOR == 1 &amp; lm$t <= H)
 *   f <- coxph(Surv(time, event) ~ completed + age_band + NDT + factor(SITE), data = lm, ties = "efron")
 *   print(c(f$n, f$nevent)); print(summary(f)$conf.int["completed", ], digits = 15)
 *   print(summary(f)$coefficients["completed", ], digits = 15)
 * }
 * </pre>
 */
class UisContinuityTest {
    /** horizon, n, events, HR, lower, upper, p (R). */
    private static final double[][] R = {
            {90, 382, 152, 0.760037112924906, 0.525635990889849, 1.098966629064558, 0.144735187414050},
            {180, 382, 207, 0.733059582066812, 0.533219562535354, 1.007795641076729, 0.0558573751870316},
            {365, 382, 259, 0.784421719535710, 0.591417064692017, 1.040412038837244, 0.091982259613223}};

    @TempDir
    static Path folder;
    private static List<Row> rows;

    @BeforeAll
    static void run() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/real/uis.csv"));
        List<String> header = List.of(lines.get(0).replace("\"", "").split(","));
        List<String> episodes = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        List<String> useEvents = new ArrayList<>();
        List<String> followups = new ArrayList<>();
        LocalDate admission = LocalDate.of(2000, 1, 3);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.replace("\"", "").split(",");
            String id = f[header.indexOf("ID")];
            int age = Integer.parseInt(f[header.indexOf("AGE")]);
            int length = Integer.parseInt(f[header.indexOf("LEN.T")]);
            int time = Integer.parseInt(f[header.indexOf("TIME")]);
            boolean relapse = f[header.indexOf("CENSOR")].equals("1");
            boolean completed = Double.parseDouble(f[header.indexOf("FRAC")]) >= 1;
            String ageBand = age <= 24 ? "18-24" : age <= 34 ? "25-34" : age <= 44 ? "35-44" : age <= 54 ? "45-54"
                    : "55-64";
            episodes.add(String.join(",", "e" + id, "p" + id, "site-" + f[header.indexOf("SITE")], "residential",
                    admission.toString(), admission.plusDays(length).toString(),
                    completed ? "completed" : "dropped_out", "unknown", ageBand, "unknown",
                    f[header.indexOf("NDT")], ""));
            sessions.add(String.join(",", "p" + id, "e" + id, admission.toString(), "group", "60", "attended"));
            String date = admission.plusDays(time).toString();
            if (relapse) {
                useEvents.add(String.join(",", "p" + id, date, "use", "other", "self_report"));
            } else {
                followups.add(String.join(",", "p" + id, "e" + id, date, "true", "true"));
            }
        }
        Path input = new InputFixture()
                .table("episodes", InputFixture.EPISODES_HEADER, episodes.toArray(String[]::new))
                .table("sessions", InputFixture.SESSIONS_HEADER, sessions.toArray(String[]::new))
                .table("use_events", InputFixture.USE_EVENTS_HEADER, useEvents.toArray(String[]::new))
                .table("followups", InputFixture.FOLLOWUPS_HEADER, followups.toArray(String[]::new))
                .writeTo(folder.resolve("uis"));
        ContinuitySettings settings = ContinuitySettings.defaults()
                .withExposures(List.of(ContinuitySettings.COMPLETED)).withLevelsOfCare(List.of("residential"));
        try (LoadedInput loaded = InputLoader.load(SparkTestSession.get(), new InputLoader.Request(input.toString(),
                null, LocalDate.of(2026, 11, 28), 0.0))) {
            rows = ContinuityStage.effect(SparkTestSession.get(),
                    OutcomesJob.episodeOutcomes(loaded, RetentionSettings.defaults(), RelapseSettings.defaults(), settings),
                    PostTreatmentRelapse.TIME, PostTreatmentRelapse.EVENT, List.of(RetentionTables.OVERALL), settings, 11,
                    new SparkAdjustedModels(settings)).collectAsList();
        }
        rows.forEach(System.out::println);
    }

    private static void assertRelative(double expected, Row row, String column) {
        double actual = row.getAs(column);
        assertEquals(expected, actual, Math.abs(expected) * 1e-6, column + " of " + row);
    }

    @Test
    void landmarkCohortLeavesOutEarlyRelapsesAndInTreatmentRelapses() {
        assertEquals(3, rows.size());
        for (Row row : rows) {
            assertEquals(575L, row.<Long>getAs("discharged_episodes"));
            assertEquals(122L, row.<Long>getAs("excluded_relapsed_before_landmark"));
            assertEquals(71L, row.<Long>getAs("excluded_censored_before_landmark"));
            assertEquals(382L, row.<Long>getAs("cohort_episodes"));
            assertFalse(row.<Boolean>getAs("suppressed"));
        }
    }

    @Test
    void adjustedHazardRatioEqualsCoxph() {
        for (int k = 0; k < R.length; k++) {
            Row row = rows.get(k);
            assertEquals((int) R[k][0], row.<Integer>getAs("horizon_days"));
            assertTrue(row.<Boolean>getAs("estimable"), row::toString);
            assertEquals((long) R[k][1], row.<Long>getAs("hr_model_n"));
            assertEquals((long) R[k][2], row.<Long>getAs("hr_model_events"));
            assertFalse(row.<Boolean>getAs("hr_robust_se"), "one episode per participant: model-based SEs");
            assertRelative(R[k][3], row, "adjusted_hr");
            assertRelative(R[k][4], row, "adjusted_hr_lower");
            assertRelative(R[k][5], row, "adjusted_hr_upper");
            assertRelative(R[k][6], row, "adjusted_hr_p");
            assertEquals("age_band,prior_episodes,program_id", row.<String>getAs("covariates_used"));
        }
    }

    /**
     * The adjusted OR at 365 days: R's glm on the known-status rows of the cohort (the same u, lm as above):
     * <pre>
     * k <- subset(lm, (CENSOR == 1 &amp; t <= 365) | t >= 365); k$y <- as.integer(k$CENSOR == 1 &amp; k$t <= 365)
     * g <- glm(y ~ completed + age_band + NDT + factor(SITE), family = binomial, data = k)
     * exp(c(coef(g)["completed"], confint.default(g)["completed", ])); summary(g)$coefficients["completed", 4]
     * </pre>
     */
    @Test
    void adjustedOddsRatioEqualsGlm() {
        Row row = rows.get(2);
        assertEquals(358L, row.<Long>getAs("or_model_n"));
        assertEquals(259L, row.<Long>getAs("or_model_events"));
        assertRelative(1.012892779719885, row, "adjusted_or");
        assertRelative(0.589145553919599, row, "adjusted_or_lower");
        assertRelative(1.741423280517002, row, "adjusted_or_upper");
        assertRelative(0.963044286295828, row, "adjusted_or_p");
    }
}
