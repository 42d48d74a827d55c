package org.iopoutcomes.episodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.retention.RetentionSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step-down continuity (Washington Circle continuity after a higher level of care, SPEC section 3 revised 2026-12)
 * and IOP intensity per age band on hand-made episodes; every value worked out by hand. Data cut 2025-06-30.
 */
class StepDownAndIntensityTest {
    static final LocalDate DATA_CUT = LocalDate.of(2025, 6, 30);

    @TempDir
    static Path tmp;

    static Map<String, Row> defaults;
    static Map<String, Row> oneThreshold;
    static Map<String, Row> custom;

    @BeforeAll
    static void deriveOnce() {
        InputFixture fixture = InputFixture.valid()
                .without("screens").without("use_events").without("followups").without("mutual_help")
                .table("episodes", InputFixture.EPISODES_HEADER,
                        // p10: residential discharged 01-31, IOP admitted 14 days later: a step down
                        "res10,p10,prog-a,residential,2025-01-01,2025-01-31,completed,alcohol,25-34,female,0,",
                        "iop10,p10,prog-a,iop,2025-02-14,2025-04-01,completed,alcohol,25-34,female,1,",
                        // p11: detox discharged 01-10, IOP admitted 15 days later: too late
                        "dtx11,p11,prog-a,detox,2025-01-01,2025-01-10,completed,opioids,35-44,male,0,",
                        "iop11,p11,prog-a,iop,2025-01-25,2025-03-01,dropped_out,opioids,35-44,male,1,",
                        // p12's PHP discharge is followed by p13's IOP admission the next day: another participant
                        "php12,p12,prog-a,php,2025-02-01,2025-02-28,completed,alcohol,45-54,male,0,",
                        "iop13,p13,prog-a,iop,2025-03-01,2025-04-01,completed,alcohol,45-54,male,0,",
                        // p14: PHP discharged 03-20, outpatient admitted the same day
                        "php14,p14,prog-b,php,2025-03-01,2025-03-20,completed,cannabis,18-24,male,0,",
                        "op14,p14,prog-b,op,2025-03-20,2025-05-01,completed,cannabis,18-24,male,1,",
                        // p15: the lower level first: IOP from 01-01 to 01-20, then residential to 02-20
                        "iop15,p15,prog-b,iop,2025-01-01,2025-01-20,transferred,alcohol,25-34,male,0,",
                        "res15,p15,prog-b,residential,2025-01-20,2025-02-20,completed,alcohol,25-34,male,1,",
                        // p16: detox -> residential (1 day) -> IOP (4 days after residential, 35 after detox)
                        "dtx16,p16,prog-b,detox,2025-04-01,2025-04-05,completed,opioids,25-34,female,0,",
                        "res16,p16,prog-b,residential,2025-04-06,2025-05-06,completed,opioids,25-34,female,1,",
                        "iop16,p16,prog-b,iop,2025-05-10,,,opioids,25-34,female,2,",
                        // p17: residential discharged 06-25, 5 days before the data cut; IOP admitted 06-27
                        "res17,p17,prog-b,residential,2025-05-25,2025-06-25,completed,alcohol,25-34,male,0,",
                        "iop17,p17,prog-b,iop,2025-06-27,,,alcohol,25-34,male,1,",
                        // p18: PHP ended by death
                        "php18,p18,prog-b,php,2025-03-01,2025-03-10,died,opioids,55-64,male,0,",
                        // p19: detox to 02-03, PHP 02-05 to 02-10, IOP 02-12: the IOP follows the PHP (2 days)
                        "dtx19,p19,prog-b,detox,2025-02-01,2025-02-03,completed,opioids,25-34,male,0,",
                        "php19,p19,prog-b,php,2025-02-05,2025-02-10,completed,opioids,25-34,male,1,",
                        "iop19,p19,prog-b,iop,2025-02-12,2025-04-01,completed,opioids,25-34,male,2,",
                        // intensity: the same week of 6 hours on 3 days, at 12-17, at 18-24 and at 25-34
                        "teen,p20,prog-c,iop,2025-05-05,2025-05-20,completed,cannabis,12-17,male,0,",
                        "young,p21,prog-c,iop,2025-05-05,2025-05-20,completed,cannabis,18-24,male,0,",
                        "adult,p22,prog-c,iop,2025-05-05,2025-05-20,completed,cannabis,25-34,male,0,")
                .table("sessions", InputFixture.SESSIONS_HEADER,
                        "p20,teen,2025-05-05,group,120,attended",
                        "p20,teen,2025-05-07,group,120,attended",
                        "p20,teen,2025-05-09,group,120,attended",
                        "p21,young,2025-05-05,group,120,attended",
                        "p21,young,2025-05-07,group,120,attended",
                        "p21,young,2025-05-09,group,120,attended",
                        "p22,adult,2025-05-05,group,120,attended",
                        "p22,adult,2025-05-07,group,120,attended",
                        "p22,adult,2025-05-09,group,120,attended");
        Path dir = fixture.writeTo(tmp.resolve("input"));
        try (LoadedInput input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir.toString(), DATA_CUT, LocalDate.of(2025, 12, 31), 0.0))) {
            defaults = derive(input, RetentionSettings.defaults());
            RetentionSettings d = RetentionSettings.defaults();
            oneThreshold = derive(input, new RetentionSettings(d.horizonsDays(), d.dropoutReasons(), 9.0, Map.of(),
                    3, 14, 34, 2, 14, 7));
            // 18-24 at 5 h, 12-17 at 7 h, everybody else at 6 h; step downs within 15 days
            custom = derive(input, new RetentionSettings(d.horizonsDays(), d.dropoutReasons(), 6.0,
                    RetentionSettings.parseIntensityHoursByAgeBand(List.of("18-24=5", "12-17=7")), 3, 14, 34, 2, 15,
                    7));
        }
    }

    private static Map<String, Row> derive(LoadedInput input, RetentionSettings settings) {
        return EpisodeFeatures.episodeOutcomes(input.episodes(), input.sessions(), input.dataCut(), settings)
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("episode_id"), r -> r));
    }

    private static Object field(String episode, String column) {
        return defaults.get(episode).getAs(column);
    }

    @Test
    void anAdmissionWithinFourteenDaysOfAHigherLevelDischargeIsAStepDown() {
        assertEquals("residential", field("iop10", "stepped_down_from"));
        assertEquals(14, field("iop10", "days_from_higher_level_discharge"));
        assertEquals(true, field("res10", "followed_by_lower_level"));
        assertEquals(14, field("res10", "days_to_lower_level_admission"));
        // a higher-level episode is no step down when nothing above it came before
        assertNull(field("res10", "stepped_down_from"));
    }

    @Test
    void fifteenDaysIsTooLateUnlessTheSettingSaysSo() {
        assertNull(field("iop11", "stepped_down_from"));
        assertNull(field("iop11", "days_from_higher_level_discharge"));
        assertEquals(false, field("dtx11", "followed_by_lower_level"));
        assertNull(field("dtx11", "days_to_lower_level_admission"));
        // --step-down-days 15
        assertEquals("detox", custom.get("iop11").getAs("stepped_down_from"));
        assertEquals(15, custom.get("iop11").<Integer>getAs("days_from_higher_level_discharge"));
        assertEquals(true, custom.get("dtx11").getAs("followed_by_lower_level"));
    }

    @Test
    void anotherParticipantsAdmissionIsNoStepDown() {
        assertNull(field("iop13", "stepped_down_from"));
        assertEquals(false, field("php12", "followed_by_lower_level"));
    }

    @Test
    void anAdmissionOnTheDayOfTheDischargeIsAStepDown() {
        assertEquals("php", field("op14", "stepped_down_from"));
        assertEquals(0, field("op14", "days_from_higher_level_discharge"));
        assertEquals(true, field("php14", "followed_by_lower_level"));
        assertEquals(0, field("php14", "days_to_lower_level_admission"));
    }

    @Test
    void aLowerLevelBeforeTheHigherOneIsNoStepDown() {
        // the IOP was admitted 31 days before the residential discharge, and ended the day residential began
        assertNull(field("iop15", "stepped_down_from"));
        assertNull(field("res15", "stepped_down_from"));
        assertEquals(false, field("res15", "followed_by_lower_level"));
    }

    @Test
    void aChainOfStepDownsCountsEachStep() {
        assertEquals("detox", field("res16", "stepped_down_from"));
        assertEquals(1, field("res16", "days_from_higher_level_discharge"));
        assertEquals("residential", field("iop16", "stepped_down_from"));
        assertEquals(4, field("iop16", "days_from_higher_level_discharge"));
        assertEquals(true, field("dtx16", "followed_by_lower_level"));
        assertEquals(1, field("dtx16", "days_to_lower_level_admission"));
        assertEquals(true, field("res16", "followed_by_lower_level"));
        // an episode still open is no discharge: nothing to follow
        assertNull(field("iop16", "followed_by_lower_level"));
        // with two higher discharges before it, the latest counts
        assertEquals("php", field("iop19", "stepped_down_from"));
        assertEquals(2, field("iop19", "days_from_higher_level_discharge"));
        assertEquals(2, field("dtx19", "days_to_lower_level_admission"));
        assertEquals(true, field("php19", "followed_by_lower_level"));
    }

    @Test
    void aDischargeWhoseWindowRunsPastTheDataCutOrEndsInDeathIsNotMeasured() {
        assertEquals("residential", field("iop17", "stepped_down_from"));
        assertEquals(2, field("iop17", "days_from_higher_level_discharge"));
        assertEquals(2, field("res17", "days_to_lower_level_admission"));
        assertNull(field("res17", "followed_by_lower_level"));
        assertNull(field("php18", "followed_by_lower_level"));
        // lower levels are never in the measure's denominator
        assertNull(field("iop10", "followed_by_lower_level"));
        assertNull(field("op14", "followed_by_lower_level"));
    }

    @Test
    void intensityThresholdsPerAgeBand() {
        // one complete week (days 0-6), 6 therapy hours on 3 days: enough at 12-17 (6 h), not for adults (9 h)
        assertEquals(1, field("teen", "intensive_weeks"));
        assertEquals(0, field("young", "intensive_weeks"));
        assertEquals(0, field("adult", "intensive_weeks"));
        assertEquals(0.5, (double) field("teen", "intensity_share"), 1e-12);
        // --intensity-hours-by-age-band none: 9 h for everybody
        assertEquals(0, oneThreshold.get("teen").<Integer>getAs("intensive_weeks"));
        // 12-17 = 7 h, 18-24 = 5 h, others 6 h
        assertEquals(0, custom.get("teen").<Integer>getAs("intensive_weeks"));
        assertEquals(1, custom.get("young").<Integer>getAs("intensive_weeks"));
        assertEquals(1, custom.get("adult").<Integer>getAs("intensive_weeks"));
    }
}
