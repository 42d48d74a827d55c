package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * What the death hazard and the recoveries do to the estimate of today (1 - Kaplan-Meier of the first relapse the
 * tables record, censored at the last known-status contact; PlantedEffectsTest and PlantedDeathsAndRecoveriesTest
 * show the tables record exactly this), computed from the simulator without Spark. Acceptance 2 of issue 14: the
 * generator can plant a death hazard that puts 1 - KM at 365 days at least 4 standard errors above the true
 * P(relapse by 365 days, before death).
 */
class PlantedCompetingRisksTest {
    /** 1 - KM at {@code horizon} with its Greenwood standard error (R survival's std.err), events before censorings. */
    record Estimate(double value, double se, double truth, int episodes) {
        double z() {
            return (value - truth) / se;
        }
    }

    /** Today's estimate over the discharged IOP episodes, and the truth the {@code truthOf} function gives. */
    static Estimate todaysEstimate(GeneratorSettings settings, java.util.function.ToDoubleFunction<History.Episode> truthOf) {
        Calibration calibration = Calibration.calibrate(settings);
        ParticipantSimulator sim = new ParticipantSimulator(settings, calibration.scales);
        History h = new History();
        List<int[]> data = new ArrayList<>();
        double truth = 0;
        for (long i = 0; i < settings.participants; i++) {
            sim.simulate(i, h);
            for (History.Episode e : h.episodes) {
                if (e.level == ParticipantSimulator.IOP && e.discharged()) {
                    truth += truthOf.applyAsDouble(e);
                    data.add(e.relapseRecorded ? new int[] {e.recordedRelapseDay, 1} : new int[] {e.lastContactDay, 0});
                }
            }
        }
        data.sort(Comparator.<int[]>comparingInt(a -> a[0]).thenComparingInt(a -> -a[1]));
        double survival = 1;
        double greenwood = 0;
        int atRisk = data.size();
        for (int i = 0; i < data.size() && data.get(i)[0] <= 365; ) {
            int t = data.get(i)[0];
            int events = 0;
            int leaving = 0;
            while (i < data.size() && data.get(i)[0] == t) {
                events += data.get(i)[1];
                leaving++;
                i++;
            }
            if (events > 0) {
                survival *= 1 - events / (double) atRisk;
                greenwood += events / ((double) atRisk * (atRisk - events));
            }
            atRisk -= leaving;
        }
        return new Estimate(1 - survival, survival * Math.sqrt(greenwood), truth / data.size(), data.size());
    }

    @Test
    void theIndividualCumulativeIncidenceOfRelapseBeforeDeath() {
        // no death: 1 - S(365) = 1 - exp(-c)
        assertEquals(-Math.expm1(-0.7), ParticipantSimulator.relapseBeforeDeath(365, 0.7, 0.8, 0, 0.3), 1e-9);
        assertEquals(-Math.expm1(-0.7), ParticipantSimulator.relapseBeforeDeath(365, 0.7, 2.5, 0, 0.3), 1e-9);
        // exponential relapse (shape 1, rate a) and death (rate l, share s overdose): (a + l s) / (a + l) (1 - e^-(a+l)H)
        double a = 0.7 / 365;
        double l = 1.0 / 365;
        for (double s : new double[] {0, 0.3, 1}) {
            assertEquals((a + l * s) / (a + l) * -Math.expm1(-(a + l) * 365),
                    ParticipantSimulator.relapseBeforeDeath(365, 0.7, 1.0, l, s), 1e-9);
        }
        // Weibull relapse, death only from other causes: against a fine midpoint sum of int h(t) S(t) e^-lt dt
        double c = 0.9;
        double k = 0.8;
        double sum = 0;
        int n = 2_000_000;
        for (int i = 0; i < n; i++) {
            double t0 = 365.0 * i / n;
            double t1 = 365.0 * (i + 1) / n;
            double relapse = Math.exp(-c * Math.pow(t0 / 365, k)) - Math.exp(-c * Math.pow(t1 / 365, k));
            sum += relapse * Math.exp(-l * 0.5 * (t0 + t1));
        }
        assertEquals(sum, ParticipantSimulator.relapseBeforeDeath(365, c, k, l, 0), 1e-6);
    }

