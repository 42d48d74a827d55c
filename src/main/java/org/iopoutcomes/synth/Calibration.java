package org.iopoutcomes.synth;

import java.util.Arrays;

/**
 * Sets each program's Weibull baseline scale so that the program's marginal P(T <= 365) over its discharged IOP
 * episodes is the target of {@code --relapse-365}. Runs in the driver on a fixed, seeded sample of simulated
 * participants of that program: their covariates (realized attendance rate, continuing care) do not depend on the
 * scale, so one simulation per participant and a bisection on u = (365 / scale)^shape are enough.
 */
public final class Calibration {
    /** Seed offset of the calibration sample, so it never coincides with the generated participants. */
    static final long CALIBRATION_STREAM = 0x5EED_CA11_B4A7_E000L;

    /** Weibull scale (days) per program. */
    public final double[] scales;
    /** Marginal P(T <= 365) on the calibration sample with the chosen scale (close to the target). */
    public final double[] sampleRelapse365;
    /** Discharged first IOP episodes in each program's calibration sample. */
    public final int[] sampleEpisodes;

    private Calibration(double[] scales, double[] sampleRelapse365, int[] sampleEpisodes) {
        this.scales = scales;
        this.sampleRelapse365 = sampleRelapse365;
        this.sampleEpisodes = sampleEpisodes;
    }

    public static Calibration calibrate(GeneratorSettings s) {
        double[] dummy = new double[s.programs];
        Arrays.fill(dummy, 365.0); // the covariates do not depend on the scale
        // Deaths and recoveries are left out: a death within 14 days of discharge leaves no room for the continuing-care
        // contact, and the relapse model's scale must not depend on the options that act after it.
        ParticipantSimulator sim = new ParticipantSimulator(s.withDeaths(0, s.deathOverdoseShare).withRecoveries(0), dummy);
        History h = new History();
        double[] scales = new double[s.programs];
        double[] achieved = new double[s.programs];
        int[] counts = new int[s.programs];
        for (int k = 0; k < s.programs; k++) {
            double[] risks = new double[s.calibrationSample];
            int n = 0;
            long streamSeed = ParticipantSimulator.mix(s.seed ^ CALIBRATION_STREAM, k);
            for (int j = 0; j < s.calibrationSample; j++) {
                sim.simulate(ParticipantSimulator.mix(streamSeed, j), j, k, h);
                History.Episode e = h.episodes.get(0);
                if (e.level == ParticipantSimulator.IOP && e.discharged()) {
                    risks[n++] = (e.continuingCare ? s.continuingCareHr : 1.0)
                            * Math.exp(s.attendanceLogHr * e.attendanceRate);
                }
            }
            double[] r = Arrays.copyOf(risks, n);
            double target = s.relapse365[k];
            // f(log u) = mean(1 - exp(-u r_i)) is increasing in u
            double lo = -40;
            double hi = 20;
            for (int it = 0; it < 200; it++) {
                double mid = 0.5 * (lo + hi);
                if (marginal(Math.exp(mid), r) < target) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double u = Math.exp(0.5 * (lo + hi));
            scales[k] = 365.0 / Math.pow(u, 1 / s.baselineShape);
            achieved[k] = marginal(u, r);
            counts[k] = n;
        }
        return new Calibration(scales, achieved, counts);
    }

    static double marginal(double u, double[] risks) {
        double sum = 0;
        for (double r : risks) {
            sum += -Math.expm1(-u * r);
        }
        return sum / risks.length;
    }
}
