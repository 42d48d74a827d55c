package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.iopoutcomes.cli.stats.FlatCsv;
import org.iopoutcomes.stats.Na;
import org.iopoutcomes.stats.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs `outcomes stats cif` on the competing-risks data of src/test/resources/stats/competing_risks (tiny_cr.csv,
 * tiny plus a group c as tiny_singular and tiny_idle, planted_deaths.csv, uis_cr.csv, codes_cr.csv; the folder's
 * README and make_references.R say how they were made) and compares every number of every written row with R
 * (R 4.2.2, survival 3.5-3, cmprsk 2.2-11) at 1e-6 relative (1e-12 absolute near 0), NA where R has NA. Each
 * written file must hold exactly the reference's rows (no row left unchecked), its groups in R's order.
 *
 * <p>The R calls, with d the data set and g its group column (g = 1 for the runs without --group):
 * <pre>
 *   fit &lt;- survfit(Surv(time, factor(status)) ~ g, data = d)         # cif_curves.csv: every row of fit
 *   summary(fit, times = TIMES, extend = TRUE)                        # cif_at_times.csv
 *   cuminc(d$time, d$status, d$g)$Tests                               # cif_gray.csv: stat, df, pv (rho = 0)
 * </pre>
 * written out: survfit(Surv(time, factor(status)) ~ 1, data = tiny), ~ group, data = tiny; the same for
 * tiny_singular, tiny_idle, planted and codes; survfit(Surv(time, factor(status)) ~ 1, data = uis), ~ TREAT and
 * ~ treat_site; cuminc(tiny$time, tiny$status, tiny$group), the same for tiny_singular, tiny_idle, planted and
 * codes, cuminc(uis$time, uis$status, uis$TREAT) and cuminc(uis$time, uis$status, uis$treat_site). TIMES:
 * c(0, 0.5, 1, 2, 2.5, 5, 6, 10) for tiny*, c(0, 30, 90, 180, 365, 400) for planted, c(30, 90, 180, 365, 730,
 * 1200) for uis, c(-1, 0, 1, 2, 4.5, 100) for codes.
 *
 * <p>References: aj_curves.csv, aj_at_times.csv and gray.csv (the columns n_risk, n_event, pstate, std_err,
 * lower, upper, stat, pv, df, read as the command's n.risk, n.event, estimate, std.err, lower, upper, stat,
 * p.value, df); cif_codes_*.csv are in the command's own layout, and their row order is compared too.
 */
class CifCommandEndToEndTest {
    private static final String FOLDER = "/stats/competing_risks/";
    private static final List<String> CURVE_COLUMNS = List.of("group", "state", "time", "n.risk", "n.event",
            "estimate", "std.err", "lower", "upper");
    private static final List<String> GRAY_COLUMNS = List.of("state", "stat", "df", "p.value");
    /** command column -> column of aj_curves.csv / aj_at_times.csv */
    private static final Map<String, String> AJ_NAMES = Map.of("n.risk", "n_risk", "n.event", "n_event",
            "estimate", "pstate", "std.err", "std_err", "lower", "lower", "upper", "upper");
    /** command column -> column of gray.csv */
    private static final Map<String, String> GRAY_NAMES = Map.of("stat", "stat", "df", "df", "p.value", "pv");

    private static double maxRelative;
    private static long numbersCompared;

    @TempDir
    Path dir;

    private String stderr;

