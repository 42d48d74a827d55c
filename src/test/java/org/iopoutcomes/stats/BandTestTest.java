package org.iopoutcomes.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BandTest}: a cumulative incidence's CI and its one-sided p-values against each band edge from one estimate,
 * standard error and scale, against R 4.2.2 with survival 3.5-3. R has no function for these p-values; each is
 * computed in R from summary.survfit's estimate and std.err with the scale's transform, as written above each test,
 * and R's own interval (lower, upper) of the same fit checks that the scale is the one of the CI. Every R session
 * starts with {@code library(survival); options(digits = 17)}.
 */
class BandTestTest {
    /** Estimates and intervals: R's arithmetic is the same, to rounding. */
    private static final double ESTIMATE_TOLERANCE = 1e-14;
    /** z statistics and p-values: relative, as the normal tail's implementations differ (R's pnorm, Commons Math). */
    private static final double RELATIVE_TOLERANCE = 1e-12;

    /**
     * KM1: 60 episodes, 21 relapses, followed to day 400. In R:
     * <pre>
     * d &lt;- data.frame(time = c(rep(30, 6), rep(60, 4), rep(90, 5), rep(120, 3), rep(200, 7), rep(250, 4),
     *                          rep(365, 3), rep(365, 7), rep(400, 21)),
     *                 status = c(rep(1, 6), rep(0, 4), rep(1, 5), rep(0, 3), rep(1, 7), rep(0, 4),
     *                            rep(1, 3), rep(0, 7), rep(0, 21)))
     * </pre>
     */
    private static final List<TimeCounts> KM1 = List.of(new TimeCounts(30, 6, 0), new TimeCounts(60, 0, 4),
            new TimeCounts(90, 5, 0), new TimeCounts(120, 0, 3), new TimeCounts(200, 7, 0), new TimeCounts(250, 0, 4),
            new TimeCounts(365, 3, 7), new TimeCounts(400, 0, 21));

    /**
     * Log on S (R's default for a Kaplan-Meier curve), band 0.40-0.60 and 0.20-0.30:
     * <pre>
     * s &lt;- summary(survfit(Surv(time, status) ~ 1, data = d), times = 365)
     * F &lt;- 1 - s$surv; se &lt;- s$std.err                     # 0.39032258064516123, 0.067595054081712402
     * c(1 - s$upper, 1 - s$lower)                            # 0.24234238769350858, 0.50940035494448199
     * zb &lt;- (log(s$surv) - log(1 - 0.40)) / (se / s$surv)   # 0.14431598514741106
     * za &lt;- (log(1 - 0.60) - log(s$surv)) / (se / s$surv)   # -3.8014314961577966
     * pnorm(-zb); pnorm(-za)                                 # 0.44262547805967861, 0.9999280687422144
     * zb &lt;- (log(s$surv) - log(1 - 0.20)) / (se / s$surv)   # -2.4504487636910044 (pnorm(-zb) 0.99286608665669773)
     * za &lt;- (log(1 - 0.30) - log(s$surv)) / (se / s$surv)   # 1.2460548037459049 (pnorm(-za) 0.10637213798693637)
     * </pre>
     */
    @Test
    void kaplanMeierLogOnSurvivalEqualsR() {
        SurvivalAtTime at = KaplanMeier.fit(KM1).at(365);
        assertEquals(0.39032258064516123, at.cumIncidence(), ESTIMATE_TOLERANCE);
        assertEquals(0.067595054081712402, at.seSurv(), ESTIMATE_TOLERANCE);
        BandTestResult r = BandTest.test(at.cumIncidence(), at.seSurv(), IncidenceScale.LOG_SURVIVAL, 0.40, 0.60);
        assertEquals(0.24234238769350858, r.ci().lower(), ESTIMATE_TOLERANCE);
        assertEquals(0.50940035494448199, r.ci().upper(), ESTIMATE_TOLERANCE);
        assertRelative(0.14431598514741106, r.zBelow());
        assertRelative(0.44262547805967861, r.pBelow());
        assertRelative(-3.8014314961577966, r.zAbove());
        assertRelative(0.9999280687422144, r.pAbove());
        // the interval is the one relapse_summary published before: 1 minus R's log interval of S
        assertEquals(at.cumIncidenceLog().lower(), r.ci().lower(), 1e-15);
        assertEquals(at.cumIncidenceLog().upper(), r.ci().upper(), 1e-15);

        BandTestResult narrow = BandTest.test(at.cumIncidence(), at.seSurv(), IncidenceScale.LOG_SURVIVAL, 0.20,
                0.30);
        assertRelative(-2.4504487636910044, narrow.zBelow());
        assertRelative(0.99286608665669773, narrow.pBelow());
        assertRelative(1.2460548037459049, narrow.zAbove());
        assertRelative(0.10637213798693637, narrow.pAbove());
        assertEquals(r.ci(), narrow.ci(), "the interval does not depend on the band");
    }

