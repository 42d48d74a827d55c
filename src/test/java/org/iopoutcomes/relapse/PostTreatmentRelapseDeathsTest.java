package org.iopoutcomes.relapse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deaths on the discharge clock (SPEC section 3, revised 2026-12) on hand-made rows: every episode is discharged
 * on 2025-03-01; the deaths table is complete through 2025-09-30, the data cut is 2025-12-31.
 */
class PostTreatmentRelapseDeathsTest {
    private static final LocalDate DATA_CUT = LocalDate.of(2025, 12, 31);
    private static final LocalDate COMPLETE_THROUGH = LocalDate.of(2025, 9, 30);
    private static final String EPISODE = ",prog,iop,2025-01-06,2025-03-01,";
    private static final String REST = ",opioids,25-34,male,0,";
    private static Map<String, Row> withDeaths;
    private static Map<String, Row> withoutDeaths;

    @BeforeAll
    static void compute() {
        Dataset<Row> episodes = TypedRows.of(Schemas.EPISODES,
                "od,p1" + EPISODE + "completed" + REST,    // overdose death on day 40, no relapse before
                "oth,p2" + EPISODE + "completed" + REST,   // other death on day 50, relapse seen after it
                "rel,p3" + EPISODE + "completed" + REST,   // relapse on day 9, other death on day 30
                "odr,p4" + EPISODE + "completed" + REST,   // relapse on day 9, overdose death on day 30
                "dis,p5" + EPISODE + "died" + REST,        // died on the discharge date, no registry row
                "late,p6" + EPISODE + "completed" + REST,  // death after the complete-through date
                "unk,p7" + EPISODE + "dropped_out" + REST, // unknown cause on day 0 (discharge day)
                "same,p8" + EPISODE + "completed" + REST,  // positive screen on the death's day
                "none,p9" + EPISODE + "completed" + REST); // no death: as before
        Dataset<Row> screens = TypedRows.of(Schemas.SCREENS,
                "p1,2025-03-20,negative,",        // day 19
                "p2,2025-03-11,negative,",        // day 10
                "p2,2025-05-01,positive,opioids", // day 61: after p2's death on day 50, ignored
                "p3,2025-03-10,positive,opioids", // day 9
                "p4,2025-03-10,positive,opioids", // day 9
                "p5,2025-03-10,positive,opioids", // after a died discharge: ignored
                "p6,2025-03-21,negative,",        // day 20: the last contact
                "p8,2025-04-10,positive,opioids", // day 40, the day p8 died
                "p9,2025-03-31,negative,");       // day 30
        Dataset<Row> deaths = TypedRows.of(Schemas.DEATHS,
                "p1,2025-04-10,overdose",
                "p2,2025-04-20,other",
                "p3,2025-03-31,other",
                "p4,2025-03-31,overdose",
                "p6,2025-10-15,overdose",          // after 2025-09-30: not counted
                "p7,2025-03-01,unknown",
                "p8,2025-04-10,other");
        Dataset<Row> noUse = TypedRows.of(Schemas.USE_EVENTS);
        Dataset<Row> noFollowups = TypedRows.of(Schemas.FOLLOWUPS);
        Dataset<Row> noSessions = TypedRows.of(Schemas.SESSIONS);
        withDeaths = byEpisode(PostTreatmentRelapse.compute(episodes, noSessions, screens, noUse, noFollowups,
                deaths, DATA_CUT, COMPLETE_THROUGH));
        withoutDeaths = byEpisode(PostTreatmentRelapse.compute(episodes, noSessions, screens, noUse, noFollowups,
                DATA_CUT));
    }

    private static Map<String, Row> byEpisode(Dataset<Row> rows) {
        return rows.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));
    }

    private static void assertRow(Map<String, Row> rows, String episode, int status, boolean event, int days,
                                  String relapseDate, String source, String deathDate, String cause) {
        Row row = rows.get(episode);
        assertEquals(status, (int) row.getAs(PostTreatmentRelapse.STATUS), episode + " status");
        assertEquals(event, row.<Boolean>getAs(PostTreatmentRelapse.EVENT), episode + " event");
        assertEquals(days, (int) row.getAs(PostTreatmentRelapse.TIME), episode + " days");
        assertEquals(relapseDate == null ? null : Date.valueOf(relapseDate), row.getAs("relapse_date"), episode);
        assertEquals(source, row.getAs("relapse_source"), episode + " source");
        assertEquals(deathDate == null ? null : Date.valueOf(deathDate), row.getAs("death_date"), episode);
        assertEquals(cause, row.getAs("death_cause"), episode + " cause");
    }

    @Test
    void anOverdoseDeathIsARelapseAtTheDeath() {
        assertRow(withDeaths, "od", 1, true, 40, "2025-04-10", "death_overdose", "2025-04-10", "overdose");
        assertEquals(Date.valueOf("2025-04-10"), withDeaths.get("od").getAs("last_known_status_date"));
    }

    @Test
    void anOtherDeathBeforeRelapseIsACompetingEventAndRowsAfterItAreIgnored() {
        assertRow(withDeaths, "oth", 2, false, 50, null, null, "2025-04-20", "other");
        assertEquals(Date.valueOf("2025-04-20"), withDeaths.get("oth").getAs("last_known_status_date"));
    }

    @Test
    void aDeathAfterARelapseChangesNothingButIsRecorded() {
        assertRow(withDeaths, "rel", 1, true, 9, "2025-03-10", "positive_screen", "2025-03-31", "other");
        assertRow(withDeaths, "odr", 1, true, 9, "2025-03-10", "positive_screen", "2025-03-31", "overdose");
    }

    @Test
    void aDiedDischargeIsADeathAtDayZero() {
        assertRow(withDeaths, "dis", 2, false, 0, null, null, "2025-03-01", "unknown");
        // no deaths table needed for it
        assertRow(withoutDeaths, "dis", 2, false, 0, null, null, "2025-03-01", "unknown");
    }

    @Test
    void deathsAfterTheCompleteThroughDateAreNotCounted() {
        assertRow(withDeaths, "late", 0, false, 20, null, null, null, null);
    }

    @Test
    void aRegistryDeathOnTheDischargeDayIsDayZero() {
        assertRow(withDeaths, "unk", 2, false, 0, null, null, "2025-03-01", "unknown");
    }

    @Test
    void aRelapseSeenOnTheDayOfADeathComesFirst() {
        assertRow(withDeaths, "same", 1, true, 40, "2025-04-10", "positive_screen", "2025-04-10", "other");
    }

    @Test
    void withoutDeathsEveryOtherEpisodeIsAsBefore() {
        assertRow(withDeaths, "none", 0, false, 30, null, null, null, null);
        assertRow(withoutDeaths, "od", 0, false, 19, null, null, null, null);
        assertRow(withoutDeaths, "oth", 1, true, 61, "2025-05-01", "positive_screen", null, null);
        assertRow(withoutDeaths, "late", 0, false, 20, null, null, null, null);
        assertRow(withoutDeaths, "none", 0, false, 30, null, null, null, null);
        assertEquals(9, withoutDeaths.size());
    }
}
