package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iopoutcomes.cli.stats.FlatCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad options exit 2, bad input exits 3, missing values are left out and counted; never a stack trace. */
class StatsCommandErrorsTest {
    @TempDir
    Path dir;

    private String stderr;

    private int run(String... args) {
        CommandLine cli = OutcomesCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute(args);
        stderr = err.toString();
        assertFalse(stderr.contains("\tat "), "no stack trace: " + stderr);
        return code;
    }

    private Path csv(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void unknownColumnIsABadSetting() throws Exception {
        Path input = csv("d.csv", "t,e\n1,1\n2,0\n");
        assertEquals(2, run("stats", "km", "--input", input.toString(), "--time", "days", "--event", "e",
                "--out", dir.toString()));
        assertTrue(stderr.contains("--time") && stderr.contains("days") && stderr.contains("no such column"), stderr);
        assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
    }

    @Test
    void badOptionValuesAreBadSettings() throws Exception {
        Path input = csv("d.csv", "t,e,g\n1,1,a\n2,0,b\n");
        assertEquals(2, run("stats", "km", "--input", input.toString(), "--time", "t", "--event", "e",
                "--conf-type", "arcsine", "--out", dir.toString()));
        assertTrue(stderr.contains("--conf-type"), stderr);
        assertEquals(2, run("stats", "logrank", "--input", input.toString(), "--time", "t", "--event", "e",
                "--group", "g", "--rho", "2", "--out", dir.toString()));
        assertEquals(2, run("stats", "cox", "--input", input.toString(), "--time", "t", "--event", "e",
                "--covariates", "t", "--ties", "exact", "--out", dir.toString()));
        assertEquals(2, run("stats", "binomial", "--x", "5", "--n", "3", "--p0", "0.5", "--out", dir.toString()));
        assertEquals(2, run("stats", "km", "--time", "t", "--event", "e", "--out", dir.toString()),
                "--input is required");
        assertEquals(2, run("stats"), "an analysis is required");
    }

    @Test
    void eventNotZeroOrOneIsRejectedWithFileColumnValueAndRow() throws Exception {
        Path input = csv("events.csv", "t,e\n1,1\n2,0\n3,2\n");
        assertEquals(3, run("stats", "km", "--input", input.toString(), "--time", "t", "--event", "e",
                "--out", dir.toString()));
        assertTrue(stderr.contains("events.csv") && stderr.contains("'e'") && stderr.contains("'2'")
                && stderr.contains("data row 3"), stderr);
    }

    @Test
    void nonNumericCovariateIsRejected() throws Exception {
        Path input = csv("cov.csv", "t,e,x\n1,1,0.5\n2,0,high\n3,1,1\n");
        assertEquals(3, run("stats", "cox", "--input", input.toString(), "--time", "t", "--event", "e",
                "--covariates", "x", "--out", dir.toString()));
        assertTrue(stderr.contains("cov.csv") && stderr.contains("'x'") && stderr.contains("'high'")
                && stderr.contains("data row 2"), stderr);
        Path censoredOnly = csv("censored.csv", "t,e,x\n1,0,0.5\n2,0,1\n");
        assertEquals(3, run("stats", "cox", "--input", censoredOnly.toString(), "--time", "t", "--event", "e",
                "--covariates", "x", "--out", dir.toString()), "no events");
        assertTrue(stderr.contains("no event"), stderr);
        assertEquals(3, run("stats", "logistic", "--input", input.toString(), "--outcome", "t",
                "--covariates", "e", "--out", dir.toString()), "outcome 2 or 3 is not 0/1");
    }

    @Test
    void rowsWithAnEmptyUsedValueAreLeftOutAndCounted() throws Exception {
        Path input = csv("gaps.csv", "t,e,unused\n1,1,\n,0,x\n3,,x\n4,0,x\n5,1,x\n");
        assertEquals(0, run("stats", "km", "--input", input.toString(), "--time", "t", "--event", "e",
                "--out", dir.resolve("out").toString()));
        assertTrue(stderr.contains("left out 2 of 5 rows"), stderr);
        FlatCsv median = FlatCsv.read(dir.resolve("out/km_median.csv"));
        assertEquals("2", median.value(0, "n_excluded_missing"));
        assertEquals("3", median.value(0, "n"));
    }

    @Test
    void logisticSeparationIsAWarningNotAFailure() throws Exception {
        Path input = csv("sep.csv", "y,dose\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n");
        assertEquals(0, run("stats", "logistic", "--input", input.toString(), "--outcome", "y", "--covariates",
                "dose", "--out", dir.toString()));
        assertTrue(stderr.contains("warning: fitted probabilities numerically 0 or 1"), stderr);
        FlatCsv fit = FlatCsv.read(dir.resolve("logistic_fit.csv"));
        assertTrue(fit.value(0, "warning").contains("separation"));
    }

    @Test
    void everyOptionHasHelpText() {
        CommandLine stats = OutcomesCli.commandLine().getSubcommands().get("stats");
        for (CommandLine sub : stats.getSubcommands().values()) {
            for (var option : sub.getCommandSpec().options()) {
                assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                        sub.getCommandName() + " " + option.longestName() + " has no help text");
            }
        }
    }
}
