package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private int cif(Path input, String... args) {
        String[] all = new String[args.length + 6];
        all[0] = "stats";
        all[1] = "cif";
        all[2] = "--input";
        all[3] = input.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        all[all.length - 2] = "--out";
        all[all.length - 1] = dir.resolve("cif").toString();
        return run(all);
    }

    @Test
    void cifBadOptionsExit2NamingTheOptionAndTheValue() throws Exception {
        Path input = csv("cr.csv", "t,s,g\n1,1,a\n2,2,b\n3,0,a\n");
        assertEquals(2, cif(input, "--time", "t", "--status", "outcome"));
        assertTrue(stderr.contains("--status = 'outcome'") && stderr.contains("no such column")
                && stderr.contains("(columns: t, s, g)"), stderr);
        assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
        assertEquals(2, cif(input, "--time", "t", "--status", "s", "--group", "site"));
        assertTrue(stderr.contains("--group = 'site'") && stderr.contains("no such column"), stderr);
        assertEquals(2, cif(input, "--time", "t", "--status", "s", "--times", "30,ninety"));
        assertTrue(stderr.contains("--times = '30,ninety'") && stderr.contains("comma-separated list of numbers"),
                stderr);
        assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
        assertEquals(2, cif(input, "--time", "t", "--status", "s", "--times", "30,,90"));
        assertTrue(stderr.contains("--times = '30,,90'"), stderr);
        assertEquals(2, cif(input, "--time", "t", "--status", "s", "--times", "30,Infinity"));
        assertTrue(stderr.contains("--times = '30,Infinity'") && stderr.contains("finite"), stderr);
        assertEquals(2, cif(input, "--time", "t"), "--status is required");
        assertTrue(stderr.contains("--status"), stderr);
        assertEquals(2, cif(Path.of(dir.toString(), "missing.csv"), "--time", "t", "--status", "s"));
        assertTrue(stderr.contains("--input") && stderr.contains("missing.csv"), stderr);
        assertFalse(Files.exists(dir.resolve("cif")), "nothing written");
    }

    @Test
    void cifStatusThatIsNotAWholeNumberAtLeastZeroIsRejectedWithFileColumnValueAndRow() throws Exception {
        for (String bad : new String[] {"1.5", "relapse", "-1", "NaN"}) {
            Path input = csv("status.csv", "t,s\n1,1\n2,0\n3," + bad + "\n4,2\n");
            assertEquals(3, cif(input, "--time", "t", "--status", "s"), bad);
            assertTrue(stderr.contains("status.csv") && stderr.contains("'s'") && stderr.contains("'" + bad + "'")
                    && stderr.contains("data row 3") && stderr.contains("not a whole number >= 0"), stderr);
            assertEquals(1, stderr.strip().lines().count(), "one line: " + stderr);
        }
        // a whole number written as a decimal is that number, as R's read.csv reads it
        Path decimal = csv("decimal.csv", "t,s\n1,1.0\n2,0\n3,2.0\n");
        assertEquals(0, cif(decimal, "--time", "t", "--status", "s"));
        assertEquals(List.of("(s0)", "1", "2"), states(dir.resolve("cif/cif_curves.csv")));
    }

    private static List<String> states(Path curves) {
        FlatCsv csv = FlatCsv.read(curves);
        List<String> states = new ArrayList<>();
        for (int r = 0; r < csv.size(); r++) {
            if (!states.contains(csv.value(r, "state"))) {
                states.add(csv.value(r, "state"));
            }
        }
        return states;
    }

    @Test
    void cifTimesMustBeNumbersAtLeastZeroAndSomeStatusAState() throws Exception {
        Path text = csv("time.csv", "t,s\n1,1\nsoon,0\n");
        assertEquals(3, cif(text, "--time", "t", "--status", "s"));
        assertTrue(stderr.contains("time.csv") && stderr.contains("'t'") && stderr.contains("'soon'")
                && stderr.contains("data row 2") && stderr.contains("not a number"), stderr);
        Path negative = csv("negative.csv", "t,s\n1,1\n-2,0\n");
        assertEquals(3, cif(negative, "--time", "t", "--status", "s"));
        assertTrue(stderr.contains("'-2'") && stderr.contains("data row 2") && stderr.contains("negative"), stderr);
        Path censored = csv("censored.csv", "t,s\n1,0\n2,0\n");
        assertEquals(3, cif(censored, "--time", "t", "--status", "s"));
        assertTrue(stderr.contains("censored.csv") && stderr.contains("'s'") && stderr.contains("every row"), stderr);
        Path empty = csv("empty.csv", "t,s\n1,\n,0\n");
        assertEquals(3, cif(empty, "--time", "t", "--status", "s"));
        assertTrue(stderr.contains("left out 2 of 2 rows") && stderr.contains("no row has a value"), stderr);
        assertFalse(Files.exists(dir.resolve("cif")), "nothing written");
    }

    @Test
    void cifWithOneGroupWritesNoGrayTestAndRemovesAStaleOne() throws Exception {
        Path input = csv("one.csv", "t,s,g\n1,1,a\n2,2,a\n3,0,a\n4,1,\n");
        Files.createDirectories(dir.resolve("cif"));
        Files.writeString(dir.resolve("cif/cif_gray.csv"), "state,stat,df,p.value\n1,4,1,0.05\n");
        assertEquals(0, cif(input, "--time", "t", "--status", "s", "--group", "g"));
        assertTrue(stderr.contains("left out 1 of 4 rows"), stderr);
        assertTrue(stderr.contains("column 'g' has one value") && stderr.contains("cif_gray.csv is not written"),
                stderr);
        assertTrue(stderr.contains("removed") && stderr.contains("of an earlier run"), stderr);
        assertFalse(Files.exists(dir.resolve("cif/cif_gray.csv")));
        FlatCsv curves = FlatCsv.read(dir.resolve("cif/cif_curves.csv"));
        assertEquals("a", curves.value(0, "group"));
        assertEquals(List.of("(s0)", "1", "2"), states(dir.resolve("cif/cif_curves.csv")));
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