    /**
     * The other scales on KM1's estimate at 365 days, band 0.40-0.60:
     * <pre>
     * for (ct in c("log-log", "plain")) {
     *   s2 &lt;- summary(survfit(Surv(time, status) ~ 1, data = d, conf.type = ct), times = 365)
     *   print(c(1 - s2$upper, 1 - s2$lower))
     * }   # log-log: 0.27309327010275442, 0.53590432160726764; plain: 0.25783870911196782, 0.52280645217835464
     * S &lt;- s$surv; seh &lt;- se / (S * abs(log(S)))                                  # log-log on S
     * zb &lt;- (log(-log(1 - 0.40)) - log(-log(S))) / seh                             # 0.14203184088221185
     * za &lt;- (log(-log(S)) - log(-log(1 - 0.60))) / seh                             # -2.7498480881355847
     * pnorm(-zb); pnorm(-za)                                                       # 0.44352742762241704, 0.99701885505632737
     * zb &lt;- (0.40 - F) / se; za &lt;- (F - 0.60) / se                                 # plain: 0.14316756582723086, -3.1019639262566434
     * pnorm(-zb); pnorm(-za)                                                       # 0.44307892231257318, 0.99903879308375065
     * </pre>
     */
    @Test
    void logLogAndPlainScalesEqualR() {
        SurvivalAtTime at = KaplanMeier.fit(KM1).at(365);
        BandTestResult logLog = BandTest.test(at.cumIncidence(), at.seSurv(),
                new IncidenceScale(ConfType.LOG_LOG, true), 0.40, 0.60);
        assertEquals(0.27309327010275442, logLog.ci().lower(), ESTIMATE_TOLERANCE);
        assertEquals(0.53590432160726764, logLog.ci().upper(), ESTIMATE_TOLERANCE);
        assertRelative(0.14203184088221185, logLog.zBelow());
        assertRelative(0.44352742762241704, logLog.pBelow());
        assertRelative(-2.7498480881355847, logLog.zAbove());
        assertRelative(0.99701885505632737, logLog.pAbove());

        BandTestResult plain = BandTest.test(at.cumIncidence(), at.seSurv(), IncidenceScale.PLAIN, 0.40, 0.60);
        assertEquals(0.25783870911196782, plain.ci().lower(), ESTIMATE_TOLERANCE);
        assertEquals(0.52280645217835464, plain.ci().upper(), ESTIMATE_TOLERANCE);
        assertRelative(0.14316756582723086, plain.zBelow());
        assertRelative(0.44307892231257318, plain.pBelow());
        assertRelative(-3.1019639262566434, plain.zAbove());
        assertRelative(0.99903879308375065, plain.pAbove());
        // plain is the same on S and on F
        assertEquals(IncidenceScale.PLAIN, new IncidenceScale(ConfType.PLAIN, true));
    }

