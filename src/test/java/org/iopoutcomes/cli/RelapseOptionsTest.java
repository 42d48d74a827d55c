package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.iopoutcomes.metrics.RelapseSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The relapse options of `run`: SPEC defaults, and bad values named with the option (exit 2). */
class RelapseOptionsTest {
    private static RelapseSettings parse(String... args) {
        RelapseOptions options = new RelapseOptions();
        new CommandLine(options).parseArgs(args);
        return options.settings(List.of("treatment_arm"));
    }

    @Test
    void defaultsAreTheSpecs() {
        RelapseSettings settings = parse();
        assertEquals(List.of(30, 90, 180, 365), settings.horizonsDays());
        assertEquals(0.40, settings.bandLower());
        assertEquals(0.60, settings.bandUpper());
        assertEquals(365, settings.bandHorizonDays());
        assertEquals(0.5, settings.minCompleteness());
        assertEquals(11, settings.minAtRisk());
        assertEquals(7, settings.definitions().size());
        assertEquals(List.of("treatment_arm"), settings.extraStrata());
        assertEquals(14, settings.followUpWindowDays());
        assertEquals(14, settings.asMap().get("followup_window_days"));
    }

    @Test
    void theFollowUpWindowIsReadAndMustKeepEachCallToOneHorizon() {
        assertEquals(7, parse("--followup-window-days", "7").followUpWindowDays());
        assertEquals(0, parse("--followup-window-days", "0").followUpWindowDays());
        // 30 and 90 are 60 days apart: a window of 29 keeps them apart, 30 would let a call on day 60 count for both
        assertEquals(29, parse("--followup-window-days", "29").followUpWindowDays());
        assertEquals("--followup-window-days = '30': expected fewer than half the gap between the horizons 30 and 90 "
                + "(60 days), so that no call counts for both",
                assertThrows(BadSettingsException.class, () -> parse("--followup-window-days", "30")).getMessage());
        assertEquals("--followup-window-days = '-1': expected days of 0 or more",
                assertThrows(BadSettingsException.class, () -> parse("--followup-window-days", "-1")).getMessage());
        assertEquals("--followup-window-days = '10': expected fewer than half the gap between the horizons 30 and 45 "
                + "(15 days), so that no call counts for both", assertThrows(BadSettingsException.class,
                () -> parse("--relapse-horizons", "45,30", "--followup-window-days", "10")).getMessage());
        // the band's horizon is always a horizon too
        assertTrue(assertThrows(BadSettingsException.class, () -> parse("--relapse-band-horizon", "200"))
                .getMessage().contains("the horizons 180 and 200 (20 days)"));
    }

    @Test
    void valuesAreRead() {
        RelapseSettings settings = parse("--relapse-horizons", "30,60", "--relapse-band", "0.3,0.5",
                "--relapse-band-horizon", "180", "--relapse-min-completeness", "0.6",
                "--relapse-definitions", "lee2016;two_in_six:window=6,threshold=2,o=+,*=+");
        assertEquals(List.of(30, 60), settings.horizonsDays());
        assertEquals(0.3, settings.bandLower());
        assertEquals(180, settings.bandHorizonDays());
        assertEquals(7, parse("--min-at-risk", "7").minAtRisk());
        assertEquals(List.of("lee2016", "two_in_six"), settings.definitions().stream().map(d -> d.name()).toList());
    }

    @Test
    void badValuesNameTheOption() {
        assertTrue(assertThrows(BadSettingsException.class, () -> parse("--relapse-band", "0.6,0.4"))
                .getMessage().contains("--relapse-band"));
        assertTrue(assertThrows(BadSettingsException.class, () -> parse("--relapse-band", "0.4"))
                .getMessage().contains("--relapse-band"));
        assertTrue(assertThrows(BadSettingsException.class, () -> parse("--relapse-horizons", "0,30"))
                .getMessage().contains("--relapse-horizons"));
        assertTrue(assertThrows(BadSettingsException.class, () -> parse("--relapse-min-completeness", "1.5"))
                .getMessage().contains("--relapse-min-completeness"));
        assertTrue(assertThrows(BadSettingsException.class, () -> parse("--relapse-definitions", "nope"))
                .getMessage().contains("--relapse-definitions"));
        assertEquals("--min-at-risk = '0': expected 1 or more",
                assertThrows(BadSettingsException.class, () -> parse("--min-at-risk", "0")).getMessage());
    }
}
