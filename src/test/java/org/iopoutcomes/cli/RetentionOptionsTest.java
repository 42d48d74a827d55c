package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.pipeline.RunSettings;
import org.iopoutcomes.retention.RetentionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The retention options: SPEC defaults, values passed through, bad values refused with exit code 2. */
class RetentionOptionsTest {
    static final LocalDate TODAY = LocalDate.of(2025, 12, 31);

    @TempDir
    Path tmp;

    private RunSettings parse(String... args) {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings(TODAY);
    }

    @Test
    void defaultsAreTheSpecNumbers() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        assertEquals(RetentionSettings.defaults(), parse("--input", input).retention());
        assertEquals(new RetentionSettings(List.of(30, 60, 90), List.of("dropped_out", "terminated"), 9.0, 3, 14, 34,
                2, 7), RetentionSettings.defaults());
    }

    @Test
    void everyNumberCanBeSet() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        RetentionSettings settings = parse("--input", input, "--retention-horizons", "90,7,30",
                "--dropout-reasons", "dropped_out", "--intensity-hours", "6", "--intensity-days", "2",
                "--initiation-days", "10", "--engagement-window-days", "30", "--engagement-days", "3",
                "--curve-step-days", "14").retention();
        assertEquals(new RetentionSettings(List.of(7, 30, 90), List.of("dropped_out"), 6.0, 2, 10, 30, 3, 14),
                settings);
    }

    @Test
    void intensityPerAgeBandAndStepDownDays() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        RetentionSettings defaults = parse("--input", input).retention();
        assertEquals(Map.of("12-17", 6.0), defaults.intensityHoursByAgeBand());
        assertEquals(6.0, defaults.intensityHoursFor("12-17"));
        assertEquals(9.0, defaults.intensityHoursFor("18-24"));
        assertEquals(9.0, defaults.intensityHoursFor("unknown"));
        assertEquals(14, defaults.stepDownDays());
        RetentionSettings set = parse("--input", input, "--intensity-hours", "8",
                "--intensity-hours-by-age-band", "12-17=5.5,65+=6", "--step-down-days", "30").retention();
        assertEquals(Map.of("12-17", 5.5, "65+", 6.0), set.intensityHoursByAgeBand());
        assertEquals(8.0, set.intensityHoursFor("25-34"));
        assertEquals(6.0, set.intensityHoursFor("65+"));
        assertEquals(30, set.stepDownDays());
        RetentionSettings none = parse("--input", input, "--intensity-hours-by-age-band", "none").retention();
        assertEquals(Map.of(), none.intensityHoursByAgeBand());
        assertEquals(9.0, none.intensityHoursFor("12-17"));
        assertEquals(0, parse("--input", input, "--step-down-days", "0").retention().stepDownDays());
    }

    @Test
    void badAgeBandThresholdsAndStepDownDaysNameTheOptionAndValue() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        assertEquals("error: --intensity-hours-by-age-band = '12-17=six': '12-17=six': expected hours >= 0",
                firstErrorLine("run", "--input", input, "--intensity-hours-by-age-band", "12-17=six"));
        assertEquals("error: --intensity-hours-by-age-band = '13-17=6': '13-17=6': expected BAND=HOURS with BAND one "
                        + "of [12-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65+], or none",
                firstErrorLine("run", "--input", input, "--intensity-hours-by-age-band", "13-17=6"));
        assertEquals("error: --intensity-hours-by-age-band = '12-17=6,12-17=7': '12-17=7': age band 12-17 given twice",
                firstErrorLine("run", "--input", input, "--intensity-hours-by-age-band", "12-17=6,12-17=7"));
        assertEquals("error: --intensity-hours-by-age-band = '12-17=-1': '12-17=-1': expected hours >= 0",
                firstErrorLine("run", "--input", input, "--intensity-hours-by-age-band", "12-17=-1"));
        assertEquals("error: --step-down-days = '-1': expected days >= 0",
                firstErrorLine("run", "--input", input, "--step-down-days", "-1"));
    }

    private static String firstErrorLine(String... args) {
        CommandLineTest.Outcome outcome = CommandLineTest.execute(args);
        assertEquals(2, outcome.code(), outcome.err());
        return outcome.err().lines().findFirst().orElseThrow();
    }

    @Test
    void badValuesExitWithTwoAndNameTheOption() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        CommandLineTest.Outcome reason = CommandLineTest.execute("run", "--input", input,
                "--dropout-reasons", "dropped_out,eloped");
        assertEquals(2, reason.code());
        assertEquals("error: --dropout-reasons = 'eloped': expected discharge reasons from [completed, dropped_out, "
                + "terminated, transferred, incarcerated, died, other]", reason.err().lines().findFirst().orElseThrow());
        assertEquals(2, CommandLineTest.execute("run", "--input", input, "--intensity-days", "8").code());
        assertEquals(2, CommandLineTest.execute("run", "--input", input, "--retention-horizons", "-1").code());
        assertEquals(2, CommandLineTest.execute("run", "--input", input, "--engagement-days", "0").code());
    }
}
