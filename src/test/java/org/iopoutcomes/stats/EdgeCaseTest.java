package org.iopoutcomes.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edge cases the reference does not cover row by row: tiny strata, no events, only events, separation, zero cells. */
class EdgeCaseTest {

    @Test
    void stratumWithOneSubjectWhoHasTheEvent() {
        KaplanMeier km = KaplanMeier.fit(List.of(new TimeCounts(7, 1, 0)));
        KaplanMeierRow row = km.rows().get(0);
        assertEquals(1, row.nRisk());
        assertEquals(0.0, row.surv());
        assertEquals(Double.POSITIVE_INFINITY, row.seCumhaz());
        assertTrue(Double.isNaN(row.seSurv()) && !Na.isNa(row.seSurv()), "se of S is NaN, as R");
        assertTrue(Na.isNa(row.log().lower()) && Na.isNa(row.log().upper()), "log CI is NA once S = 0");
        assertTrue(Na.isNa(row.logLog().lower()));
        assertTrue(Double.isNaN(row.plain().lower()) && !Na.isNa(row.plain().lower()), "plain CI is NaN, as R");
        assertEquals(7.0, km.median(ConfType.LOG).median());
        assertTrue(Na.isNa(km.median(ConfType.LOG).ci().lower()), "no CI curve exists to cross 0.5");
    }

    @Test
    void stratumWithOneCensoredSubject() {
        KaplanMeier km = KaplanMeier.fit(List.of(new TimeCounts(7, 0, 1)));
        assertEquals(1.0, km.rows().get(0).surv());
        assertTrue(Na.isNa(km.median(ConfType.LOG).median()));
        assertEquals(7.0, km.restrictedMean(7).rmean());
        assertEquals(0.0, km.restrictedMean(7).se());
    }

    @Test
    void allCensored() {
        KaplanMeier km = KaplanMeier.fit(List.of(new TimeCounts(1, 0, 2), new TimeCounts(3, 0, 1)));
        for (KaplanMeierRow row : km.rows()) {
            assertEquals(1.0, row.surv());
            assertEquals(0.0, row.seCumhaz());
            assertEquals(new Interval(1, 1), row.log());
            assertTrue(Na.isNa(row.logLog().lower()), "log-log is NA at S = 1, as R");
        }
        SurvivalAtTime at = km.at(2);
        assertEquals(1, at.nRisk());
        assertEquals(0, at.nEventCumByT());
        assertEquals(0.0, at.cumIncidence());
        assertTrue(Na.isNa(km.median(ConfType.LOG).median()));
        // log-rank with no event anywhere: nothing to test, chisq 0 and p NA
        Map<String, List<TimeCounts>> groups = new LinkedHashMap<>();
        groups.put("a", List.of(new TimeCounts(1, 0, 2)));
        groups.put("b", List.of(new TimeCounts(3, 0, 1)));
        LogRankResult lr = LogRank.test(groups, 0);
        assertEquals(0.0, lr.chisq());
        assertTrue(Na.isNa(lr.p()));
    }

    @Test
    void allEventsReachZero() {
        KaplanMeier km = KaplanMeier.fromSubjects(new double[] {1, 2, 2, 4}, new int[] {1, 1, 1, 1});
        List<KaplanMeierRow> rows = km.rows();
        assertEquals(3, rows.size());
        assertEquals(0.75, rows.get(0).surv(), 1e-15);
        assertEquals(0.25, rows.get(1).surv(), 1e-15);
        assertEquals(0.0, rows.get(2).surv());
        assertEquals(Double.POSITIVE_INFINITY, rows.get(2).seCumhaz());
        // the median is the first time S <= 0.5
        assertEquals(2.0, km.median(ConfType.LOG).median());
        SurvivalAtTime after = km.at(10);
        assertEquals(0, after.nRisk());
        assertEquals(1.0, after.cumIncidence());
        assertTrue(Na.isNa(after.cumIncidenceLog().lower()));
    }

