package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * two_by_two.csv against chisq.test, fisher.test and epitools. fisher_or_cmle and its CI are outside the bar
 * (R finds them by a coarse root search) and are not computed.
 */
class TwoByTwoReferenceTest {

    @TestFactory
    Stream<DynamicTest> tables() {
        List<Map<String, String>> rows = Reference.rows("two_by_two.csv");
        assertEquals(5, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.get("table_id"), () -> {
            TwoByTwoResult r = TwoByTwo.analyse(Long.parseLong(row.get("a")), Long.parseLong(row.get("b")),
                    Long.parseLong(row.get("c")), Long.parseLong(row.get("d")));
            check(row, r);
        }));
    }

    static void check(Map<String, String> row, TwoByTwoResult r) {
        assertMatches(row, "risk_exposed", r.riskExposed());
        assertMatches(row, "risk_unexposed", r.riskUnexposed());
        assertMatches(row, "min_expected", r.minExpected());
        assertMatches(row, "chisq", r.chisq());
        assertMatches(row, "chisq_p", r.chisqP());
        assertMatches(row, "chisq_yates", r.chisqYates());
        assertMatches(row, "chisq_yates_p", r.chisqYatesP());
        assertMatches(row, "fisher_p_two_sided", r.fisherTwoSided());
        assertMatches(row, "fisher_p_less", r.fisherLess());
        assertMatches(row, "fisher_p_greater", r.fisherGreater());
        assertMatches(row, "midp_exact_p_two_sided", r.midpTwoSided());
        assertMatches(row, "rr", r.rr());
        assertMatches(row, "rr_lower95", r.rrCi().lower());
        assertMatches(row, "rr_upper95", r.rrCi().upper());
        assertMatches(row, "or", r.or());
        assertMatches(row, "or_lower95", r.orCi().lower());
        assertMatches(row, "or_upper95", r.orCi().upper());
        assertMatches(row, "se_log_rr", r.seLogRr());
        assertMatches(row, "se_log_or", r.seLogOr());
        assertMatches(row, "rr_ha", r.rrHa());
        assertMatches(row, "rr_ha_lower95", r.rrHaCi().lower());
        assertMatches(row, "rr_ha_upper95", r.rrHaCi().upper());
        assertMatches(row, "or_ha", r.orHa());
        assertMatches(row, "or_ha_lower95", r.orHaCi().lower());
        assertMatches(row, "or_ha_upper95", r.orHaCi().upper());
        assertMatches(row, "rd", r.rd());
        assertMatches(row, "rd_lower95", r.rdCi().lower());
        assertMatches(row, "rd_upper95", r.rdCi().upper());
    }
}
