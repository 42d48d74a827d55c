package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
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
