package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Aalen-Johansen against R (survival 3.5-3, R 4.2.2), every row of stats/competing_risks/aj_curves.csv and
 * aj_at_times.csv (made by make_references.R there). The R calls, for each data set d and grouping g (g = 1 for
 * the overall curve):
 * <pre>
 *   fit    &lt;- survfit(Surv(time, factor(status)) ~ g, data = d)                         # pstate, std.err, lower, upper
 *   fit_ll &lt;- survfit(Surv(time, factor(status)) ~ g, data = d, conf.type = "log-log")  # lower_loglog, upper_loglog
 *   fit_pl &lt;- survfit(Surv(time, factor(status)) ~ g, data = d, conf.type = "plain")    # lower_plain, upper_plain
 *   summary(fit, times = TIMES, extend = TRUE)                                          # aj_at_times.csv
 * </pre>
 * Data sets (CompetingRisksData): tiny (tiny_cr.csv, ~ group), tiny_singular and tiny_idle (tiny plus a group
 * c without transitions), planted_deaths (~ group), uis (~ TREAT and ~ treat_site, competing events defined in
 * CompetingRisksData.uis and the folder's README). Each also ~ 1 (group "all"). Written out, the 12 fits are
 * <pre>
 *   survfit(Surv(time, factor(status)) ~ 1, data = tiny)              survfit(Surv(time, factor(status)) ~ group, data = tiny)
 *   survfit(Surv(time, factor(status)) ~ 1, data = tiny_singular)     survfit(Surv(time, factor(status)) ~ group, data = tiny_singular)
 *   survfit(Surv(time, factor(status)) ~ 1, data = tiny_idle)         survfit(Surv(time, factor(status)) ~ group, data = tiny_idle)
 *   survfit(Surv(time, factor(status)) ~ 1, data = planted)           survfit(Surv(time, factor(status)) ~ group, data = planted)
 *   survfit(Surv(time, factor(status)) ~ 1, data = uis)               survfit(Surv(time, factor(status)) ~ TREAT, data = uis)
 *   survfit(Surv(time, factor(status)) ~ treat_site, data = uis)
 * </pre>
 * each also with conf.type = "log-log" and "plain" for the other interval columns.
 */
class AalenJohansenTest {

    /** TIMES of the summary call per data set, as in make_references.R (given here unsorted: R sorts them). */
    private static final Map<String, double[]> AT_TIMES = Map.of(
            // summary(fit, times = c(0, 0.5, 1, 2, 2.5, 5, 6, 10), extend = TRUE)
            "tiny", new double[] {10, 0, 2.5, 0.5, 1, 2, 5, 6},
            "tiny_singular", new double[] {0, 0.5, 1, 2, 2.5, 5, 6, 10},
            "tiny_idle", new double[] {0, 0.5, 1, 2, 2.5, 5, 6, 10},
            // summary(fit, times = c(0, 30, 90, 180, 365, 400), extend = TRUE)
            "planted_deaths", new double[] {400, 365, 180, 90, 30, 0},
            // summary(fit, times = c(30, 90, 180, 365, 730, 1200), extend = TRUE)
            "uis", new double[] {30, 90, 180, 365, 730, 1200});

    private static final Map<String, AalenJohansen> FITS = new HashMap<>();

    /** The fit of one curve of the reference: (dataset, group_col, group); group_col empty = ~ 1. */
    static AalenJohansen fit(String dataset, String groupCol, String group) {
        return FITS.computeIfAbsent(dataset + "|" + groupCol + "|" + group, key -> {
            CompetingRisksData data = CompetingRisksData.of(dataset);
            if (groupCol.isEmpty()) {
                return AalenJohansen.fromSubjects(data.time, data.status);
            }
            // the states of every group together, as R's: fitByGroup
            Map<String, AalenJohansen> fits = AalenJohansen.fitByGroup(data.countsBy(groupCol));
            AalenJohansen fit = fits.get(group);
            if (fit == null) {
                throw new AssertionError("no group " + group + " in " + fits.keySet());
            }
            return fit;
        });
    }

    static AalenJohansen fit(Map<String, String> row) {
        return fit(row.get("dataset"), row.get("group_col"), row.get("group"));
    }

    private static String label(Map<String, String> row) {
        return row.get("dataset") + " ~" + (row.get("group_col").isEmpty() ? "1" : row.get("group_col")) + " "
                + row.get("group") + " state " + row.get("state") + " t=" + row.get("time");
    }

    private static void assertState(Map<String, String> row, AalenJohansenRow r, AalenJohansen fit) {
        int k = fit.stateLabels().indexOf(row.get("state"));
        assertTrue(k >= 0, "state " + row.get("state") + " not in " + fit.stateLabels());
        StateEstimate s = r.state(k);
        assertMatches(row, "n_risk", s.nRisk());
        assertMatches(row, "n_event", s.nEvent());
        assertMatches(row, "n_censor", r.nCensor());
        assertMatches(row, "pstate", s.estimate());
        assertMatches(row, "std_err", s.stdErr());
        assertMatches(row, "lower", s.log().lower());
        assertMatches(row, "upper", s.log().upper());
        assertMatches(row, "lower_loglog", s.logLog().lower());
        assertMatches(row, "upper_loglog", s.logLog().upper());
        assertMatches(row, "lower_plain", s.plain().lower());
        assertMatches(row, "upper_plain", s.plain().upper());
    }

    /** fit$time, fit$n.risk, fit$n.event, fit$n.censor, fit$pstate, fit$std.err, fit$lower, fit$upper. */
    @TestFactory
    Stream<DynamicTest> curveRows() {
        List<Map<String, String>> rows = CompetingRisksData.rows("aj_curves.csv");
        assertEquals(3555, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(label(row), () -> {
            AalenJohansen fit = fit(row);
            double time = Double.parseDouble(row.get("time"));
            AalenJohansenRow r = fit.rows().stream().filter(x -> x.time() == time).findFirst().orElseThrow();
            assertState(row, r, fit);
        }));
    }

    /** summary(fit, times = TIMES, extend = TRUE): $time, $n.risk, $n.event, $n.censor, $pstate, ... */
    @TestFactory
    Stream<DynamicTest> atTimesRows() {
        List<Map<String, String>> rows = CompetingRisksData.rows("aj_at_times.csv");
        assertEquals(462, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(label(row), () -> {
            AalenJohansen fit = fit(row);
            double time = Double.parseDouble(row.get("time"));
            List<AalenJohansenRow> at = fit.at(AT_TIMES.get(row.get("dataset")));
            AalenJohansenRow r = at.stream().filter(x -> x.time() == time).findFirst().orElseThrow();
            assertState(row, r, fit);
        }));
    }

    /** Every curve has exactly R's times (3 states each), and at() returns the requested times sorted. */
    @Test
    void everyCurveHasExactlyTheReferenceRows() {
        Map<String, List<Double>> expected = new LinkedHashMap<>();
        for (Map<String, String> row : CompetingRisksData.rows("aj_curves.csv")) {
            if (row.get("state").equals("1")) {
                expected.computeIfAbsent(row.get("dataset") + "|" + row.get("group_col") + "|" + row.get("group"),
                        k -> new ArrayList<>()).add(Double.parseDouble(row.get("time")));
            }
        }
        assertEquals(22, expected.size(), "curves");
        expected.forEach((key, times) -> {
            String[] part = key.split("\\|", -1);
            AalenJohansen fit = fit(part[0], part[1], part[2]);
            assertEquals(List.of("(s0)", "1", "2"), fit.stateLabels(), key);
            assertEquals(times, fit.rows().stream().map(AalenJohansenRow::time).toList(), key);
            double[] requested = AT_TIMES.get(part[0]);
            double[] sorted = requested.clone();
            Arrays.sort(sorted);
            assertArrayEquals(sorted, fit.at(requested).stream().mapToDouble(AalenJohansenRow::time).toArray());
        });
    }

    /**
     * tiny_cr.csv group a by hand: times 1, 2, 2, 2, 3, 4, 5, 5 with status 1, 1, 2, 0, 0, 2, 1, 0.
     * n = 8, 7, 4, 3, 2 at t = 1, 2, 3, 4, 5. p0 = 7/8, 7/8 * 5/7 = 5/8, 5/8, 5/8 * 2/3 = 5/12, 5/12 * 1/2 = 5/24;
     * F1 = 1/8, 1/8 + 7/8 * 1/7 = 2/8, ..., 2/8 + 5/12 * 1/2 = 11/24; F2 = 0, 1/8, ..., 1/8 + 5/8 * 1/3 = 1/3.
     * At t = 1 every influence is (e_s - (7/8, 1/8, 0)) / 8, so Var F1 = (1 (7/64)^2 + 7 (1/64)^2) = 56/4096:
     * the binomial sqrt(p (1 - p) / n) with p = 1/8, n = 8. The same numbers are in aj_curves.csv
     * (survfit(Surv(time, factor(status)) ~ group, data = tiny)).
     */
    @Test
    void tinyGroupAByHand() {
        AalenJohansen a = fit("tiny", "group", "a");
        double[][] expected = {
            // time, p0, F1, F2
            {1, 7.0 / 8, 1.0 / 8, 0},
            {2, 5.0 / 8, 2.0 / 8, 1.0 / 8},
            {3, 5.0 / 8, 2.0 / 8, 1.0 / 8},
            {4, 5.0 / 12, 2.0 / 8, 1.0 / 3},
            {5, 5.0 / 24, 11.0 / 24, 1.0 / 3},
        };
        long[] nRisk = {8, 7, 4, 3, 2};
        assertEquals(expected.length, a.rows().size());
        for (int j = 0; j < expected.length; j++) {
            AalenJohansenRow r = a.rows().get(j);
            assertEquals(expected[j][0], r.time());
            assertEquals(nRisk[j], r.nRisk());
            for (int k = 0; k < 3; k++) {
                assertEquals(expected[j][k + 1], r.state(k).estimate(), 1e-15, "t=" + r.time() + " state " + k);
            }
        }
        assertEquals(Math.sqrt(56) / 64, a.rows().get(0).state(1).stdErr(), 1e-15);
        assertEquals(Math.sqrt(56) / 64, a.rows().get(0).initial().stdErr(), 1e-15);
        assertEquals(0.0, a.rows().get(0).state(2).stdErr());
        // no transition into state 2 yet: p = 0, and R's log and log-log intervals are NA, plain is (0, 0)
        assertTrue(Na.isNa(a.rows().get(0).state(2).log().lower()));
        assertEquals(new Interval(0, 0), a.rows().get(0).state(2).plain());
    }

    /** The per-subject factory reduces to counts first: the same fit as from the counts, in any order. */
    @Test
    void subjectsReduceToCounts() {
        CompetingRisksData uis = CompetingRisksData.of("uis");
        AalenJohansen fromSubjects = AalenJohansen.fromSubjects(uis.time, uis.status);
        List<StatusCount> counts = new ArrayList<>(AalenJohansen.countsOf(uis.time, uis.status));
        assertTrue(counts.size() < uis.time.length, "ties are pooled");
        Collections.reverse(counts);
        // split one cell in two: the counts add up
        StatusCount first = counts.remove(0);
        if (first.count() > 1) {
            counts.add(new StatusCount(first.time(), first.status(), 1));
            counts.add(new StatusCount(first.time(), first.status(), first.count() - 1));
        } else {
            counts.add(first);
        }
        assertEquals(fromSubjects.rows(), AalenJohansen.fit(counts).rows());
        assertEquals(uis.time.length, fromSubjects.n());
    }

    /**
     * uis_cr.csv, the file make_references.R writes for the stats cif command (R's own uis data frame), holds
     * exactly the competing events CompetingRisksData.uis derives from ../real/uis.csv, row by row.
     */
    @Test
    void uisFileOfTheCifCommandIsTheDerivedData() {
        CompetingRisksData uis = CompetingRisksData.of("uis");
        List<Map<String, String>> rows = CompetingRisksData.rows("uis_cr.csv");
        assertEquals(uis.time.length, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            assertEquals(uis.time[i], Double.parseDouble(row.get("time")), "row " + (i + 1));
            assertEquals(uis.status[i], Integer.parseInt(row.get("status")), "row " + (i + 1));
            assertEquals(uis.groups.get("TREAT")[i], row.get("TREAT"), "row " + (i + 1));
            assertEquals(uis.groups.get("treat_site")[i], row.get("treat_site"), "row " + (i + 1));
        }
    }

    @Test
    void rejectsWhatRWouldNotStartAtZero() {
        List<StatusCount> negative = List.of(new StatusCount(-1, 1, 1), new StatusCount(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> AalenJohansen.fit(negative));
        List<StatusCount> unknownState = List.of(new StatusCount(1, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> AalenJohansen.fit(unknownState, new int[] {1, 2}, 1.96));
        assertThrows(IllegalArgumentException.class, () -> new StatusCount(1, -1, 1));
    }

    /** The probabilities of the K + 1 states add up to 1 at every time (UIS by TREAT). */
    @Test
    void statesAddUpToOne() {
        for (String group : List.of("0", "1")) {
            for (AalenJohansenRow r : fit("uis", "TREAT", group).rows()) {
                double sum = r.states().stream().mapToDouble(StateEstimate::estimate).sum();
                assertEquals(1.0, sum, 1e-12);
            }
        }
    }
}
