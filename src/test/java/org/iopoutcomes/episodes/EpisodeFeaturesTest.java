package org.iopoutcomes.episodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-episode measures on the hand-made fixture, each checked by hand. */
class EpisodeFeaturesTest {
    @TempDir
    Path tmp;

    private Map<String, Row> outcomes(InputFixture fixture, LocalDate asOf) {
        Path dir = fixture.writeTo(tmp.resolve("input"));
        try (LoadedInput input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir.toString(), asOf, LocalDate.of(2025, 12, 31), 0.05))) {
            return EpisodeFeatures.episodeOutcomes(input.episodes(), input.sessions(), input.dataCut())
                    .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));
        }
    }

    @Test
    void completedEpisodeCountsOnlyItsOwnSessionsInCare() {
        Row e1 = outcomes(InputFixture.valid(), null).get("e1");
        // In care 2025-01-06 .. 2025-04-04: five sessions; the one on 04-20 is after discharge and the one
        // on 04-15 has no episode_id (continuing care), so neither counts.
        assertEquals(5, (int) e1.getAs("sessions_scheduled"));
        assertEquals(4, (int) e1.getAs("sessions_attended"));
        assertEquals(1, (int) e1.getAs("sessions_no_show"));
        assertEquals(4, (int) e1.getAs("attended_days"));
        assertEquals(1, (int) e1.getAs("sessions_after_discharge"));
        // TEDS-D: admission to the last attended session (2025-04-02), not to the discharge date.
        assertEquals(86, (int) e1.getAs("length_of_stay_days"));
        assertEquals(88, (int) e1.getAs("days_in_care"));
        // 180 + 60 + 60 (empty minutes = 60) attended therapy minutes; the medication session is not therapy.
        assertEquals(5.0, (double) e1.getAs("therapy_hours"), 1e-12);
        assertEquals(false, e1.getAs("active_at_data_cut"));
        assertEquals("2025-01", e1.getAs("admission_month"));
    }

    @Test
    void excusedAndCancelledSessionsAreScheduledButNotAttended() {
        Row e2 = outcomes(InputFixture.valid(), null).get("e2");
        assertEquals(3, (int) e2.getAs("sessions_scheduled"));
        assertEquals(1, (int) e2.getAs("sessions_attended"));
        assertEquals(1, (int) e2.getAs("sessions_excused"));
        assertEquals(1, (int) e2.getAs("sessions_cancelled"));
        assertEquals(0, (int) e2.getAs("length_of_stay_days"));
        assertEquals(3.0, (double) e2.getAs("therapy_hours"), 1e-12);
    }

    @Test
    void activeEpisodeRunsToTheDataCut() {
        Row e3 = outcomes(InputFixture.valid(), null).get("e3");
        // Data cut = the latest input date, 2025-06-30.
        assertEquals(true, e3.getAs("active_at_data_cut"));
        assertEquals(LocalDate.of(2025, 6, 30), ((java.sql.Date) e3.getAs("in_care_end_date")).toLocalDate());
        assertEquals(119, (int) e3.getAs("length_of_stay_days"));
        assertEquals(2, (int) e3.getAs("sessions_attended"));
    }

    @Test
    void episodeWithoutSessionsHasZeros() {
        Row e4 = outcomes(InputFixture.valid().add("episodes",
                "e4,p4,prog-b,iop,2025-05-05,2025-05-06,dropped_out,cannabis,12-17,female,0,"), null).get("e4");
        assertEquals(0, (int) e4.getAs("sessions_scheduled"));
        assertEquals(0, (int) e4.getAs("sessions_attended"));
        assertEquals(0, (int) e4.getAs("length_of_stay_days"));
        assertEquals(0.0, (double) e4.getAs("therapy_hours"), 0.0);
        assertNull(e4.getAs("last_attended_date"));
    }

    @Test
    void asOfBeforeTheDischargeMakesTheEpisodeActiveAtTheCut() {
        Map<String, Row> rows = outcomes(InputFixture.valid(), LocalDate.of(2025, 3, 1));
        Row e1 = rows.get("e1");
        assertEquals(true, e1.getAs("active_at_data_cut"));
        assertNull(e1.getAs("discharge_reason"));
        assertEquals(54, (int) e1.getAs("days_in_care"));
        // Sessions after the cut are left out: the three January sessions attended remain.
        assertEquals(3, (int) e1.getAs("sessions_attended"));
        // e3 was admitted after the cut: not in this run.
        assertEquals(false, rows.containsKey("e3"));
    }
}
