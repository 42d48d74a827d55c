package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.iopoutcomes.cli.stats.FlatCsv;
import org.iopoutcomes.stats.Na;
import org.iopoutcomes.stats.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs `outcomes stats ...` on the reference data CSVs and compares the written files with the reference rows:
 * every reference column the command computes, at the same tolerance as the unit tests.
 */
class StatsCommandEndToEndTest {
    /** Reference columns the command deliberately does not write (outside the acceptance bar). */
    private static final Set<String> NOT_COMPUTED = Set.of("fisher_or_cmle", "fisher_or_lower95", "fisher_or_upper95",
            "or_profile_lower95", "or_profile_upper95");
    /** Iteration counts are outside the bar: written, not compared. */
    private static final Set<String> NOT_COMPARED = Set.of("iter");

    @TempDir
    Path out;

    private static String data(String file) {
        return Reference.path("data/" + file).toString();
    }

    private void run(String... args) {
        assertEquals(0, OutcomesCli.execute(args), "exit code of " + String.join(" ", args));
    }

    /**
     * Compares the reference rows selected by {@code which} with the written file; rows are matched on the key
     * columns. Returns the number of rows compared.
     */
    static int compare(String referenceFile, Path written, Predicate<Map<String, String>> which, List<String> keys) {
        List<Map<String, String>> expected = Reference.rows(referenceFile).stream().filter(which).toList();
        assertTrue(!expected.isEmpty(), "no reference rows selected from " + referenceFile);
        FlatCsv actualCsv = FlatCsv.read(written);
        Map<String, Map<String, String>> actual = new HashMap<>();
        for (int r = 0; r < actualCsv.size(); r++) {
            Map<String, String> row = new HashMap<>();
            for (String column : actualCsv.header()) {
                row.put(column, actualCsv.value(r, column));
            }
            actual.put(key(row, keys), row);
        }
        for (Map<String, String> e : expected) {
            Map<String, String> a = actual.get(key(e, keys));
            assertNotNull(a, written.getFileName() + " has no row " + key(e, keys));
            for (var cell : e.entrySet()) {
                String column = cell.getKey();
                if (keys.contains(column) || NOT_COMPUTED.contains(column) || NOT_COMPARED.contains(column)) {
                    continue;
                }
                assertTrue(a.containsKey(column), written.getFileName() + " lacks column " + column);
                String what = written.getFileName() + " " + key(e, keys) + " " + column;
                if (isNumeric(cell.getValue())) {
                    Reference.assertMatches(what, cell.getValue(), parse(a.get(column)));
                } else {
                    assertEquals(cell.getValue(), a.get(column), what);
                }
            }
        }
        return expected.size();
    }

