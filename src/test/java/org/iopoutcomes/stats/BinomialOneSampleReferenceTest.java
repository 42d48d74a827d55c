package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** binomial_one_sample.csv against binom.test / prop.test and the textbook intervals. */
class BinomialOneSampleReferenceTest {

    @TestFactory
    Stream<DynamicTest> cases() {
        List<Map<String, String>> rows = Reference.rows("binomial_one_sample.csv");
        assertEquals(10, rows.size(), "reference rows checked");
        return rows.stream().map(row -> DynamicTest.dynamicTest(
                row.get("label") + " x=" + row.get("x") + " n=" + row.get("n") + " p0=" + row.get("p0"), () -> {
                    BinomialOneSampleResult r = BinomialOneSample.test(Long.parseLong(row.get("x")),
                            Long.parseLong(row.get("n")), Double.parseDouble(row.get("p0")));
                    check(row, r);
                }));
    }

    static void check(Map<String, String> row, BinomialOneSampleResult r) {
        assertMatches(row, "phat", r.phat());
        assertMatches(row, "p_exact_two_sided", r.exactTwoSided());
        assertMatches(row, "p_exact_less", r.exactLess());
        assertMatches(row, "p_exact_greater", r.exactGreater());
        assertMatches(row, "cp_lower", r.clopperPearson().lower());
        assertMatches(row, "cp_upper", r.clopperPearson().upper());
        assertMatches(row, "cp_onesided_upper95", r.cpOneSidedUpper95());
        assertMatches(row, "cp_onesided_lower95", r.cpOneSidedLower95());
        assertMatches(row, "wilson_lower", r.wilson().lower());
        assertMatches(row, "wilson_upper", r.wilson().upper());
        assertMatches(row, "wilson_cc_lower", r.wilsonCc().lower());
        assertMatches(row, "wilson_cc_upper", r.wilsonCc().upper());
        assertMatches(row, "prop_test_cc_lower", r.propTestCc().lower());
        assertMatches(row, "prop_test_cc_upper", r.propTestCc().upper());
        assertMatches(row, "wald_lower", r.wald().lower());
        assertMatches(row, "wald_upper", r.wald().upper());
        assertMatches(row, "agresti_coull_lower", r.agrestiCoull().lower());
        assertMatches(row, "agresti_coull_upper", r.agrestiCoull().upper());
        assertMatches(row, "score_chisq", r.scoreChisq());
        assertMatches(row, "score_p_two_sided", r.scoreP());
        assertMatches(row, "score_cc_chisq", r.scoreCcChisq());
        assertMatches(row, "score_cc_p_two_sided", r.scoreCcP());
    }
}
