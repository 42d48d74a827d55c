package org.iopoutcomes.synth;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.iopoutcomes.cli.BadSettingsException;

/**
 * Every setting of the synthetic data generator, validated. Immutable and serializable: it travels to the
 * executors inside the simulation closures.
 */
public final class GeneratorSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_SEED = 20260930L;
    public static final int DEFAULT_PROGRAMS = 3;
    public static final LocalDate DEFAULT_DATA_CUT = LocalDate.of(2026, 9, 30);
    public static final double[] DEFAULT_RELAPSE_365 = {0.45, 0.50, 0.55};
    public static final double DEFAULT_CONTINUING_CARE_HR = 0.6;
    public static final double DEFAULT_ATTENDANCE_LOG_HR = -1.0;
    public static final double DEFAULT_BASELINE_SHAPE = 0.8;
    public static final int DEFAULT_CALIBRATION_SAMPLE = 20_000;
    /** Off: no death is planted after a discharge and no deaths table is written (the output of before issue 14). */
    public static final double DEFAULT_DEATH_HAZARD_PER_YEAR = 0.0;
    public static final double DEFAULT_DEATH_OVERDOSE_SHARE = 0.3;
    /** Off: every relapse is continuous use from its first day (the output of before issue 14). */
    public static final double DEFAULT_RECOVERY_SHARE = 0.0;

    public final long participants;
    public final long seed;
    public final int programs;
    public final LocalDate dataCut;
    /** One 365-day post-discharge relapse target per program. */
    public final double[] relapse365;
    public final double continuingCareHr;
    public final double attendanceLogHr;
    public final double baselineShape;
    public final int calibrationSample;
    /**
     * Constant hazard of death after each discharge, per year of 365 days (P(death within 365 days) = 1 - e^-R),
     * independent of everything else; 0 = none.
     */
    public final double deathHazardPerYear;
    /** Share of the planted deaths whose cause is an overdose (a fatal overdose is a relapse); the rest are other. */
    public final double deathOverdoseShare;
    /**
     * Share of first relapses after discharge planted as a recovery: a short use episode that is over before the next
     * contact (follow-up call window or attended session), so no contact sees it; 0 = none.
     */
    public final double recoveryShare;

    public GeneratorSettings(long participants, long seed, int programs, LocalDate dataCut, double[] relapse365,
            double continuingCareHr, double attendanceLogHr, double baselineShape, int calibrationSample) {
        this(participants, seed, programs, dataCut, relapse365, continuingCareHr, attendanceLogHr, baselineShape,
                calibrationSample, DEFAULT_DEATH_HAZARD_PER_YEAR, DEFAULT_DEATH_OVERDOSE_SHARE, DEFAULT_RECOVERY_SHARE);
    }

    public GeneratorSettings(long participants, long seed, int programs, LocalDate dataCut, double[] relapse365,
            double continuingCareHr, double attendanceLogHr, double baselineShape, int calibrationSample,
            double deathHazardPerYear, double deathOverdoseShare, double recoveryShare) {
        if (participants < 1) {
            throw BadSettingsException.of("--participants", participants, "must be at least 1");
        }
        if (programs < 1 || programs > 26) {
            throw BadSettingsException.of("--programs", programs, "must be between 1 and 26");
        }
        if (dataCut == null) {
            throw BadSettingsException.of("--data-cut", null, "a date YYYY-MM-DD is required");
        }
        if (relapse365 == null || relapse365.length == 0) {
            throw BadSettingsException.of("--relapse-365", null, "give one probability, or one per program");
        }
        for (double p : relapse365) {
            if (!(p > 0 && p < 1)) {
                throw BadSettingsException.of("--relapse-365", join(relapse365), "every value must be a probability in (0,1)");
            }
        }
        if (relapse365.length != 1 && relapse365.length != programs) {
            throw BadSettingsException.of("--relapse-365", join(relapse365),
                    "give one probability, or one per program (" + programs + ")");
        }
        if (!(continuingCareHr > 0) || Double.isInfinite(continuingCareHr)) {
            throw BadSettingsException.of("--continuing-care-hr", continuingCareHr, "a hazard ratio must be > 0");
        }
        if (Double.isNaN(attendanceLogHr) || Double.isInfinite(attendanceLogHr) || Math.abs(attendanceLogHr) > 10) {
            throw BadSettingsException.of("--attendance-log-hr", attendanceLogHr, "a log hazard ratio between -10 and 10 is expected");
        }
        if (!(baselineShape > 0) || baselineShape > 10) {
            throw BadSettingsException.of("--baseline-shape", baselineShape, "a Weibull shape in (0, 10] is expected");
        }
        if (calibrationSample < 100) {
            throw BadSettingsException.of("--calibration-sample", calibrationSample, "must be at least 100");
        }
        if (!(deathHazardPerYear >= 0) || deathHazardPerYear > 100) {
            throw BadSettingsException.of("--death-hazard-per-year", deathHazardPerYear,
                    "a hazard per year from 0 (none) to 100 is expected");
        }
        if (!(deathOverdoseShare >= 0 && deathOverdoseShare <= 1)) {
            throw BadSettingsException.of("--death-overdose-share", deathOverdoseShare, "a share from 0 to 1 is expected");
        }
        if (!(recoveryShare >= 0 && recoveryShare <= 1)) {
            throw BadSettingsException.of("--recovery-share", recoveryShare, "a share from 0 to 1 is expected");
        }
        this.participants = participants;
        this.seed = seed;
        this.programs = programs;
        this.dataCut = dataCut;
        double[] targets = new double[programs];
        for (int k = 0; k < programs; k++) {
            targets[k] = relapse365.length == 1 ? relapse365[0] : relapse365[k];
        }
        this.relapse365 = targets;
        this.continuingCareHr = continuingCareHr;
        this.attendanceLogHr = attendanceLogHr;
        this.baselineShape = baselineShape;
        this.calibrationSample = calibrationSample;
        this.deathHazardPerYear = deathHazardPerYear;
        this.deathOverdoseShare = deathOverdoseShare;
        this.recoveryShare = recoveryShare;
    }

    /** These settings with a planted death hazard after discharge. */
    public GeneratorSettings withDeaths(double hazardPerYear, double overdoseShare) {
        return new GeneratorSettings(participants, seed, programs, dataCut, relapse365, continuingCareHr,
                attendanceLogHr, baselineShape, calibrationSample, hazardPerYear, overdoseShare, recoveryShare);
    }

    /** These settings with planted recoveries. */
    public GeneratorSettings withRecoveries(double share) {
        return new GeneratorSettings(participants, seed, programs, dataCut, relapse365, continuingCareHr,
                attendanceLogHr, baselineShape, calibrationSample, deathHazardPerYear, deathOverdoseShare, share);
    }

    /** Whether deaths are planted, and so the deaths table written. */
    public boolean plantsDeaths() {
        return deathHazardPerYear > 0;
    }

    public boolean plantsRecoveries() {
        return recoveryShare > 0;
    }

    /** Default effects and programs for {@code participants} participants and {@code seed}. */
    public static GeneratorSettings defaults(long participants, long seed) {
        return new GeneratorSettings(participants, seed, DEFAULT_PROGRAMS, DEFAULT_DATA_CUT, DEFAULT_RELAPSE_365,
                DEFAULT_CONTINUING_CARE_HR, DEFAULT_ATTENDANCE_LOG_HR, DEFAULT_BASELINE_SHAPE, DEFAULT_CALIBRATION_SAMPLE);
    }

    /** Parses "0.45,0.5,0.55" (the --relapse-365 option). */
    public static double[] parseProbabilities(String option, String text) {
        if (text == null || text.isBlank()) {
            throw BadSettingsException.of(option, text, "a comma-separated list of probabilities is expected");
        }
        List<Double> values = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                values.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw BadSettingsException.of(option, text, "'" + part.trim() + "' is not a number");
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static String programId(int k) {
        return "prog-" + (char) ('a' + k);
    }

    public int dataCutDay() {
        return (int) dataCut.toEpochDay();
    }

    static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values[i]);
        }
        return sb.toString();
    }
}
