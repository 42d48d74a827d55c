package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.pipeline.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run --min-at-risk`: the minimum number at risk for a relapse estimate or verdict, 11 by default, a setting of its
 * own (it used to be the suppression threshold), written to the manifest's settings; below 1 exits 2 naming the
 * option and the value. Parsing only: no job runs.
 */
class MinAtRiskOptionTest {
    @TempDir
    Path tmp;

    private RunSettings settings(String... args) {
        return ParsedRun.settings(tmp, args);
    }

    @SuppressWarnings("unchecked")
    private static Object manifestMinAtRisk(RunSettings settings) {
        return ((Map<String, Object>) settings.asMap().get("relapse")).get("min_at_risk");
    }

    @Test
    void elevenByDefaultAndInTheManifestSettings() {
        RunSettings byDefault = settings();
        assertEquals(11, byDefault.relapse().minAtRisk());
        assertEquals(11, manifestMinAtRisk(byDefault));
        RunSettings five = settings("--min-at-risk", "5");
        assertEquals(5, five.relapse().minAtRisk());
        assertEquals(5, manifestMinAtRisk(five));
        assertEquals(11, five.suppressionThreshold());
    }

    @Test
    void theSuppressionThresholdNoLongerSetsIt() {
        RunSettings off = settings("--suppression-threshold", "1");
        assertEquals(1, off.suppressionThreshold());
        assertEquals(11, off.relapse().minAtRisk());
        RunSettings both = settings("--suppression-threshold", "20", "--min-at-risk", "5");
        assertEquals(20, both.suppressionThreshold());
        assertEquals(5, both.relapse().minAtRisk());
        assertEquals(1, settings("--min-at-risk", "1").relapse().minAtRisk());
        // nor does a threshold changed afterwards (tests do that for the unsuppressed run)
        assertEquals(5, both.withSuppressionThreshold(1).relapse().minAtRisk());
    }

    @Test
    void belowOneExitsTwoNamingTheOptionAndTheValue() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        for (String bad : new String[] {"0", "-3"}) {
            CommandLineTest.Outcome outcome = CommandLineTest.execute("run", "--input", input,
                    "--output", tmp.resolve("out").toString(), "--min-at-risk", bad);
            assertEquals(2, outcome.code(), outcome.err());
            assertEquals("error: --min-at-risk = '" + bad + "': expected 1 or more",
                    outcome.err().lines().findFirst().orElseThrow());
        }
        // not a number: picocli's own message, exit 2 as for every option
        CommandLineTest.Outcome word = CommandLineTest.execute("run", "--input", input, "--min-at-risk", "many");
        assertEquals(2, word.code(), word.err());
        assertEquals(true, word.err().contains("--min-at-risk"), word.err());
    }
}