    private static String key(Map<String, String> row, List<String> keys) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            String value = row.get(k);
            // numeric keys (times) compare as numbers: "1" and "1.0" are the same time
            parts.add(isNumeric(value) && !value.isEmpty() ? Double.toString(Double.parseDouble(value)) : value);
        }
        return String.join("|", parts);
    }

    private static boolean isNumeric(String text) {
        if (text.isEmpty()) {
            return true;
        }
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double parse(String text) {
        return text.isEmpty() ? Na.NA : Double.parseDouble(text);
    }

    @Test
    void kmWithGroupsIncludingNaInfinityAndNaN() {
        run("stats", "km", "--input", data("tiny_ties.csv"), "--time", "time", "--event", "event", "--group", "group",
                "--times", "2,3,5,8,10", "--out", out.toString());
        Predicate<Map<String, String>> tinyByGroup = r -> r.get("dataset").equals("tiny_ties")
                && r.get("group_col").equals("group");
        assertEquals(18, compare("km_curves.csv", out.resolve("km_curves.csv"), tinyByGroup,
                List.of("dataset", "strata", "time")));
        assertEquals(10, compare("km_at_times.csv", out.resolve("km_at_times.csv"), tinyByGroup,
                List.of("dataset", "strata", "t")));
        assertEquals(2, compare("km_median.csv", out.resolve("km_median.csv"), tinyByGroup,
                List.of("dataset", "strata")));
    }

    @Test
    void kmSingleCurve() {
        run("stats", "km", "--input", data("veteran.csv"), "--time", "time", "--event", "event", "--out",
                out.toString());
        Predicate<Map<String, String>> all = r -> r.get("dataset").equals("veteran") && r.get("strata").equals("all");
        assertEquals(101, compare("km_curves.csv", out.resolve("km_curves.csv"), all, List.of("dataset", "strata", "time")));
        assertEquals(4, compare("km_at_times.csv", out.resolve("km_at_times.csv"), all, List.of("dataset", "strata", "t")));
        assertEquals(1, compare("km_median.csv", out.resolve("km_median.csv"), all, List.of("dataset", "strata")));
    }

    @Test
    void logrankAndPetoPeto() {
        for (String rho : List.of("0", "1")) {
            run("stats", "logrank", "--input", data("rossi.csv"), "--time", "week", "--event", "arrest", "--group",
                    "fin", "--rho", rho, "--out", out.toString());
            Predicate<Map<String, String>> rows = r -> r.get("dataset").equals("rossi") && r.get("rho").equals(rho);
            assertEquals(1, compare("logrank.csv", out.resolve("logrank.csv"), rows, List.of("dataset", "rho")));
            assertEquals(2, compare("logrank_groups.csv", out.resolve("logrank_groups.csv"), rows,
                    List.of("dataset", "rho", "strata")));
        }
    }

    @Test
    void coxEfronAndBreslow() {
        run("stats", "cox", "--input", data("veteran.csv"), "--time", "time", "--event", "event", "--covariates",
                "trt_test,celltype_smallcell,celltype_adeno,celltype_large,karno,diagtime,age,prior_yes",
                "--ties", "both", "--model", "full", "--out", out.toString());
        Predicate<Map<String, String>> rows = r -> r.get("dataset").equals("veteran") && r.get("model").equals("full");
        assertEquals(16, compare("cox_coef.csv", out.resolve("cox_coef.csv"), rows,
                List.of("dataset", "model", "ties", "term")));
        assertEquals(2, compare("cox_fit.csv", out.resolve("cox_fit.csv"), rows, List.of("dataset", "model", "ties")));
    }

    @Test
    void logistic() {
        run("stats", "logistic", "--input", data("infert.csv"), "--outcome", "case", "--covariates",
                "spontaneous,induced", "--model", "case_spont_induced", "--out", out.toString());
        Predicate<Map<String, String>> rows = r -> r.get("dataset").equals("infert");
        assertEquals(3, compare("logistic_coef.csv", out.resolve("logistic_coef.csv"), rows,
                List.of("dataset", "model", "term")));
        assertEquals(1, compare("logistic_fit.csv", out.resolve("logistic_fit.csv"), rows, List.of("dataset", "model")));
    }

    @Test
    void binomialEdgeCaseXZero() {
        run("stats", "binomial", "--x", "0", "--n", "15", "--p0", "0.5", "--label", "fixed case", "--out",
                out.toString());
        assertEquals(1, compare("binomial_one_sample.csv", out.resolve("binomial_one_sample.csv"),
                r -> r.get("x").equals("0") && r.get("n").equals("15"), List.of("label", "x", "n")));
    }

    @Test
    void twoByTwoZeroCell() {
        run("stats", "twobytwo", "--a", "0", "--b", "10", "--c", "5", "--d", "5", "--table-id", "T4_zero_cell",
                "--out", out.toString());
        assertEquals(1, compare("two_by_two.csv", out.resolve("two_by_two.csv"),
                r -> r.get("table_id").equals("T4_zero_cell"), List.of("table_id")));
    }

    @Test
    void coxClusteredRobustSe() throws Exception {
        // rossi with cl = ceiling(id / 3); R numbers and call in org.iopoutcomes.stats.CoxRobustTest
        List<String> lines = Files.readAllLines(Reference.path("data/rossi.csv"));
        List<String> withCluster = new ArrayList<>();
        withCluster.add(lines.get(0) + ",cl");
        for (String line : lines.subList(1, lines.size())) {
            long id = Long.parseLong(line.substring(0, line.indexOf(',')));
            withCluster.add(line + "," + (id + 2) / 3);
        }
        Path input = out.resolve("rossi.csv");
        Files.write(input, withCluster);
        run("stats", "cox", "--input", input.toString(), "--time", "week", "--event", "arrest", "--covariates",
                "fin,age,race_other,wexp,mar_notmarried,paro,prio", "--cluster", "cl", "--out",
                out.resolve("robust").toString());
        FlatCsv coef = FlatCsv.read(out.resolve("robust/cox_coef.csv"));
        assertEquals("fin", coef.value(0, "term"));
        Reference.assertMatches("robust se fin", "0.19505502830123372", Double.parseDouble(coef.value(0, "se")));
        Reference.assertMatches("naive se fin", "0.19137948071280916", Double.parseDouble(coef.value(0, "naive_se")));
        FlatCsv fit = FlatCsv.read(out.resolve("robust/cox_fit.csv"));
        Reference.assertMatches("robust wald", "27.754620400155247", Double.parseDouble(fit.value(0, "wald")));
        assertEquals("144", fit.value(0, "n_clusters"));
    }

    @Test
    void padjustAllMethods() throws Exception {
        Path input = out.resolve("p.csv");
        Files.copy(Reference.path("p_adjust.csv"), input);
        run("stats", "padjust", "--input", input.toString(), "--p", "p", "--method", "all", "--out",
                out.resolve("result").toString());
        assertEquals(27, compare("p_adjust.csv", out.resolve("result/p_adjust.csv"), r -> true, List.of("index")));
    }
}
