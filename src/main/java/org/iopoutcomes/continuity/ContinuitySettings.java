package org.iopoutcomes.continuity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of SPEC section 3 (Continuity of care), each a setting with the SPEC default.
 *
 * @param careWindowDays         continuing_care_14d: a contact on days 1 .. N after discharge (14)
 * @param careLandmarkDays       its landmark (14)
 * @param continuousDays         continuous_90d: days 1 .. N after discharge are covered (90)
 * @param continuousBlockDays    ... by blocks of this many days, each needing a contact (30)
 * @param continuousLandmarkDays its landmark (90)
 * @param completedLandmarkDays  landmark of the exposure completed (14)
 * @param programMaxGapDays      in_program_continuity: longest gap between attended days at most this (7)
 * @param programMinDays         ... among episodes with at least this many days in care (28)
 * @param programLandmarkDays    its landmark (14)
 * @param horizonsDays           horizons of continuity_effect and dose_response, days from discharge (90, 180, 365)
 * @param levelsOfCare           the discharged episodes compared: these levels of care (iop)
 * @param exposures              the exposures compared (all four)
 * @param adjustFor              episode_outcomes columns added to the SPEC covariates of the adjusted models
 * @param maxMissingShare        a covariate missing in more than this share of the cohort is left out (0.20)
 * @param minEventsPerGroup      fewer relapses by H than this in either group: no effect estimate (10)
 * @param therapyHoursBands      dose_response weekly therapy-hours band limits (9, 12: "<9 h", "9-<12 h", ">=12 h")
 */
public record ContinuitySettings(int careWindowDays, int careLandmarkDays, int continuousDays,
                                 int continuousBlockDays, int continuousLandmarkDays, int completedLandmarkDays,
                                 int programMaxGapDays, int programMinDays, int programLandmarkDays,
                                 List<Integer> horizonsDays, List<String> levelsOfCare, List<String> exposures,
                                 List<String> adjustFor, double maxMissingShare, int minEventsPerGroup,
                                 List<Double> therapyHoursBands) {

    public static final String CONTINUING_CARE = "continuing_care_14d";
    public static final String CONTINUOUS = "continuous_90d";
    public static final String COMPLETED = "completed";
    public static final String IN_PROGRAM = "in_program_continuity";
    public static final List<String> ALL_EXPOSURES = List.of(CONTINUING_CARE, CONTINUOUS, COMPLETED, IN_PROGRAM);
    /** SPEC covariates of the adjusted models. */
    public static final List<String> SPEC_COVARIATES = List.of("age_band", "sex", "primary_substance",
            "prior_episodes", "moud", "program_id");

    public ContinuitySettings {
        horizonsDays = horizonsDays.stream().distinct().sorted().toList();
        levelsOfCare = List.copyOf(levelsOfCare);
        exposures = List.copyOf(exposures);
        adjustFor = List.copyOf(adjustFor);
        therapyHoursBands = therapyHoursBands.stream().distinct().sorted().toList();
        for (String exposure : exposures) {
            if (!ALL_EXPOSURES.contains(exposure)) {
                throw new IllegalArgumentException("unknown exposure '" + exposure + "': expected " + ALL_EXPOSURES);
            }
        }
        if (careWindowDays < 1 || careLandmarkDays < 0 || continuousDays < 1 || continuousBlockDays < 1
                || continuousLandmarkDays < 0 || completedLandmarkDays < 0 || programMaxGapDays < 1
                || programMinDays < 0 || programLandmarkDays < 0 || horizonsDays.isEmpty()
                || horizonsDays.get(0) < 1 || levelsOfCare.isEmpty() || exposures.isEmpty()
                || !(maxMissingShare >= 0 && maxMissingShare <= 1) || minEventsPerGroup < 0
                || therapyHoursBands.isEmpty() || therapyHoursBands.get(0) <= 0) {
            throw new IllegalArgumentException("continuity settings out of range: " + this);
        }
    }

    public static ContinuitySettings defaults() {
        return new ContinuitySettings(14, 14, 90, 30, 90, 14, 7, 28, 14, List.of(90, 180, 365), List.of("iop"),
                ALL_EXPOSURES, List.of(), 0.20, 10, List.of(9.0, 12.0));
    }

    public ContinuitySettings withExposures(List<String> names) {
        return new ContinuitySettings(careWindowDays, careLandmarkDays, continuousDays, continuousBlockDays,
                continuousLandmarkDays, completedLandmarkDays, programMaxGapDays, programMinDays, programLandmarkDays,
                horizonsDays, levelsOfCare, names, adjustFor, maxMissingShare, minEventsPerGroup, therapyHoursBands);
    }

    public ContinuitySettings withAdjustFor(List<String> columns) {
        return new ContinuitySettings(careWindowDays, careLandmarkDays, continuousDays, continuousBlockDays,
                continuousLandmarkDays, completedLandmarkDays, programMaxGapDays, programMinDays, programLandmarkDays,
                horizonsDays, levelsOfCare, exposures, columns, maxMissingShare, minEventsPerGroup, therapyHoursBands);
    }

    public ContinuitySettings withLevelsOfCare(List<String> levels) {
        return new ContinuitySettings(careWindowDays, careLandmarkDays, continuousDays, continuousBlockDays,
                continuousLandmarkDays, completedLandmarkDays, programMaxGapDays, programMinDays, programLandmarkDays,
                horizonsDays, levels, exposures, adjustFor, maxMissingShare, minEventsPerGroup, therapyHoursBands);
    }

    public ContinuitySettings withHorizons(List<Integer> horizons) {
        return new ContinuitySettings(careWindowDays, careLandmarkDays, continuousDays, continuousBlockDays,
                continuousLandmarkDays, completedLandmarkDays, programMaxGapDays, programMinDays, programLandmarkDays,
                horizons, levelsOfCare, exposures, adjustFor, maxMissingShare, minEventsPerGroup, therapyHoursBands);
    }

    /** The landmark of an exposure: days after discharge at which the cohort enters. */
    public int landmarkDays(String exposure) {
        return switch (exposure) {
            case CONTINUING_CARE -> careLandmarkDays;
            case CONTINUOUS -> continuousLandmarkDays;
            case COMPLETED -> completedLandmarkDays;
            case IN_PROGRAM -> programLandmarkDays;
            default -> throw new IllegalArgumentException("unknown exposure " + exposure);
        };
    }

    /** Covariates of the adjusted models: the SPEC's, then the --adjust-for columns (each once). */
    public List<String> covariates() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(SPEC_COVARIATES);
        all.addAll(adjustFor);
        return List.copyOf(all);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("continuing_care_window_days", careWindowDays);
        map.put("continuing_care_landmark_days", careLandmarkDays);
        map.put("continuous_care_days", continuousDays);
        map.put("continuous_care_block_days", continuousBlockDays);
        map.put("continuous_care_landmark_days", continuousLandmarkDays);
        map.put("completed_landmark_days", completedLandmarkDays);
        map.put("in_program_max_gap_days", programMaxGapDays);
        map.put("in_program_min_days", programMinDays);
        map.put("in_program_landmark_days", programLandmarkDays);
        map.put("continuity_horizons_days", horizonsDays);
        map.put("continuity_levels_of_care", levelsOfCare);
        map.put("continuity_exposures", exposures);
        map.put("adjust_for", adjustFor);
        map.put("max_missing_covariate_share", maxMissingShare);
        map.put("min_relapses_per_group", minEventsPerGroup);
        map.put("therapy_hours_bands", therapyHoursBands);
        return map;
    }
}