    @Test
    void tiedEventAndCensoringAtTheSameTime() {
        // at t = 3: 10 at risk, 2 events and 1 censoring; the censored one is at risk for the events
        KaplanMeier km = KaplanMeier.fit(List.of(new TimeCounts(2, 1, 1), new TimeCounts(3, 2, 1),
                new TimeCounts(5, 1, 6)));
        KaplanMeierRow atThree = km.rows().get(1);
        assertEquals(10, atThree.nRisk());
        assertEquals((11.0 / 12) * (8.0 / 10), atThree.surv(), 1e-15);
        assertEquals(Math.sqrt(1.0 / (12 * 11) + 2.0 / (10 * 8)), atThree.seCumhaz(), 1e-15);
        assertEquals(7, km.at(4).nRisk(), "n at risk at 4 counts those with time >= 4");
    }

    @Test
    void medianMidpointWhenSEqualsHalfOverAnInterval() {
        // S = 0.5 exactly from t = 2 until the next event at t = 4: R's median is (2 + 4)/2
        KaplanMeier km = KaplanMeier.fromSubjects(new double[] {1, 2, 4, 5}, new int[] {1, 1, 1, 1});
        assertEquals(3.0, km.median(ConfType.LOG).median());
    }

    @Test
    void logisticSeparationWarnsInsteadOfFailing() {
        double[] y = {0, 0, 0, 0, 1, 1, 1, 1};
        double[][] x = {{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}};
        LogisticFit fit = LogisticRegression.fit(y, x, List.of("dose"));
        assertTrue(fit.hasWarning(), "separation must be reported");
        assertTrue(fit.warning().contains("fitted probabilities numerically 0 or 1"), fit.warning());
        assertTrue(fit.deviance() < 1e-6, "deviance goes to 0 under separation");
    }

    @Test
    void logisticOnTheExpandedTableEqualsTheTableLogOdds() {
        double[] exposed = Reference.column("twobytwo_T1_expanded.csv", "exposed");
        double[] outcome = Reference.column("twobytwo_T1_expanded.csv", "outcome");
        double[][] x = new double[exposed.length][1];
        for (int i = 0; i < exposed.length; i++) {
            x[i][0] = exposed[i];
        }
        LogisticFit fit = LogisticRegression.fit(outcome, x, List.of("exposed"));
        assertFalse(fit.hasWarning());
        TwoByTwoResult t1 = TwoByTwo.analyse(30, 20, 15, 35);
        assertEquals(Math.log(t1.or()), fit.coefficients().get(1).estimate(), 1e-12);
        assertEquals(t1.seLogOr(), fit.coefficients().get(1).se(), 1e-10);
    }

    @Test
    void zeroCellsInTwoByTwo() {
        TwoByTwoResult noExposedCases = TwoByTwo.analyse(0, 10, 5, 5);
        assertEquals(0.0, noExposedCases.or());
        assertEquals(0.0, noExposedCases.orCi().lower());
        assertTrue(Double.isNaN(noExposedCases.orCi().upper()));
        assertEquals(Double.POSITIVE_INFINITY, noExposedCases.seLogOr());
        assertTrue(noExposedCases.fisherTwoSided() > 0 && noExposedCases.fisherTwoSided() <= 1);

        TwoByTwoResult noUnexposedNonCases = TwoByTwo.analyse(5, 5, 10, 0);
        assertEquals(0.0, noUnexposedNonCases.or());
        TwoByTwoResult noUnexposedCases = TwoByTwo.analyse(5, 5, 0, 10);
        assertEquals(Double.POSITIVE_INFINITY, noUnexposedCases.or());
        assertEquals(Double.POSITIVE_INFINITY, noUnexposedCases.rr());
        assertTrue(Double.isFinite(noUnexposedCases.orHa()), "Haldane-Anscombe stays finite");
        assertTrue(Double.isFinite(noUnexposedCases.chisqYatesP()));
    }

