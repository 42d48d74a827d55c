package org.iopoutcomes.relapse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The discharge clock on hand-made rows: one participant per rule, every time counted by hand. */
class PostTreatmentRelapseTest {
    private static final LocalDate DATA_CUT = LocalDate.of(2025, 12, 31);
    private static final String EPISODE = ",prog,iop,2025-01-06,";
    private static final String REST = ",opioids,25-34,male,0,";
    private static Map<String, Row> byEpisode;

    @BeforeAll
    static void compute() {
        Dataset<Row> episodes = TypedRows.of(Schemas.EPISODES,
                "r1,p1" + EPISODE + "2025-03-01,completed" + REST,
                "r2,p2" + EPISODE + "2025-03-01,dropped_out" + REST,
                "r3,p3" + EPISODE + "2025-03-01,completed" + REST,
                "c1,p4" + EPISODE + "2025-03-01,completed" + REST,
                "c2,p5" + EPISODE + "2025-03-01,completed" + REST,
                "c3,p6" + EPISODE + "2025-03-01,completed" + REST,
                "n1,p7" + EPISODE + "2025-03-01,terminated" + REST,
                "x1,p8" + EPISODE + "2025-03-01,dropped_out" + REST,
                "x2,p8,prog,iop,2025-04-01,2025-05-01,completed" + REST,
                "a1,p9,prog,iop,2025-06-01,," + REST);
        Dataset<Row> screens = TypedRows.of(Schemas.SCREENS,
                "p1,2025-02-15,positive,opioids", // in treatment: not on the discharge clock
                "p1,2025-03-10,negative,",
                "p1,2025-03-20,positive,opioids", // day 19: the relapse
                "p1,2025-04-01,negative,",
                "p2,2025-03-06,positive,opioids",
                "p4,2025-03-10,negative,",
                "p4,2025-04-15,negative,",        // day 45: the last known status
                "p4,2025-05-01,missing,",         // says nothing about use
                "p6,2025-07-01,refused,",
                "p7,2025-03-01,positive,opioids", // the discharge day itself: day 0 does not count
                "p8,2025-03-15,negative,",        // x1 day 14
                "p8,2025-04-01,positive,opioids", // x2's admission day: x2's row, in treatment
                "p8,2026-01-05,positive,opioids"); // after the data cut
        Dataset<Row> useEvents = TypedRows.of(Schemas.USE_EVENTS,
                "p2,2025-03-05,overdose,opioids,clinician"); // day 4, before p2's positive screen
        Dataset<Row> followups = TypedRows.of(Schemas.FOLLOWUPS,
                "p3,r3,2025-05-30,true,false",  // day 90: reached, not abstinent
                "p6,c3,2025-06-29,true,true",   // day 120: reached, abstinent
                "p6,c3,2025-08-01,false,",      // not reached: nothing known
                "p8,x2,2025-03-25,true,false"); // names x2, so it is not x1's even though it falls in x1's time
        Dataset<Row> sessions = TypedRows.of(Schemas.SESSIONS,
                "p3,,2025-04-01,group,90,attended",
                "p5,c2,2025-04-01,group,90,attended", // day 31, a contact of the episode after its discharge
                "p5,,2025-05-01,group,90,no_show",
                "p5,,2025-06-01,group,90,cancelled");
        byEpisode = PostTreatmentRelapse.compute(episodes, sessions, screens, useEvents, followups, DATA_CUT)
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));
    }

    private static void assertRelapse(String episode, int days, String date, String source) {
        Row row = byEpisode.get(episode);
        assertTrue(row.<Boolean>getAs(PostTreatmentRelapse.EVENT), episode + " relapsed");
        assertEquals(days, (int) row.getAs(PostTreatmentRelapse.TIME), episode + " days");
        assertEquals(Date.valueOf(date), row.getAs("relapse_date"), episode);
        assertEquals(source, row.getAs("relapse_source"), episode);
        assertEquals(Date.valueOf(date), row.getAs("last_known_status_date"), episode);
    }

    private static void assertCensored(String episode, int days, String lastKnown) {
        Row row = byEpisode.get(episode);
        assertFalse(row.<Boolean>getAs(PostTreatmentRelapse.EVENT), episode + " censored");
        assertEquals(days, (int) row.getAs(PostTreatmentRelapse.TIME), episode + " days");
        assertNull(row.getAs("relapse_date"), episode);
        assertNull(row.getAs("relapse_source"), episode);
        assertEquals(lastKnown == null ? null : Date.valueOf(lastKnown), row.getAs("last_known_status_date"), episode);
    }

    @Test
    void aPositiveScreenAfterDischargeIsARelapse() {
        assertRelapse("r1", 19, "2025-03-20", "positive_screen");
        assertEquals(3, (int) byEpisode.get("r1").getAs("post_discharge_contacts"));
    }

    @Test
    void aUseEventIsARelapseOnItsDay() {
        assertRelapse("r2", 4, "2025-03-05", "overdose");
    }

    @Test
    void aReachedFollowUpThatIsNotAbstinentIsARelapseAtTheAssessment() {
        assertRelapse("r3", 90, "2025-05-30", "followup_not_abstinent");
    }

    @Test
    void censoredAtTheLastNegativeScreen() {
        assertCensored("c1", 45, "2025-04-15");
    }

    @Test
    void censoredAtTheLastAttendedSessionNotAtANoShow() {
        assertCensored("c2", 31, "2025-04-01");
    }

    @Test
    void censoredAtTheLastReachedFollowUp() {
        assertCensored("c3", 120, "2025-06-29");
    }

    @Test
    void noContactAfterDischargeIsCensoredAtDayZero() {
        assertCensored("n1", 0, null);
        assertEquals(0, (int) byEpisode.get("n1").getAs("post_discharge_contacts"));
    }

    @Test
    void rowsFromTheNextAdmissionOnOrAfterTheDataCutDoNotCount() {
        assertCensored("x1", 14, "2025-03-15");
        assertEquals(Date.valueOf("2025-03-31"), byEpisode.get("x1").getAs("observation_end_date"));
        assertCensored("x2", 0, null);
        assertEquals(Date.valueOf("2025-12-31"), byEpisode.get("x2").getAs("observation_end_date"));
    }

    @Test
    void onlyDischargedEpisodesHaveARow() {
        assertFalse(byEpisode.containsKey("a1"));
        assertEquals(9, byEpisode.size());
    }
}