    @Test
    void aLargeDeathHazardPutsTodaysEstimateFourStandardErrorsAboveTheTruth() {
        // The parameters docs/generator.md states: 3,000 participants, the default seed, a death hazard of 1 per year,
        // 10% of deaths overdoses. Today's estimator censors the deaths, so it estimates the net relapse probability
        // (true_relapse_365); the truth is the cumulative incidence of relapse before death.
        GeneratorSettings settings = GeneratorSettings.defaults(3000, GeneratorSettings.DEFAULT_SEED).withDeaths(1.0, 0.1);
        Estimate withDeaths = todaysEstimate(settings, e -> e.relapseBeforeDeath365);
        assertTrue(withDeaths.z() >= 4, "1 - KM " + withDeaths.value() + " (se " + withDeaths.se() + ") vs truth "
                + withDeaths.truth() + ": z = " + withDeaths.z());
        // the realized first events tell the same: the share of episodes whose first event is a relapse by day 365
        Estimate realized = todaysEstimate(settings, e -> !e.firstEventDeath && e.firstEventDay <= 365 ? 1 : 0);
        assertTrue(realized.z() >= 4, "z against the realized first events " + realized.z());
        // without deaths the same participants give an estimate that covers its truth
        Estimate without = todaysEstimate(GeneratorSettings.defaults(3000, GeneratorSettings.DEFAULT_SEED),
                e -> e.relapseBeforeDeath365);
        assertTrue(Math.abs(without.z()) < 2, "without deaths: z = " + without.z());
        System.out.printf(java.util.Locale.ROOT, "acceptance 2 (%d episodes): 1 - KM %.4f, se %.4f, truth %.4f "
                + "(realized %.4f), z %.2f; without deaths (%d episodes) 1 - KM %.4f, se %.4f, truth %.4f, z %.2f%n",
                withDeaths.episodes(), withDeaths.value(), withDeaths.se(), withDeaths.truth(), realized.truth(),
                withDeaths.z(), without.episodes(), without.value(), without.se(), without.truth(), without.z());
    }

    @Test
    void recoveriesMoveTheContinuousAbstinenceEstimateDown() {
        // the truth here is the first use by day 365, seen by a contact or not
        GeneratorSettings settings = GeneratorSettings.defaults(3000, GeneratorSettings.DEFAULT_SEED).withRecoveries(0.6);
        Estimate recovered = todaysEstimate(settings, e -> e.relapseDay <= 365 ? 1 : 0);
        assertTrue(recovered.z() <= -4, "1 - KM " + recovered.value() + " vs first use " + recovered.truth()
                + ": z = " + recovered.z());
        Estimate none = todaysEstimate(GeneratorSettings.defaults(3000, GeneratorSettings.DEFAULT_SEED),
                e -> e.relapseDay <= 365 ? 1 : 0);
        System.out.printf(java.util.Locale.ROOT, "recoveries 0.6 (%d episodes): 1 - KM %.4f, se %.4f, first use by 365 "
                + "%.4f, z %.2f; without: 1 - KM %.4f, first use %.4f%n", recovered.episodes(), recovered.value(),
                recovered.se(), recovered.truth(), recovered.z(), none.value(), none.truth());
    }

    /** With the options on, a participant they do not touch has the rows the default gives, to the byte. */
    @Test
    void aParticipantTheOptionsDoNotTouchKeepsEveryRow() {
        GeneratorSettings plain = GeneratorSettings.defaults(300, 5L);
        GeneratorSettings planted = plain.withDeaths(0.3, 0.3).withRecoveries(0.5);
        double[] scales = Calibration.calibrate(plain).scales;
        assertEquals(java.util.Arrays.toString(scales), java.util.Arrays.toString(Calibration.calibrate(planted).scales),
                "the relapse model's calibration does not depend on the options");
        ParticipantSimulator a = new ParticipantSimulator(plain, scales);
        ParticipantSimulator b = new ParticipantSimulator(planted, scales);
        History ha = new History();
        History hb = new History();
        int untouched = 0;
        int touched = 0;
        for (long i = 0; i < plain.participants; i++) {
            a.simulate(i, ha);
            b.simulate(i, hb);
            boolean diesInData = hb.deathDate >= 0 && !ha.episodes.isEmpty() && hb.deathDate != ha.deathDate;
            boolean recovery = hb.episodes.stream().anyMatch(e -> e.recoveryEndDay >= 0);
            if (diesInData || recovery) {
                touched++;
                continue;
            }
            untouched++;
            for (String table : SyntheticTables.inputTables(plain)) {
                List<Row> rowsA = new ArrayList<>();
                List<Row> rowsB = new ArrayList<>();
                SyntheticTables.emit(ha, table, rowsA);
                SyntheticTables.emit(hb, table, rowsB);
                assertEquals(rowsA, rowsB, "participant " + i + ", " + table);
            }
        }
        assertTrue(untouched > 100 && touched > 30, untouched + " untouched, " + touched + " touched");
    }
}
