package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** logrank.csv and logrank_groups.csv against survdiff(rho = 0 and 1). */
class LogRankReferenceTest {

    static LogRankResult run(String dataset, String timeCol, String eventCol, String groupCol, double rho) {
        double[] time = Reference.column(dataset + ".csv", timeCol);
        double[] event = Reference.column(dataset + ".csv", eventCol);
        String[] group = Reference.textColumn(dataset + ".csv", groupCol);
        Map<String, List<TimeCounts>> counts = new TreeMap<>();
        for (int i = 0; i < time.length; i++) {
            counts.computeIfAbsent(groupCol + "=" + group[i], g -> new ArrayList<>())
                    .add(new TimeCounts(time[i], (long) event[i], 1 - (long) event[i]));
        }
        return LogRank.test(counts, rho);
    }

    static LogRankResult run(Map<String, String> row) {
        return run(row.get("dataset"), row.get("time_col"), row.get("event_col"), row.get("group_col"),
                Double.parseDouble(row.get("rho")));
    }

    @TestFactory
    Stream<DynamicTest> tests() {
        List<Map<String, String>> rows = Reference.rows("logrank.csv");
        assertEquals(6, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.get("dataset") + " rho=" + row.get("rho"), () -> {
            LogRankResult r = run(row);
            assertMatches(row, "chisq", r.chisq());
            assertMatches(row, "df", r.df());
            assertMatches(row, "p", r.p());
            assertMatches(row, "z_first_group", r.zFirstGroup());
        }));
    }

    @TestFactory
    Stream<DynamicTest> groups() {
        List<Map<String, String>> rows = Reference.rows("logrank_groups.csv");
        assertEquals(12, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(
                row.get("dataset") + " rho=" + row.get("rho") + " " + row.get("strata"), () -> {
                    LogRankGroup g = run(row).groups().stream()
                            .filter(x -> x.group().equals(row.get("strata"))).findFirst().orElseThrow();
                    assertMatches(row, "n", g.n());
                    assertMatches(row, "observed", g.observed());
                    assertMatches(row, "expected", g.expected());
                    assertMatches(row, "var_diag", g.varDiag());
                }));
    }

    @Test
    void threeGroupsUseTheFullQuadraticForm() {
        // R 4.2.2, survival 3.5-3: sprintf("%.17g", survdiff(Surv(time, event) ~ celltype, veteran)$chisq)
        LogRankResult r = run("veteran", "time", "event", "celltype", 0);
        assertEquals(3, r.df());
        Reference.assertMatches("chisq", "25.403700345785399", r.chisq());
    }

    @Test
    void petoPetoWithFourGroups() {
        // s <- survdiff(Surv(time, event) ~ celltype, veteran, rho = 1); sprintf("%.17g", c(s$chisq, s$obs,
        // s$exp, diag(s$var))); groups in factor order adeno, large, smallcell, squamous
        LogRankResult r = run("veteran", "time", "event", "celltype", 1);
        Reference.assertMatches("chisq", "19.709622458061492", r.chisq());
        String[] observed = {"16.065991320283661", "9.5623123722492682", "28.425433149340261", "13.390472642596814"};
        String[] expected = {"10.806772281000956", "17.480413289935434", "19.005914349526414", "20.151109564007196"};
        String[] variance = {"6.5465434011508066", "8.2847116728364316", "9.5141437282499304", "9.047119658041991"};
        for (int g = 0; g < 4; g++) {
            LogRankGroup group = r.groups().get(g);
            Reference.assertMatches(group.group() + " observed", observed[g], group.observed());
            Reference.assertMatches(group.group() + " expected", expected[g], group.expected());
            Reference.assertMatches(group.group() + " var", variance[g], group.varDiag());
        }
    }
}
