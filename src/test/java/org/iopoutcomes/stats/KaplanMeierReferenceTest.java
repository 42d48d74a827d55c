package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every row of km_curves.csv, km_at_times.csv and km_median.csv against survfit / summary.survfit. */
class KaplanMeierReferenceTest {

    private static final Map<String, Map<String, KaplanMeier>> FITS = new HashMap<>();

    /** Curves of a data set keyed by the reference's strata label ("all" or "G=value"). */
    static Map<String, KaplanMeier> curves(String dataset, String timeCol, String eventCol, String groupCol) {
        String key = dataset + "|" + timeCol + "|" + eventCol + "|" + groupCol;
        return FITS.computeIfAbsent(key, k -> {
            double[] time = Reference.column(dataset + ".csv", timeCol);
            double[] event = Reference.column(dataset + ".csv", eventCol);
            String[] group = groupCol.isEmpty() ? null : Reference.textColumn(dataset + ".csv", groupCol);
            Map<String, List<TimeCounts>> counts = new TreeMap<>();
            for (int i = 0; i < time.length; i++) {
                String stratum = group == null ? "all" : groupCol + "=" + group[i];
                counts.computeIfAbsent(stratum, s -> new ArrayList<>())
                        .add(new TimeCounts(time[i], event[i] == 1 ? 1 : 0, event[i] == 1 ? 0 : 1));
            }
            Map<String, KaplanMeier> fits = new HashMap<>();
            counts.forEach((stratum, c) -> fits.put(stratum, KaplanMeier.fit(c)));
            return fits;
        });
    }

    static KaplanMeier curve(Map<String, String> row) {
        KaplanMeier km = curves(row.get("dataset"), row.get("time_col"), row.get("event_col"), row.get("group_col"))
                .get(row.get("strata"));
        assertNotNull(km, "no stratum " + row.get("strata"));
        return km;
    }

    static String label(Map<String, String> row) {
        return row.get("dataset") + " " + row.get("strata");
    }

    @TestFactory
    Stream<DynamicTest> curveRows() {
        List<Map<String, String>> rows = Reference.rows("km_curves.csv");
        assertEquals(363, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(label(row) + " t=" + row.get("time"), () -> {
            KaplanMeier km = curve(row);
            double time = Double.parseDouble(row.get("time"));
            KaplanMeierRow r = km.rows().stream().filter(x -> x.time() == time).findFirst().orElseThrow();
            assertMatches(row, "n_risk", r.nRisk());
            assertMatches(row, "n_event", r.nEvent());
            assertMatches(row, "n_censor", r.nCensor());
            assertMatches(row, "surv", r.surv());
            assertMatches(row, "se_cumhaz_greenwood", r.seCumhaz());
            assertMatches(row, "se_surv_greenwood", r.seSurv());
            assertMatches(row, "lower_log", r.log().lower());
            assertMatches(row, "upper_log", r.log().upper());
            assertMatches(row, "lower_loglog", r.logLog().lower());
            assertMatches(row, "upper_loglog", r.logLog().upper());
            assertMatches(row, "lower_plain", r.plain().lower());
            assertMatches(row, "upper_plain", r.plain().upper());
            assertMatches(row, "cumhaz_nelson_aalen", r.cumhaz());
            assertMatches(row, "se_cumhaz_nelson_aalen", r.seCumhazNa());
        }));
    }

    @Test
    void everyStratumHasExactlyTheReferenceRows() {
        Map<String, Integer> expected = new HashMap<>();
        for (Map<String, String> row : Reference.rows("km_curves.csv")) {
            expected.merge(row.get("dataset") + "|" + row.get("time_col") + "|" + row.get("event_col") + "|"
                    + row.get("group_col") + "|" + row.get("strata"), 1, Integer::sum);
        }
        expected.forEach((key, count) -> {
            String[] p = key.split("\\|", -1);
            assertEquals(count, curves(p[0], p[1], p[2], p[3]).get(p[4]).rows().size(), key);
        });
    }

    @TestFactory
    Stream<DynamicTest> atTimesRows() {
        List<Map<String, String>> rows = Reference.rows("km_at_times.csv");
        assertEquals(39, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(label(row) + " t=" + row.get("t"), () -> {
            SurvivalAtTime s = curve(row).at(Double.parseDouble(row.get("t")));
            assertMatches(row, "n_risk", s.nRisk());
            assertMatches(row, "n_event_cum_by_t", s.nEventCumByT());
            assertMatches(row, "surv", s.surv());
            assertMatches(row, "se_surv_greenwood", s.seSurv());
            assertMatches(row, "lower_log", s.log().lower());
            assertMatches(row, "upper_log", s.log().upper());
            assertMatches(row, "lower_loglog", s.logLog().lower());
            assertMatches(row, "upper_loglog", s.logLog().upper());
            assertMatches(row, "cum_incidence", s.cumIncidence());
            assertMatches(row, "cum_incidence_lower_log", s.cumIncidenceLog().lower());
            assertMatches(row, "cum_incidence_upper_log", s.cumIncidenceLog().upper());
        }));
    }

    @TestFactory
    Stream<DynamicTest> medianRows() {
        List<Map<String, String>> rows = Reference.rows("km_median.csv");
        assertEquals(9, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(label(row), () -> {
            KaplanMeier km = curve(row);
            double commonLimit = curves(row.get("dataset"), row.get("time_col"), row.get("event_col"), "")
                    .get("all").maxTime();
            MedianSurvival log = km.median(ConfType.LOG);
            MedianSurvival logLog = km.median(ConfType.LOG_LOG);
            RestrictedMean rmean = km.restrictedMean(commonLimit);
            assertMatches(row, "n", km.n());
            assertMatches(row, "events", km.events());
            assertMatches(row, "median", log.median());
            assertMatches(row, "median_lcl_log", log.ci().lower());
            assertMatches(row, "median_ucl_log", log.ci().upper());
            assertMatches(row, "median_lcl_loglog", logLog.ci().lower());
            assertMatches(row, "median_ucl_loglog", logLog.ci().upper());
            assertMatches(row, "rmean", rmean.rmean());
            assertMatches(row, "se_rmean", rmean.se());
            assertMatches(row, "rmean_upper_limit", rmean.upperLimit());
        }));
    }
}
