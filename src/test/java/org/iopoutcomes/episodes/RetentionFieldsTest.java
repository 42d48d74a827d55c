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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention fields of episode_outcomes on hand-made episodes, each value worked out by hand (day numbers are
 * days since admission). One input, loaded once, holds every edge case.
 */
class RetentionFieldsTest {
    static final LocalDate DATA_CUT = LocalDate.of(2025, 6, 30);

    @TempDir
    static Path tmp;

    static Map<String, Row> rows;

    @BeforeAll
    static void deriveOnce() {
        InputFixture fixture = InputFixture.valid()
                .without("screens").without("use_events").without("followups").without("mutual_help")
                .table("episodes", InputFixture.EPISODES_HEADER,
                        // r1: completed after 20 days in care: 3 complete weeks, weeks 0 and 2 intensive
                        "r1,p1,prog-a,iop,2025-01-06,2025-01-26,completed,alcohol,25-34,female,0,",
                        // r2: no sessions at all, dropped out after a week
                        "r2,p2,prog-a,iop,2025-02-03,2025-02-10,dropped_out,opioids,35-44,male,1,true",
                        // r3: transferred after 2 days; its only sessions come after the discharge
                        "r3,p3,prog-b,iop,2025-03-03,2025-03-05,transferred,stimulants,18-24,male,,",
                        // r4: still in care at the data cut (28 days)
                        "r4,p4,prog-b,iop,2025-06-02,,,cannabis,45-54,female,,",
                        // r5: terminated; initiated on day 13, engaged by days 30 and 47 (47 = 13 + 34: inside)
                        "r5,p5,prog-b,iop,2025-04-01,2025-05-30,terminated,alcohol,25-34,male,,",
                        // r6: first attended on day 14: too late for initiation
                        "r6,p6,prog-b,iop,2025-04-01,2025-04-30,dropped_out,alcohol,25-34,male,,",
                        // r7: initiated on day 0; days 34 and 35 follow, only day 34 is in the window
                        "r7,p7,prog-b,iop,2025-04-01,2025-05-30,dropped_out,alcohol,25-34,male,,",
                        // r8: first attended on day 20 (not initiated), then days 25 and 54 (54 = 20 + 34: inside)
                        "r8,p8,prog-b,iop,2025-04-01,2025-05-30,dropped_out,alcohol,25-34,male,,")
                .table("sessions", InputFixture.SESSIONS_HEADER,
                        "p1,r1,2025-01-06,group,180,attended",
                        "p1,r1,2025-01-08,group,180,attended",
                        "p1,r1,2025-01-10,group,180,attended",
                        "p1,r1,2025-01-13,group,180,attended",
                        "p1,r1,2025-01-15,group,180,attended",
                        "p1,r1,2025-01-16,medication,240,attended",
                        "p1,r1,2025-01-17,individual,180,no_show",
                        "p1,r1,2025-01-20,group,180,attended",
                        "p1,r1,2025-01-21,group,180,attended",
                        "p1,r1,2025-01-22,group,180,attended",
                        "p1,r1,2025-01-22,individual,60,attended",
                        "p1,r1,2025-01-24,group,180,excused",
                        "p1,r1,2025-01-25,group,180,cancelled",
                        "p3,r3,2025-03-10,group,180,attended",
                        "p3,r3,2025-03-12,group,180,attended",
                        "p4,r4,2025-06-05,group,60,no_show",
                        "p4,r4,2025-06-22,group,60,attended",
                        "p4,r4,2025-06-27,group,60,attended",
                        "p5,r5,2025-04-14,group,60,attended",
                        "p5,r5,2025-05-01,group,60,attended",
                        "p5,r5,2025-05-18,group,60,attended",
                        "p6,r6,2025-04-15,group,60,attended",
                        "p6,r6,2025-04-16,group,60,attended",
                        "p7,r7,2025-04-01,group,60,attended",
                        "p7,r7,2025-05-05,group,60,attended",
                        "p7,r7,2025-05-06,group,60,attended",
                        "p8,r8,2025-04-21,group,60,attended",
                        "p8,r8,2025-04-26,group,60,attended",
                        "p8,r8,2025-05-25,group,60,attended");
        Path dir = fixture.writeTo(tmp.resolve("input"));
        try (LoadedInput input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir.toString(), DATA_CUT, LocalDate.of(2025, 12, 31), 0.0))) {
            rows = EpisodeFeatures.episodeOutcomes(input.episodes(), input.sessions(), input.dataCut())
                    .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));
        }
    }

    private static Object field(String episode, String column) {
        return rows.get(episode).getAs(column);
    }

    @Test
    void completedIntensiveEpisode() {
        // attended days 0,2,4,7,9,10,14,15,16; discharged on day 20
        assertEquals(16, field("r1", "length_of_stay_days"));
        assertEquals(16, field("r1", "retention_time_days"));
        assertEquals(true, field("r1", "discharged"));
        assertEquals(true, field("r1", "completed"));
        assertEquals(false, field("r1", "dropout"));
        // 10 attended (the medication session counts as attended), 1 no-show; excused and cancelled left out
        assertEquals(10.0 / 11.0, (double) field("r1", "attendance_rate"), 1e-12);
        // therapy: 3 + 2 x 3 h in weeks 0-1, 3 x 3 h + 1 h in week 2; the medication session is not therapy
        assertEquals(25.0, (double) field("r1", "therapy_hours"), 1e-12);
        assertEquals(9, field("r1", "attended_days"));
        // week 0: 9 h on 3 days (meets); week 1: 6 h of therapy on 2 days (does not); week 2: 10 h on 3 days
        assertEquals(3, field("r1", "complete_weeks"));
        assertEquals(2, field("r1", "intensive_weeks"));
        assertEquals(2.0 / 3.0, (double) field("r1", "intensity_share"), 1e-12);
        assertEquals(0, field("r1", "days_to_first_attended"));
        assertEquals(true, field("r1", "initiated"));
        assertEquals(true, field("r1", "engaged"));
        // the largest step between attended days: day 10 to day 14
        assertEquals(4, field("r1", "longest_gap_days"));
    }

    @Test
    void episodeWithoutSessions() {
        assertEquals(0, field("r2", "length_of_stay_days"));
        // a dropout at day 0: the retention time of a discharged episode is its length of stay
        assertEquals(0, field("r2", "retention_time_days"));
        assertEquals(true, field("r2", "dropout"));
        assertEquals(false, field("r2", "completed"));
        assertNull(field("r2", "attendance_rate"));
        assertEquals(0.0, (double) field("r2", "therapy_hours"), 0.0);
        assertEquals(0, field("r2", "attended_days"));
        // 7 days in care: week 0 (days 0-6) is complete and not intensive
        assertEquals(1, field("r2", "complete_weeks"));
        assertEquals(0.0, (double) field("r2", "intensity_share"), 0.0);
        assertNull(field("r2", "days_to_first_attended"));
        assertEquals(false, field("r2", "initiated"));
        assertEquals(false, field("r2", "engaged"));
        assertNull(field("r2", "longest_gap_days"));
    }

    @Test
    void transferWithSessionsOnlyAfterDischargeIsCensoredNotADropout() {
        assertEquals(true, field("r3", "discharged"));
        assertEquals(false, field("r3", "dropout"));
        assertEquals(false, field("r3", "completed"));
        assertEquals(0, field("r3", "length_of_stay_days"));
        assertEquals(0, field("r3", "retention_time_days"));
        assertEquals(0, field("r3", "sessions_attended"));
        assertEquals(2, field("r3", "sessions_after_discharge"));
        assertNull(field("r3", "attendance_rate"));
        // 2 days in care: no complete week, so no intensity share
        assertEquals(0, field("r3", "complete_weeks"));
        assertNull(field("r3", "intensity_share"));
        assertNull(field("r3", "days_to_first_attended"));
        assertEquals(false, field("r3", "initiated"));
        assertNull(field("r3", "longest_gap_days"));
    }

    @Test
    void activeEpisodeIsCensoredAtTheDataCut() {
        assertEquals(true, field("r4", "active_at_data_cut"));
        assertEquals(false, field("r4", "discharged"));
        assertEquals(false, field("r4", "dropout"));
        assertEquals(false, field("r4", "completed"));
        // attended days 20 and 25; retention time runs to the data cut, 28 days after admission
        assertEquals(25, field("r4", "length_of_stay_days"));
        assertEquals(28, field("r4", "retention_time_days"));
        assertEquals(2.0 / 3.0, (double) field("r4", "attendance_rate"), 1e-12);
        assertEquals(4, field("r4", "complete_weeks"));
        assertEquals(0.0, (double) field("r4", "intensity_share"), 0.0);
        assertEquals(20, field("r4", "days_to_first_attended"));
        assertEquals(false, field("r4", "initiated"));
        assertEquals(false, field("r4", "engaged"));
        assertEquals(5, field("r4", "longest_gap_days"));
    }

    @Test
    void initiationAndEngagementWindows() {
        // r5: initiation on day 13 (the last day of the window); days 30 and 47 within 34 days after it
        assertEquals(13, field("r5", "days_to_first_attended"));
        assertEquals(true, field("r5", "initiated"));
        assertEquals(true, field("r5", "engaged"));
        assertEquals(true, field("r5", "dropout"));
        assertEquals(47, field("r5", "retention_time_days"));
        assertEquals(17, field("r5", "longest_gap_days"));
        // r6: the first attended session on day 14 is past the initiation window
        assertEquals(14, field("r6", "days_to_first_attended"));
        assertEquals(false, field("r6", "initiated"));
        assertEquals(false, field("r6", "engaged"));
        assertEquals(1, field("r6", "longest_gap_days"));
        // r7: of days 34 and 35 after the initiation day only day 34 is in the window: one day, not two
        assertEquals(true, field("r7", "initiated"));
        assertEquals(false, field("r7", "engaged"));
        assertEquals(34, field("r7", "longest_gap_days"));
        assertEquals(35, field("r7", "length_of_stay_days"));
    }

    /**
     * SPEC section 3 (revised 2026-12): engagement counts from the first attended session, not from admission, so
     * an episode whose first session falls after the initiation window can still be engaged.
     */
    @Test
    void engagementCountsFromTheFirstAttendedSessionWhereverItFalls() {
        assertEquals(20, field("r8", "days_to_first_attended"));
        assertEquals(false, field("r8", "initiated"));
        assertEquals(true, field("r8", "engaged"));
        // r6: first on day 14, only day 15 after it: one further day, not two
        assertEquals(false, field("r6", "engaged"));
    }
}
