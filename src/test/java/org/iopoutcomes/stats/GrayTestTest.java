package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Gray's test against cmprsk 2.2-11 (R 4.2.2), every row of stats/competing_risks/gray.csv (make_references.R):
 * <pre>
 *   cuminc(d$time, d$status, d[[g]], rho = rho)$Tests     # stat, pv, df per state; rho = 0 is the default
 * </pre>
 * for d = tiny, tiny_singular, tiny_idle (g = "group"), planted_deaths (g = "group"), uis (g = "TREAT" and
 * "treat_site"), rho = 0 and 1; for example
 * <pre>
 *   cuminc(tiny$time, tiny$status, tiny$group)$Tests                  # rho = 0
 *   cuminc(planted$time, planted$status, planted$group, rho = 1)$Tests
 *   cuminc(uis$time, uis$status, uis$TREAT)$Tests
 *   cuminc(uis$time, uis$status, uis$treat_site)$Tests
 * </pre> tiny_singular's group c has its only subject censored before every transition:
 * the variance matrix is singular and cuminc reports stat = -1, pv = 1.
 */
class GrayTestTest {

    @TestFactory
    Stream<DynamicTest> referenceRows() {
        List<Map<String, String>> rows = CompetingRisksData.rows("gray.csv");
        assertEquals(24, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(
                row.get("dataset") + " ~" + row.get("group_col") + " rho=" + row.get("rho") + " state "
                        + row.get("state"), () -> {
                    CompetingRisksData data = CompetingRisksData.of(row.get("dataset"));
                    List<GrayTestResult> results = GrayTest.test(data.countsBy(row.get("group_col")),
                            Double.parseDouble(row.get("rho")));
                    int state = Integer.parseInt(row.get("state"));
                    GrayTestResult r = results.stream().filter(x -> x.state() == state).findFirst().orElseThrow();
                    assertMatches(row, "stat", r.stat());
                    assertMatches(row, "pv", r.pValue());
                    assertMatches(row, "df", r.df());
                    assertEquals(row.get("stat").equals("-1"), r.singular());
                }));
    }

    /** The groups' order (which group's score is left out) does not change the statistic. */
    @Test
    void groupOrderDoesNotMatter() {
        Map<String, List<StatusCount>> counts = CompetingRisksData.of("uis").countsBy("treat_site");
        Map<String, List<StatusCount>> reversed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(counts.keySet());
        Collections.reverse(names);
        names.forEach(name -> reversed.put(name, counts.get(name)));
        List<GrayTestResult> a = GrayTest.test(counts);
        List<GrayTestResult> b = GrayTest.test(reversed);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).stat(), b.get(i).stat(), 1e-9 * a.get(i).stat());
            assertFalse(a.get(i).singular());
        }
    }

    /** Empty groups are dropped, as cuminc does with unused factor levels; one group is not a test. */
    @Test
    void emptyGroupsAreLeftOut() {
        Map<String, List<StatusCount>> counts = new LinkedHashMap<>(CompetingRisksData.of("tiny").countsBy("group"));
        List<GrayTestResult> two = GrayTest.test(counts);
        counts.put("empty", List.of());
        List<GrayTestResult> withEmpty = GrayTest.test(counts);
        assertEquals(two.size(), withEmpty.size());
        for (int i = 0; i < two.size(); i++) {
            assertEquals(two.get(i).stat(), withEmpty.get(i).stat());
            assertEquals(1, withEmpty.get(i).df());
        }
        assertThrows(IllegalArgumentException.class,
                () -> GrayTest.test(Map.of("a", counts.get("a"), "empty", List.of())));
    }

    @Test
    void rankRuleOfRsQr() {
        assertFalse(GrayTest.fullRank(new double[][] {{0}}));
        assertTrue(GrayTest.fullRank(new double[][] {{1e-30}}));
        assertFalse(GrayTest.fullRank(new double[][] {{1, 2}, {2, 4}}));
        assertTrue(GrayTest.fullRank(new double[][] {{2, 1}, {1, 2}}));
        assertFalse(GrayTest.fullRank(new double[][] {{1, 0}, {0, 0}}));
    }
}
