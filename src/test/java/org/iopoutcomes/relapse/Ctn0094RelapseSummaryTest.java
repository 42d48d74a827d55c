package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.metrics.RelapseFollowUp;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, acceptance 4: on CTN-0094, which has no follow-up after discharge, every discharge-clock verdict is
 * insufficient_follow_up, while the admission-clock rows give the Kaplan-Meier rates of CTNote's own times and
 * events for each window definition.
 */
class Ctn0094RelapseSummaryTest {
    private static LoadedInput input;
    private static List<Row> summary;

    @BeforeAll
    static void summarize() throws URISyntaxException {
        String dir = Path.of(Ctn0094RelapseSummaryTest.class.getResource("/real/ctn0094").toURI()).toString();
        input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir, null, LocalDate.of(2026, 11, 28), 0.05));
        RelapseSettings settings = RelapseSettings.defaults();
        RelapseSummary.Tables tables = RelapseSummary.compute(SparkTestSession.get(),
                RelapseSummary.episodeTimes(input, settings), RelapseFollowUp.perStratum(input, settings), input.dataCut(),
                settings);
        summary = tables.summary().collectAsList();
    }

    @AfterAll
    static void close() {
        input.close();
    }

    @Test
    void everyDischargeClockVerdictIsInsufficientFollowUp() {
        List<Row> verdictRows = summary.stream()
                .filter(r -> r.getAs("clock").equals(RelapseSummary.CLOCK_DISCHARGE)
                        && (int) r.getAs("horizon_days") == RelapseSettings.DEFAULT_BAND_HORIZON_DAYS)
                .toList();
        assertFalse(verdictRows.isEmpty());
        assertTrue(verdictRows.stream().anyMatch(r -> r.getAs("stratum").equals("program_id")));
        for (Row r : verdictRows) {
            assertEquals(RelapseSummary.INSUFFICIENT_FOLLOW_UP, r.getAs("verdict"), r.toString());
            assertNull(r.getAs("cumulative_incidence"), r.toString());
            assertNull(r.getAs("p_below_band"), r.toString());
        }
        // no discharge-clock rate at any horizon: nobody is followed after discharge
        for (Row r : summary) {
            if (r.getAs("clock").equals(RelapseSummary.CLOCK_DISCHARGE)) {
                assertFalse((boolean) r.getAs("estimable"), r.toString());
            }
        }
    }

    @Test
    void admissionClockRowsGiveTheRatesOfCtnotesTimesAndEvents() {
        List<CtnoteExpected.Row> expectedRows = CtnoteExpected.rows();
        int compared = 0;
        for (RelapseDefinition definition : RelapseSettings.defaults().timedDefinitions()) {
            List<Double> time = new ArrayList<>();
            List<Integer> event = new ArrayList<>();
            for (CtnoteExpected.Row row : expectedRows) {
                RelapseOutcome outcome = row.expected(definition.name());
                if (outcome.available()) {
                    time.add(7.0 * outcome.timeWeeks() - 1); // the last day of the event's week
                    event.add(outcome.event() ? 1 : 0);
                }
            }
            KaplanMeier ctnote = KaplanMeier.fromSubjects(time.stream().mapToDouble(Double::doubleValue).toArray(),
                    event.stream().mapToInt(Integer::intValue).toArray());
            for (int horizon : RelapseSettings.DEFAULT_HORIZONS_DAYS) {
                Row row = overallRow(definition.name(), horizon);
                SurvivalAtTime expected = ctnote.at(horizon);
                assertEquals(ctnote.n(), (long) row.getAs("episodes"), definition.name());
                assertEquals(expected.nRisk(), (long) row.getAs("at_risk"), definition.name() + " at " + horizon);
                assertEquals(expected.nEventCumByT(), (long) row.getAs("relapses"), definition.name() + " at " + horizon);
                if (horizon <= 90) {
                    assertTrue((boolean) row.getAs("estimable"), definition.name() + " at " + horizon + ": " + row);
                }
                if ((boolean) row.getAs("estimable")) {
                    assertEquals(expected.cumIncidence(), (double) row.getAs("cumulative_incidence"), 1e-12);
                    assertEquals(expected.cumIncidenceLog().lower(), (double) row.getAs("ci_lower"), 1e-12);
                    assertEquals(expected.cumIncidenceLog().upper(), (double) row.getAs("ci_upper"), 1e-12);
                    compared++;
                } else {
                    assertNull(row.getAs("cumulative_incidence"));
                }
                assertNull(row.getAs("verdict"), "no band verdict on the admission clock");
            }
        }
        assertTrue(compared >= 10, "estimable admission-clock rows compared: " + compared);
    }

    private static Row overallRow(String definition, int horizon) {
        List<Row> rows = summary.stream().filter(r -> r.getAs("stratum").equals("overall")
                && r.getAs("definition").equals(definition) && r.getAs("clock").equals(RelapseSummary.CLOCK_ADMISSION)
                && (int) r.getAs("horizon_days") == horizon).toList();
        assertEquals(1, rows.size(), definition + " at " + horizon);
        return rows.get(0);
    }
}
