package org.iopoutcomes.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link TrendTest#propTrend} against R 4.2's prop.trend.test (values printed with digits = 17). */
class TrendTestReferenceTest {
    private static void assertRelative(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-9, () -> "expected " + expected + ", got " + actual);
    }

    @Test
    void decreasingProportionsWithDefaultScores() {
        // Rscript -e 'r <- prop.trend.test(c(15,10,8,4), c(40,38,41,39)); print(c(r$statistic, r$p.value), digits=17)'
        TrendTest.Result r = TrendTest.propTrend(new long[] {15, 10, 8, 4}, new long[] {40, 38, 41, 39},
                new double[] {1, 2, 3, 4});
        assertRelative(8.64641501005136, r.chisq());
        assertRelative(0.0032770552706448, r.p());
    }

    @Test
    void smallPValueKeepsItsDigits() {
        // Rscript -e 'r <- prop.trend.test(c(3,9,14,22), c(50,48,51,47)); print(c(r$statistic, r$p.value), digits=17)'
        TrendTest.Result r = TrendTest.propTrend(new long[] {3, 9, 14, 22}, new long[] {50, 48, 51, 47},
                new double[] {1, 2, 3, 4});
        assertRelative(2.2415767686037952e+01, r.chisq());
        assertRelative(2.1956405351742469e-06, r.p());
    }

    @Test
    void unevenScores() {
        // Rscript -e 'r <- prop.trend.test(c(15,10,8,4), c(40,38,41,39), score = c(0.5,1.5,3,7));
        //             print(c(r$statistic, r$p.value), digits=17)'
        TrendTest.Result r = TrendTest.propTrend(new long[] {15, 10, 8, 4}, new long[] {40, 38, 41, 39},
                new double[] {0.5, 1.5, 3, 7});
        assertRelative(7.6432846745871385608, r.chisq());
        assertRelative(0.0056984057390044827, r.p());
    }

    @Test
    void noVariationGivesNoTest() {
        TrendTest.Result r = TrendTest.propTrend(new long[] {0, 0}, new long[] {10, 12}, new double[] {1, 2});
        assertTrue(Double.isNaN(r.chisq()) && Double.isNaN(r.p()));
    }
}