    /**
     * KM2: 200 episodes, far below the band (a p-value deep in the tail):
     * <pre>
     * d &lt;- data.frame(time = c(rep(20, 10), rep(45, 15), rep(100, 10), rep(150, 20), rep(300, 5), rep(365, 10),
     *                          rep(500, 130)),
     *                 status = c(rep(1, 10), rep(0, 15), rep(1, 10), rep(0, 20), rep(1, 5), rep(1, 2), rep(0, 8),
     *                            rep(0, 130)))
     * s &lt;- summary(survfit(Surv(time, status) ~ 1, data = d), times = 365)
     * F &lt;- 1 - s$surv; se &lt;- s$std.err                       # 0.14752709359605898, 0.026403321301146334
     * c(1 - s$upper, 1 - s$lower)                              # 0.094174528286592896, 0.19773722549645278
     * zb &lt;- (log(s$surv) - log(1 - 0.40)) / (se / s$surv)     # 11.339426457142872
     * za &lt;- (log(1 - 0.60) - log(s$surv)) / (se / s$surv)     # -24.430507507591937
     * pnorm(-zb); pnorm(-za)                                   # 4.1845574597075504e-30, 1
     * </pre>
     */
    @Test
    void farBelowTheBandTheTailKeepsItsDigits() {
        List<TimeCounts> km2 = List.of(new TimeCounts(20, 10, 0), new TimeCounts(45, 0, 15),
                new TimeCounts(100, 10, 0), new TimeCounts(150, 0, 20), new TimeCounts(300, 5, 0),
                new TimeCounts(365, 2, 8), new TimeCounts(500, 0, 130));
        SurvivalAtTime at = KaplanMeier.fit(km2).at(365);
        assertEquals(0.14752709359605898, at.cumIncidence(), ESTIMATE_TOLERANCE);
        assertEquals(0.026403321301146334, at.seSurv(), ESTIMATE_TOLERANCE);
        BandTestResult r = BandTest.test(at.cumIncidence(), at.seSurv(), IncidenceScale.LOG_SURVIVAL, 0.40, 0.60);
        assertEquals(0.094174528286592896, r.ci().lower(), ESTIMATE_TOLERANCE);
        assertEquals(0.19773722549645278, r.ci().upper(), ESTIMATE_TOLERANCE);
        assertRelative(11.339426457142872, r.zBelow());
        assertRelative(4.1845574597075504e-30, r.pBelow());
        assertRelative(-24.430507507591937, r.zAbove());
        assertEquals(1.0, r.pAbove(), 0.0);
    }

    /**
     * Aalen-Johansen (the form that will serve the competing-risks relapse incidence): relapse (1) with death (2)
     * competing, log CI on the incidence itself, R's multi-state default:
     * <pre>
     * a &lt;- data.frame(time = c(rep(10, 4), rep(25, 3), rep(40, 5), rep(60, 2), rep(90, 6), rep(120, 3), rep(180, 7),
     *                          rep(200, 2), rep(365, 5), rep(365, 1), rep(400, 22)),
     *                 status = c(rep(1, 4), rep(2, 3), rep(0, 5), rep(2, 2), rep(1, 6), rep(0, 3), rep(1, 7),
     *                            rep(2, 2), rep(1, 5), rep(0, 1), rep(0, 22)))
     * s &lt;- summary(survfit(Surv(time, factor(status)) ~ 1, data = a), times = 365, extend = TRUE)
     * p &lt;- s$pstate[, 2]; se &lt;- s$std.err[, 2]            # 0.415822072072072, 0.068233656438691698
     * c(s$lower[, 2], s$upper[, 2])                        # 0.30146089575912471, 0.5735669138343884
     * zb &lt;- (log(0.40) - log(p)) / (se / p)               # -0.23640750301036709 (pnorm(-zb) 0.59344176268827864)
     * za &lt;- (log(p) - log(0.60)) / (se / p)               # -2.2345335282379399 (pnorm(-za) 0.98727600549619776)
     * zb &lt;- (log(0.60) - log(p)) / (se / p)               # band 0.60-0.70: 2.2345335282379399 (0.012723994503802245)
     * za &lt;- (log(p) - log(0.70)) / (se / p)               # -3.1739417095169631 (0.99924808055665104)
     * </pre>
     */
    @Test
    void aalenJohansenLogOnIncidenceEqualsR() {
        List<StatusCount> counts = List.of(new StatusCount(10, 1, 4), new StatusCount(25, 2, 3),
                new StatusCount(40, 0, 5), new StatusCount(60, 2, 2), new StatusCount(90, 1, 6),
                new StatusCount(120, 0, 3), new StatusCount(180, 1, 7), new StatusCount(200, 2, 2),
                new StatusCount(365, 1, 5), new StatusCount(365, 0, 1), new StatusCount(400, 0, 22));
        StateEstimate relapse = AalenJohansen.fit(counts).at(365).get(0).state(1);
        assertEquals(0.415822072072072, relapse.estimate(), ESTIMATE_TOLERANCE);
        assertEquals(0.068233656438691698, relapse.stdErr(), 1e-12);
        BandTestResult r = BandTest.test(relapse.estimate(), relapse.stdErr(), IncidenceScale.LOG_INCIDENCE, 0.40,
                0.60);
        assertEquals(0.30146089575912471, r.ci().lower(), 1e-12);
        assertEquals(0.5735669138343884, r.ci().upper(), 1e-12);
        // the interval the Aalen-Johansen class gives for the state (its log interval)
        assertEquals(relapse.log().lower(), r.ci().lower(), 1e-15);
        assertEquals(relapse.log().upper(), r.ci().upper(), 1e-15);
        assertRelative(-0.23640750301036709, r.zBelow(), 1e-10);
        assertRelative(0.59344176268827864, r.pBelow(), 1e-10);
        assertRelative(-2.2345335282379399, r.zAbove(), 1e-10);
        assertRelative(0.98727600549619776, r.pAbove(), 1e-10);

        BandTestResult higher = BandTest.test(relapse.estimate(), relapse.stdErr(), IncidenceScale.LOG_INCIDENCE,
                0.60, 0.70);
        assertRelative(2.2345335282379399, higher.zBelow(), 1e-10);
        assertRelative(0.012723994503802245, higher.pBelow(), 1e-10);
        assertRelative(-3.1739417095169631, higher.zAbove(), 1e-10);
        assertRelative(0.99924808055665104, higher.pAbove(), 1e-10);
        // below the 60% edge: p < 0.025 and the CI's upper limit under 0.60
        assertTrue(higher.pBelow() < 0.025 && higher.ci().upper() < 0.60);
    }

