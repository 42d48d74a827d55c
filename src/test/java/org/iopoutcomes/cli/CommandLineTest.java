package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of the command line (SPEC section 5: 0, 1, 2, 3). */
class CommandLineTest {
    @TempDir
    Path tmp;

    record Outcome(int code, String out, String err) {}

    @BeforeAll
    static void shareSpark() {
        // The commands reuse the tests' session instead of starting (and stopping) their own.
        SparkTestSession.get();
    }

    static Outcome execute(String... args) {
        CommandLine cli = OutcomesCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void badOptionValuesExitWithTwoAndNameTheOption() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        Outcome rate = execute("run", "--input", input, "--max-reject-rate", "1.5");
        assertEquals(2, rate.code());
        assertEquals("error: --max-reject-rate = '1.5': expected a share from 0 to 1", rate.err().lines().findFirst().orElseThrow());

        Outcome date = execute("run", "--input", input, "--as-of", "2025-02-30");
        assertEquals(2, date.code());
        assertTrue(date.err().contains("'2025-02-30'") && date.err().contains("--as-of"), date.err());

        Outcome future = execute("validate", "--input", input, "--as-of", "2999-01-01");
        assertEquals(2, future.code());
        assertTrue(future.err().startsWith("error: --as-of = '2999-01-01': is after today"), future.err());

        Outcome folder = execute("run", "--input", tmp.resolve("nowhere").toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("--input = '" + tmp.resolve("nowhere") + "': is not a folder"), folder.err());

        Outcome unknown = execute("run", "--frobnicate");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown.err());

        assertEquals(2, execute().code());
        assertEquals(2, execute("run", "--suppression-threshold", "0").code());
    }

    @Test
    void unknownStratumIsABadSetting() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        Outcome strata = execute("run", "--input", input, "--output", tmp.resolve("out").toString(),
                "--strata", "program_id,housing");
        assertEquals(2, strata.code());
        assertTrue(strata.err().startsWith("error: --strata = 'housing': is not a column of episodes"), strata.err());
    }

    @Test
    void rejectedInputExitsWithThree() {
        String input = InputFixture.valid().without("episodes").writeTo(tmp.resolve("input")).toString();
        Outcome missing = execute("validate", "--input", input);
        assertEquals(3, missing.code());
        assertTrue(missing.err().startsWith("error: " + input + "/episodes.csv: required table 'episodes' not found"),
                missing.err());
        // One clear line, no stack trace.
        assertEquals(1, missing.err().lines().count());
    }

    @Test
    void validatePrintsAPerTableSummary() {
        String input = InputFixture.valid().add("sessions", "p1,e1,2025-01-20,group,abc,attended")
                .writeTo(tmp.resolve("input")).toString();
        Outcome ok = execute("validate", "--input", input, "--max-reject-rate", "0.1");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("sessions     csv                13         12          0           1  bad_integer: 1"),
                ok.out());
        assertTrue(ok.out().contains("data cut: 2025-06-30 (latest date in the input)"), ok.out());
    }

    @Test
    void runWritesTheTreesAndSaysWhere() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        Path out = tmp.resolve("out");
        Outcome run = execute("run", "--input", input, "--output", out.toString(),
                "--restricted-output", tmp.resolve("vault").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("run_date=2025-06-30: 3 episodes, 0 rows quarantined"), run.out());
        assertTrue(out.resolve("published/run_date=2025-06-30/_SUCCESS").toFile().isFile());
        assertTrue(tmp.resolve("vault/run_date=2025-06-30/episode_outcomes").toFile().isDirectory());
    }
}