    static Path resource(String name) {
        try {
            var url = CifCommandEndToEndTest.class.getResource(FOLDER + name);
            assertNotNull(url, "missing test resource " + FOLDER + name);
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, String>> rows(Path file) {
        FlatCsv csv = FlatCsv.read(file);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < csv.size(); r++) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < csv.header().size(); c++) {
                row.put(csv.header().get(c), csv.value(r, c));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Runs `stats cif ARGS --out dir/NAME`, expects exit 0, keeps stderr; returns the output folder. */
    private Path cif(String name, Path input, String... args) {
        Path out = dir.resolve(name);
        List<String> all = new ArrayList<>(List.of("stats", "cif", "--input", input.toString()));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        CommandLine cli = OutcomesCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        stderr = err.toString();
        assertEquals(0, code, String.join(" ", all) + ": " + stderr);
        return out;
    }

    private static Predicate<Map<String, String>> of(String dataset, String groupCol) {
        return r -> r.get("dataset").equals(dataset) && r.get("group_col").equals(groupCol);
    }

    private static String timeKey(String text) {
        return Double.toString(Double.parseDouble(text));
    }

    private static String key(Map<String, String> row) {
        return row.get("group") + "|" + row.get("state") + "|" + timeKey(row.get("time"));
    }

    /**
     * Compares a written cif_curves.csv or cif_at_times.csv with the reference rows: the same header, the same
     * rows (by group, state, time), every number; groups in R's order; with {@code sameOrder} row by row.
     * Returns the number of rows.
     */
    private static int compareCurves(Path written, List<Map<String, String>> expected, Map<String, String> names,
                                     boolean sameOrder) {
        assertFalse(expected.isEmpty(), "no reference rows for " + written);
        assertEquals(CURVE_COLUMNS, FlatCsv.read(written).header(), written + " header");
        List<Map<String, String>> actual = rows(written);
        assertEquals(expected.size(), actual.size(), written + ": rows written vs R's");
        Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
        for (Map<String, String> row : actual) {
            assertNull(byKey.put(key(row), row), written + " repeats " + key(row));
        }
        for (int i = 0; i < expected.size(); i++) {
            Map<String, String> e = expected.get(i);
            Map<String, String> a = byKey.get(key(e));
            assertNotNull(a, written.getFileName() + " has no row " + key(e));
            if (sameOrder) {
                assertEquals(key(e), key(actual.get(i)), written.getFileName() + " row " + (i + 1));
            }
            for (var column : names.entrySet()) {
                check(written.getFileName() + " " + key(e) + " " + column.getKey(), e.get(column.getValue()),
                        a.get(column.getKey()));
            }
        }
        assertEquals(new ArrayList<>(new LinkedHashSet<>(expected.stream().map(r -> r.get("group")).toList())),
                new ArrayList<>(new LinkedHashSet<>(actual.stream().map(r -> r.get("group")).toList())),
                written.getFileName() + ": groups in R's order");
        return actual.size();
    }

    /** Compares a written cif_gray.csv with the reference rows, state by state in order. */
    private static void compareGray(Path written, List<Map<String, String>> expected, Map<String, String> names) {
        assertFalse(expected.isEmpty(), "no reference rows for " + written);
        assertEquals(GRAY_COLUMNS, FlatCsv.read(written).header(), written + " header");
        List<Map<String, String>> actual = rows(written);
        assertEquals(expected.size(), actual.size(), written + ": states");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).get("state"), actual.get(i).get("state"));
            for (var column : names.entrySet()) {
                check("cif_gray.csv state " + actual.get(i).get("state") + " " + column.getKey(),
                        expected.get(i).get(column.getValue()), actual.get(i).get(column.getKey()));
            }
        }
    }

    private static void check(String what, String expected, String written) {
        assertNotNull(expected, what + ": no reference column");
        assertNotNull(written, what + ": not written");
        if (expected.isEmpty()) {
            assertEquals("", written, what + ": R gives NA");
            return;
        }
        double actual = written.isEmpty() ? Na.NA : Double.parseDouble(written);
        Reference.assertMatches(what, expected, actual);
        double e = Double.parseDouble(expected);
        if (e != 0) {
            maxRelative = Math.max(maxRelative, Math.abs(actual - e) / Math.abs(e));
        }
        numbersCompared++;
    }

    @AfterAll
    static void report() {
        System.out.println("CifCommandEndToEndTest: " + numbersCompared + " numbers compared with R, largest relative"
                + " difference " + maxRelative);
    }

    private static List<Map<String, String>> reference(String file, Predicate<Map<String, String>> which) {
        return rows(resource(file)).stream().filter(which).toList();
    }

    /** One data set of aj_*.csv and gray.csv, with and without the group column. */
    private void compareDataset(String dataset, Path input, String groupCol, String times, int[] expectedRows) {
        Path all = cif(dataset + "-all", input, "--time", "time", "--status", "status", "--times", times);
        assertEquals(expectedRows[0], compareCurves(all.resolve("cif_curves.csv"),
                reference("aj_curves.csv", of(dataset, "")), AJ_NAMES, false));
        assertEquals(expectedRows[1], compareCurves(all.resolve("cif_at_times.csv"),
                reference("aj_at_times.csv", of(dataset, "")), AJ_NAMES, false));
        assertFalse(Files.exists(all.resolve("cif_gray.csv")), "no Gray's test without --group");

        Path grouped = cif(dataset + "-" + groupCol, input, "--time", "time", "--status", "status", "--group",
                groupCol, "--times", times);
        assertEquals(expectedRows[2], compareCurves(grouped.resolve("cif_curves.csv"),
                reference("aj_curves.csv", of(dataset, groupCol)), AJ_NAMES, false));
        assertEquals(expectedRows[3], compareCurves(grouped.resolve("cif_at_times.csv"),
                reference("aj_at_times.csv", of(dataset, groupCol)), AJ_NAMES, false));
        compareGray(grouped.resolve("cif_gray.csv"),
                reference("gray.csv", of(dataset, groupCol).and(r -> r.get("rho").equals("0"))), GRAY_NAMES);
    }

    /** tiny_cr.csv with the rows of group c appended (tiny_singular, tiny_idle of make_references.R). */
    private Path tinyPlus(String name, String... extraLines) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(resource("tiny_cr.csv")));
        lines.addAll(List.of(extraLines));
        Path file = dir.resolve(name + ".csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void tinyTiesBetweenStates() {
        // the requested times unsorted: R's summary sorts them
        compareDataset("tiny", resource("tiny_cr.csv"), "group", "10,0,2.5,0.5,1,2,5,6", new int[] {18, 24, 27, 48});
    }

    @Test
    void tinySingularGrayVarianceIsWrittenAsCuminc() throws Exception {
        compareDataset("tiny_singular", tinyPlus("tiny_singular", "16,c,0.5,0"), "group", "0,0.5,1,2,2.5,5,6,10",
                new int[] {21, 24, 30, 72});
        assertTrue(stderr.contains("warning: Gray's test of state 1: the variance matrix is singular"), stderr);
        assertTrue(stderr.contains("state 2"), stderr);
    }

    @Test
    void tinyIdleGroupWithoutTransitions() throws Exception {
        compareDataset("tiny_idle", tinyPlus("tiny_idle", "16,c,0.5,0", "17,c,7,0"), "group", "0,0.5,1,2,2.5,5,6,10",
                new int[] {24, 24, 33, 72});
        assertFalse(stderr.contains("singular"), stderr);
    }

    @Test
    void plantedDeaths() {
        compareDataset("planted_deaths", resource("planted_deaths.csv"), "group", "0,30,90,180,365,400",
                new int[] {144, 18, 336, 54});
    }

    @Test
    void uisByTreatmentAndBySite() {
        compareDataset("uis", resource("uis_cr.csv"), "TREAT", "30,90,180,365,730,1200",
                new int[] {747, 18, 1002, 36});
        Path bySite = cif("uis-treat_site", resource("uis_cr.csv"), "--time", "time", "--status", "status",
                "--group", "treat_site", "--times", "30,90,180,365,730,1200");
        assertEquals(1173, compareCurves(bySite.resolve("cif_curves.csv"),
                reference("aj_curves.csv", of("uis", "treat_site")), AJ_NAMES, false));
        assertEquals(72, compareCurves(bySite.resolve("cif_at_times.csv"),
                reference("aj_at_times.csv", of("uis", "treat_site")), AJ_NAMES, false));
        compareGray(bySite.resolve("cif_gray.csv"),
                reference("gray.csv", of("uis", "treat_site").and(r -> r.get("rho").equals("0"))), GRAY_NAMES);
    }

    /** Without --times: km's 30, 90, 180, 365, the first four TIMES of uis (n.event counts from the previous one). */
    @Test
    void defaultTimes() {
        Path out = cif("uis-default", resource("uis_cr.csv"), "--time", "time", "--status", "status", "--group",
                "TREAT");
        List<String> defaults = List.of("30", "90", "180", "365");
        assertEquals(24, compareCurves(out.resolve("cif_at_times.csv"), reference("aj_at_times.csv",
                of("uis", "TREAT").and(r -> defaults.contains(r.get("time")))), AJ_NAMES, false));
    }

    /**
     * codes_cr.csv: numeric group labels 9 and 10 (R's order 9, 10, not the text order), states 1, 2, 3 with 2
     * missing from group 10 and 3 from group 9 (estimate 0, lower and upper NA), a time 4.5, requested times
     * before 0, and two rows with an empty field, left out by R (na.omit) and by the command. The references are
     * in the command's layout and order.
     */
    @Test
    void codesOrderStatesAndEmptyFields() {
        Path input = resource("codes_cr.csv");
        String times = "-1,0,1,2,4.5,100";
        Path all = cif("codes-all", input, "--time", "time", "--status", "status", "--times", times);
        assertTrue(stderr.contains("left out 1 of 18 rows with an empty value in time, status"), stderr);
        Predicate<Map<String, String>> overall = r -> r.get("group").equals("all");
        Map<String, String> same = new LinkedHashMap<>();
        for (String column : CURVE_COLUMNS.subList(3, CURVE_COLUMNS.size())) {
            same.put(column, column);
        }
        assertEquals(28, compareCurves(all.resolve("cif_curves.csv"), reference("cif_codes_curves.csv", overall),
                same, true));
        assertEquals(24, compareCurves(all.resolve("cif_at_times.csv"),
                reference("cif_codes_at_times.csv", overall), same, true));

        Path grouped = cif("codes-group", input, "--time", "time", "--status", "status", "--group", "group",
                "--times", times);
        assertTrue(stderr.contains("left out 2 of 18 rows with an empty value in time, status, group"), stderr);
        assertEquals(40, compareCurves(grouped.resolve("cif_curves.csv"),
                reference("cif_codes_curves.csv", overall.negate()), same, true));
        assertEquals(48, compareCurves(grouped.resolve("cif_at_times.csv"),
                reference("cif_codes_at_times.csv", overall.negate()), same, true));
        compareGray(grouped.resolve("cif_gray.csv"), reference("cif_codes_gray.csv", r -> true),
                Map.of("stat", "stat", "df", "df", "p.value", "p.value"));
    }
}