    /**
     * Where R's interval is NA (summary.survfit: log CI of S = 0; multi-state log CI of p = 0) the interval and the
     * p-values are NaN; a standard error of 0 (no event yet, S = 1) gives the point interval and p-values of 0 or 1.
     */
    @Test
    void undefinedScalesAndZeroStandardErrors() {
        BandTestResult allRelapsed = BandTest.test(1.0, Double.NaN, IncidenceScale.LOG_SURVIVAL, 0.4, 0.6);
        assertTrue(Na.isNa(allRelapsed.ci().lower()) && Na.isNa(allRelapsed.ci().upper()));
        assertTrue(Double.isNaN(allRelapsed.pBelow()) && Double.isNaN(allRelapsed.pAbove()));
        BandTestResult noTransition = BandTest.test(0.0, 0.0, IncidenceScale.LOG_INCIDENCE, 0.4, 0.6);
        assertTrue(Na.isNa(noTransition.ci().lower()));
        assertTrue(Double.isNaN(noTransition.pBelow()));

        // Kaplan-Meier before any relapse: S = 1, se 0, CI (0, 0): below the band with p 0, not above with p 1
        BandTestResult none = BandTest.test(0.0, 0.0, IncidenceScale.LOG_SURVIVAL, 0.4, 0.6);
        assertEquals(new Interval(0.0, 0.0), none.ci());
        assertEquals(0.0, none.pBelow(), 0.0);
        assertEquals(1.0, none.pAbove(), 0.0);
        // an estimate on an edge with no uncertainty: no p-value against that edge (0/0), and certainly not over
        // the other one
        BandTestResult onEdge = BandTest.test(0.4, 0.0, IncidenceScale.PLAIN, 0.4, 0.6);
        assertTrue(Double.isNaN(onEdge.pBelow()));
        assertEquals(1.0, onEdge.pAbove(), 0.0);

        assertThrows(IllegalArgumentException.class, () -> BandTest.test(0.5, 0.1, IncidenceScale.PLAIN, 0.6, 0.4));
        assertThrows(IllegalArgumentException.class, () -> BandTest.test(0.5, 0.1, IncidenceScale.PLAIN, 0.0, 0.4));
    }

    /** Each scale's transform is increasing in F and its inverse gives F back. */
    @Test
    void everyScaleIsIncreasingAndInvertible() {
        List<IncidenceScale> scales = new ArrayList<>();
        for (ConfType type : ConfType.values()) {
            scales.add(new IncidenceScale(type, true));
            scales.add(new IncidenceScale(type, false));
        }
        for (IncidenceScale scale : scales) {
            double previous = Double.NEGATIVE_INFINITY;
            for (int i = 1; i < 100; i++) {
                double f = i / 100.0;
                double h = scale.h(f);
                assertTrue(h > previous, scale + " at " + f);
                assertEquals(f, scale.inverse(h), 1e-14, scale + " at " + f);
                previous = h;
            }
        }
    }

    private static void assertRelative(double expected, double actual) {
        assertRelative(expected, actual, RELATIVE_TOLERANCE);
    }

    private static void assertRelative(double expected, double actual, double tolerance) {
        assertEquals(expected, actual, Math.abs(expected) * tolerance, "expected " + expected + ", got " + actual);
    }
}
