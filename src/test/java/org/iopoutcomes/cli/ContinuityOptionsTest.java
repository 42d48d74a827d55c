package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.iopoutcomes.continuity.ContinuitySettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The continuity options of `run`: SPEC defaults, values read, bad values named with the option (exit 2). */
class ContinuityOptionsTest {
    private static ContinuitySettings parse(String... args) {
        ContinuityOptions options = new ContinuityOptions();
        new CommandLine(options).parseArgs(args);
        return options.settings();
    }

    @Test
    void defaultsAreTheSpecs() {
        assertEquals(ContinuitySettings.defaults(), parse());
        ContinuitySettings s = parse();
        assertEquals(14, s.landmarkDays(ContinuitySettings.CONTINUING_CARE));
        assertEquals(90, s.landmarkDays(ContinuitySettings.CONTINUOUS));
        assertEquals(14, s.landmarkDays(ContinuitySettings.COMPLETED));
        assertEquals(14, s.landmarkDays(ContinuitySettings.IN_PROGRAM));
        assertEquals(List.of(90, 180, 365), s.horizonsDays());
        assertEquals(List.of("age_band", "sex", "primary_substance", "prior_episodes", "moud", "program_id"),
                s.covariates());
    }

    @Test
    void valuesAreRead() {
        ContinuitySettings s = parse("--continuity-exposures", "completed", "--continuity-levels-of-care",
                "iop,residential", "--continuity-horizons", "365,180", "--continuing-care-window-days", "21",
                "--continuing-care-landmark-days", "21", "--in-program-max-gap-days", "10", "--adjust-for",
                "attendance_rate,program_id", "--min-relapses-per-group", "5", "--therapy-hours-bands", "6,9,12");
        assertEquals(List.of("completed"), s.exposures());
        assertEquals(List.of("iop", "residential"), s.levelsOfCare());
        assertEquals(List.of(180, 365), s.horizonsDays());
        assertEquals(21, s.careWindowDays());
        assertEquals(21, s.landmarkDays(ContinuitySettings.CONTINUING_CARE));
        assertEquals(10, s.programMaxGapDays());
        assertEquals(5, s.minEventsPerGroup());
        assertEquals(List.of(6.0, 9.0, 12.0), s.therapyHoursBands());
        assertEquals(List.of("age_band", "sex", "primary_substance", "prior_episodes", "moud", "program_id",
                "attendance_rate"), s.covariates());
    }

    @Test
    void badValuesNameTheOption() {
        for (String[] bad : List.of(new String[] {"--continuity-exposures", "aftercare"},
                new String[] {"--continuity-levels-of-care", "inpatient"},
                new String[] {"--continuity-horizons", "0"},
                new String[] {"--continuing-care-window-days", "0"},
                new String[] {"--continuous-care-block-days", "0"},
                new String[] {"--in-program-landmark-days", "-1"},
                new String[] {"--max-missing-covariate-share", "1.5"},
                new String[] {"--therapy-hours-bands", "0,9"})) {
            assertTrue(assertThrows(BadSettingsException.class, () -> parse(bad)).getMessage().contains(bad[0]),
                    bad[0]);
        }
    }
}