    @Test
    void binomialExtremesStayInRange() {
        BinomialOneSampleResult none = BinomialOneSample.test(0, 1000, 0.001);
        assertEquals(0.0, none.clopperPearson().lower());
        assertTrue(none.exactTwoSided() <= 1);
        BinomialOneSampleResult all = BinomialOneSample.test(20, 20, 0.5);
        assertEquals(1.0, all.clopperPearson().upper());
        assertEquals(1.0, all.cpOneSidedUpper95());
        // a tail far below 1e-16 keeps its digits (1 - cdf would give 0): P(X >= 20 | n = 20, p = 0.05) = 0.05^20
        assertEquals(Math.pow(0.05, 20), BinomialOneSample.test(20, 20, 0.05).exactGreater(), 1e-6 * Math.pow(0.05, 20));
    }

    @Test
    void atTimesBeforeTheFirstEventFollowSummarySurvfit() {
        // R 4.2.2 / survival 3.5-3:
        // d <- data.frame(t = 1:5, e = c(0, 0, 1, 1, 0))
        // summary(survfit(Surv(t, e) ~ 1, d, conf.type = "log-log"), times = c(0.5, 1.5, 2, 3.5, 6), extend = TRUE)
        // gives (1, 1) before the first observed time, NA while S = 1 after it, and n.risk 5 4 4 2 0
        KaplanMeier km = KaplanMeier.fromSubjects(new double[] {1, 2, 3, 4, 5}, new int[] {0, 0, 1, 1, 0});
        List<SurvivalAtTime> at = km.at(0.5, 1.5, 2, 3.5, 6);
        assertEquals(List.of(5L, 4L, 4L, 2L, 0L), at.stream().map(SurvivalAtTime::nRisk).toList());
        assertEquals(new Interval(1, 1), at.get(0).logLog());
        assertTrue(Na.isNa(at.get(1).logLog().lower()) && Na.isNa(at.get(2).logLog().upper()));
        Reference.assertMatches("lower", "0.054073426786516755", at.get(3).logLog().lower());
        Reference.assertMatches("upper", "0.94520638727204698", at.get(3).logLog().upper());
        Reference.assertMatches("lower", "0.0089616283309790837", at.get(4).logLog().lower());
        Reference.assertMatches("upper", "0.77414865036083258", at.get(4).logLog().upper());
    }

    @Test
    void coxWithCollinearCovariatesIsRefusedClearly() {
        CoxSubjects collinear = new CoxSubjects(new double[] {1, 2, 3, 4}, new int[] {1, 0, 1, 1},
                new double[][] {{0, 0}, {1, 2}, {0, 0}, {1, 2}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoxRegression.fit(collinear, List.of("x", "twice_x"), CoxTies.EFRON, null));
        assertTrue(e.getMessage().contains("collinear"), e.getMessage());
    }

    @Test
    void coxWithoutEventsIsRefusedClearly() {
        CoxSubjects noEvents = new CoxSubjects(new double[] {1, 2, 3}, new int[] {0, 0, 0},
                new double[][] {{0}, {1}, {0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoxRegression.fit(noEvents, List.of("x"), CoxTies.EFRON, null));
        assertTrue(e.getMessage().contains("no events"), e.getMessage());
    }

    @Test
    void fisherOnACohortOfSixHundredThousandIsExactAndFast() {
        // R 4.2: m <- matrix(c(150000, 150210, 149800, 150100), nrow = 2, byrow = TRUE)
        //        fisher.test(m)$p.value; fisher.test(m, alternative = "less")$p.value; (... "greater")
        // The support has 299,911 tables; log binomial coefficients per table took hours on a 1M nightly run.
        long started = System.nanoTime();
        TwoByTwoResult r = TwoByTwo.analyse(150000, 150210, 149800, 150100);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0.90751099599744822, r.fisherTwoSided(), 1e-6 * 0.90751099599744822);
        assertEquals(0.54740222345186718, r.fisherLess(), 1e-6 * 0.54740222345186718);
        assertEquals(0.45464377909278825, r.fisherGreater(), 1e-6 * 0.45464377909278825);
        assertTrue(seconds < 2, "Fisher on 600,110 people took " + seconds + " s");
    }
}
