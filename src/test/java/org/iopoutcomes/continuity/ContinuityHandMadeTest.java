package org.iopoutcomes.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.episodes.EpisodeFeatures;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.relapse.PostTreatmentRelapse;
import org.iopoutcomes.relapse.TypedRows;
import org.iopoutcomes.retention.RetentionTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exposures and landmark cohorts on hand-made episodes, every value counted by hand. All episodes but e11 and
 * e12 run 2025-01-06 .. 2025-03-01 (54 days in care); day d is d days after the discharge on 2025-03-01.
 */
class ContinuityHandMadeTest {
    private static final LocalDate DATA_CUT = LocalDate.of(2025, 12, 31);
    private static final String IOP = ",prog,iop,2025-01-06,2025-03-01,";
    private static final String REST = ",opioids,25-34,male,0,";
    private static Map<String, Row> byEpisode;
    private static List<Row> effect;

    @BeforeAll
    static void compute() {
        Dataset<Row> episodes = TypedRows.of(Schemas.EPISODES,
                "e1,p1" + IOP + "completed" + REST,
                "e2,p2" + IOP + "dropped_out" + REST,
                "e3,p3" + IOP + "completed" + REST,
                "e4,p4" + IOP + "completed" + REST,
                "e5,p5" + IOP + "completed" + REST,
                "e6,p6" + IOP + "completed" + REST,
                "e7,p7" + IOP + "completed" + REST,
                "e8,p8" + IOP + "completed" + REST,
                "e9,p9" + IOP + "completed" + REST,
                "e10,p10" + IOP + "completed" + REST,
                "e11,p11,prog,iop,2025-02-15,2025-03-01,completed" + REST,  // 14 days in care
                "e12,p12,prog,iop,2025-06-01,," + REST);                     // still in care
        Dataset<Row> sessions = TypedRows.of(Schemas.SESSIONS,
                "p1,e1,2025-01-06,group,180,attended",
                "p1,e1,2025-01-13,group,180,attended",  // gap exactly 7 days: continuity
                "p2,e2,2025-01-06,group,180,attended",
                "p2,e2,2025-01-14,group,180,attended",  // gap 8 days: no continuity
                "p2,,2025-03-16,group,90,attended",     // day 15: outside the 14-day window
                "p3,e3,2025-03-04,group,90,attended",   // day 3, but the discharged episode's own session
                "p4,,2025-03-03,group,90,no_show",      // day 2, not attended
                "p5,,2025-04-01,individual,60,attended"); // day 31
        Dataset<Row> mutualHelp = TypedRows.of(Schemas.MUTUAL_HELP,
                "p1,2025-03-02,aa",   // day 1: continuing care
                "p5,2025-03-31,na",   // day 30 (block 1)
                "p5,2025-05-30,na",   // day 90 (block 3)
                "p6,2025-03-02,aa",   // day 1
                "p6,2025-03-31,aa",   // day 30: block 1 again
                "p6,2025-05-01,aa",   // day 61 (block 3): block 2 has no contact
                "p7,2025-03-03,smart"); // day 2: exposed, but relapses on day 5
        Dataset<Row> screens = TypedRows.of(Schemas.SCREENS,
                "p8,2025-03-11,negative,",          // day 10: the last known status
                "p9,2025-03-15,positive,opioids",   // day 14: relapse on the landmark day
                "p10,2025-03-16,positive,opioids"); // day 15: relapse after the landmark
        Dataset<Row> useEvents = TypedRows.of(Schemas.USE_EVENTS, "p7,2025-03-06,use,opioids,self_report");
        Dataset<Row> followups = TypedRows.of(Schemas.FOLLOWUPS,
                "p1,e1,2025-09-17,true,true", "p2,e2,2025-09-17,true,true", "p3,e3,2025-09-17,true,true",
                "p4,e4,2025-09-17,true,true", "p5,e5,2025-09-17,true,true", "p6,e6,2025-09-17,true,true",
                "p11,e11,2025-09-17,true,true");

        ContinuitySettings settings = ContinuitySettings.defaults();
        Dataset<Row> outcomes = EpisodeFeatures.episodeOutcomes(episodes, sessions, DATA_CUT);
        Dataset<Row> relapse = PostTreatmentRelapse.compute(episodes, sessions, screens, useEvents, followups, DATA_CUT)
                .select("episode_id", PostTreatmentRelapse.TIME, PostTreatmentRelapse.EVENT);
        Dataset<Row> analysis = ContinuityExposures.withExposures(outcomes, sessions, mutualHelp, settings)
                .join(relapse, "episode_id", "left");
        byEpisode = ContinuityExposures.withLandmarkStatus(analysis, PostTreatmentRelapse.TIME,
                        PostTreatmentRelapse.EVENT, settings)
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));

        ContinuitySettings noMinimum = new ContinuitySettings(14, 14, 90, 30, 90, 14, 7, 28, 14, List.of(90, 365),
                List.of("iop"), List.of(ContinuitySettings.CONTINUING_CARE), List.of(), 0.2, 0, List.of(9.0, 12.0));
        Dataset<Row> byExposure = ContinuityEffect.byExposure(analysis, PostTreatmentRelapse.TIME,
                PostTreatmentRelapse.EVENT, noMinimum);
        List<String> strata = List.of(RetentionTables.OVERALL);
        effect = ContinuityEffect.rows(ContinuityEffect.stratumCounts(byExposure, strata).collectAsList(),
                ContinuityEffect.dayCounts(byExposure, strata).collectAsList(), strata, noMinimum, null, null);
    }

    private static Boolean flag(String episode, String column) {
        return byEpisode.get(episode).getAs(column);
    }

    @Test
    void continuingCareNeedsAnAttendedContactOutsideTheEpisodeOnDays1To14() {
        assertTrue(flag("e1", "continuing_care_14d"), "mutual-help meeting on day 1");
        assertFalse(flag("e2", "continuing_care_14d"), "attended session on day 15");
        assertFalse(flag("e3", "continuing_care_14d"), "the discharged episode's own session on day 3");
        assertFalse(flag("e4", "continuing_care_14d"), "a no-show on day 2");
        assertFalse(flag("e5", "continuing_care_14d"), "first contact on day 30");
        assertTrue(flag("e6", "continuing_care_14d"));
        assertTrue(flag("e7", "continuing_care_14d"));
        assertNull(flag("e12", "continuing_care_14d"), "still in care: no exposure");
    }

    @Test
    void continuousCareNeedsAContactInEachThirtyDayBlock() {
        assertTrue(flag("e5", "continuous_90d"), "days 30, 31 and 90");
        assertFalse(flag("e6", "continuous_90d"), "days 1, 30 and 61: nothing on days 31-60");
        assertFalse(flag("e1", "continuous_90d"));
        assertNull(flag("e12", "continuous_90d"));
    }

    @Test
    void inProgramContinuityAllowsAGapOfExactlySevenDays() {
        assertEquals(7, (int) byEpisode.get("e1").<Integer>getAs("longest_gap_days"));
        assertTrue(flag("e1", "in_program_continuity"));
        assertFalse(flag("e2", "in_program_continuity"), "gap of 8 days");
        assertFalse(flag("e5", "in_program_continuity"), "no attended own session: no continuity");
        assertNull(flag("e11", "in_program_continuity"), "14 days in care: not compared");
        assertNull(flag("e12", "in_program_continuity"));
    }

    @Test
    void landmarkStatusOfEachEpisode() {
        assertEquals(ContinuityExposures.RELAPSED_BEFORE, byEpisode.get("e7").getAs("continuing_care_14d_landmark"));
        assertEquals(ContinuityExposures.RELAPSED_BEFORE, byEpisode.get("e9").getAs("continuing_care_14d_landmark"),
                "a relapse on the landmark day itself");
        assertEquals(ContinuityExposures.COHORT, byEpisode.get("e10").getAs("continuing_care_14d_landmark"));
        assertEquals(ContinuityExposures.CENSORED_BEFORE, byEpisode.get("e8").getAs("continuing_care_14d_landmark"));
        assertEquals(ContinuityExposures.RELAPSED_BEFORE, byEpisode.get("e7").getAs("continuous_90d_landmark"));
        assertEquals(ContinuityExposures.RELAPSED_BEFORE, byEpisode.get("e10").getAs("continuous_90d_landmark"));
        assertNull(byEpisode.get("e11").getAs("in_program_continuity_landmark"));
        assertEquals(ContinuityExposures.COHORT, byEpisode.get("e11").getAs("completed_landmark"));
    }

    @Test
    void aRelapseOnDay5IsLeftOutOfTheComparisonAndCounted() {
        assertEquals(2, effect.size());
        Row at90 = effect.get(0);
        assertEquals(90, at90.getInt(3));
        assertEquals(14, at90.getInt(4));
        assertEquals(11L, at90.getLong(5), "discharged episodes e1-e11");
        assertEquals(2L, at90.getLong(6), "e7 (relapse on day 5, though exposed) and e9 (day 14)");
        assertEquals(1L, at90.getLong(7), "e8, last known status on day 10");
        assertEquals(8L, at90.getLong(8));
        assertEquals(2L, at90.getLong(9), "exposed: e1 and e6; e7 is not among them");
        assertEquals(0L, at90.getLong(10));
        assertEquals(6L, at90.getLong(11), "unexposed: e2, e3, e4, e5, e10, e11");
        assertEquals(1L, at90.getLong(12), "e10 relapsed on day 15");
        assertEquals(0.0, at90.getDouble(13), 0.0);
        // unexposed Kaplan-Meier from the landmark: 6 at risk, e10's relapse 1 day after it, the others followed
        // to day 200
        assertEquals(1.0 / 6, at90.getDouble(16), 1e-15);
        // the crude 2x2 at day 90: exposed 0 relapsed / 2 known relapse-free, unexposed 1 / 5
        assertEquals(2L, at90.<Long>getAs("exposed_known_status"));
        assertEquals(6L, at90.<Long>getAs("unexposed_known_status"));
        assertEquals(-1.0 / 6, at90.getDouble(19), 1e-15, "risk difference exposed - unexposed");
        assertTrue(at90.<Boolean>getAs("estimable"));

        Row at365 = effect.get(1);
        assertEquals(365, at365.getInt(3));
        assertTrue(at365.isNullAt(13) && at365.isNullAt(16), "nobody followed to day 365: no figure carried past");
        assertEquals(0L, at365.<Long>getAs("exposed_known_status"), "nobody's status at 365 is known");
    }
}
