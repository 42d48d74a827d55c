package org.iopoutcomes.retention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.input.Schemas;

/**
 * The numbers of SPEC section 3 (Retention), each a setting with the SPEC default.
 *
 * @param horizonsDays           days at which Kaplan-Meier retention is reported (30, 60, 90)
 * @param dropoutReasons         discharge reasons that count as a dropout event (dropped_out, terminated)
 * @param intensityHours         therapy hours a 7-day week needs to meet IOP intensity (9)
 * @param intensityDays          distinct days with attended therapy a week needs (3)
 * @param initiationDays         initiation = an attended session on days 0 .. initiationDays-1 (14)
 * @param engagementWindowDays   engagement looks this many days past the initiation day (34)
 * @param engagementDays         distinct further attended days engagement needs in that window (2)
 * @param curveStepDays          spacing of the published retention curve grid (7: weekly)
 */
public record RetentionSettings(List<Integer> horizonsDays, List<String> dropoutReasons, double intensityHours,
                                int intensityDays, int initiationDays, int engagementWindowDays, int engagementDays,
                                int curveStepDays) {

    public static final List<Integer> DEFAULT_HORIZONS_DAYS = List.of(30, 60, 90);
    public static final List<String> DEFAULT_DROPOUT_REASONS = List.of("dropped_out", "terminated");
    public static final double DEFAULT_INTENSITY_HOURS = 9.0;
    public static final int DEFAULT_INTENSITY_DAYS = 3;
    public static final int DEFAULT_INITIATION_DAYS = 14;
    public static final int DEFAULT_ENGAGEMENT_WINDOW_DAYS = 34;
    public static final int DEFAULT_ENGAGEMENT_DAYS = 2;
    public static final int DEFAULT_CURVE_STEP_DAYS = 7;

    public RetentionSettings {
        horizonsDays = List.copyOf(horizonsDays);
        dropoutReasons = List.copyOf(dropoutReasons);
        if (horizonsDays.isEmpty() || horizonsDays.stream().anyMatch(h -> h < 0)) {
            throw new IllegalArgumentException("horizons must be one or more days >= 0, got " + horizonsDays);
        }
        for (String reason : dropoutReasons) {
            if (!Schemas.DISCHARGE_REASONS.contains(reason)) {
                throw new IllegalArgumentException("unknown discharge reason '" + reason + "': expected one of "
                        + Schemas.DISCHARGE_REASONS);
            }
        }
        if (!(intensityHours >= 0) || intensityDays < 1 || intensityDays > 7 || initiationDays < 1
                || engagementWindowDays < 1 || engagementDays < 1 || curveStepDays < 1) {
            throw new IllegalArgumentException("retention settings out of range: " + this);
        }
    }

    public static RetentionSettings defaults() {
        return new RetentionSettings(DEFAULT_HORIZONS_DAYS, DEFAULT_DROPOUT_REASONS, DEFAULT_INTENSITY_HOURS,
                DEFAULT_INTENSITY_DAYS, DEFAULT_INITIATION_DAYS, DEFAULT_ENGAGEMENT_WINDOW_DAYS,
                DEFAULT_ENGAGEMENT_DAYS, DEFAULT_CURVE_STEP_DAYS);
    }

    /** Therapy minutes a week needs; compared on whole minutes so 9 h is exactly 540 min, free of rounding. */
    public double intensityMinutes() {
        return intensityHours * 60.0;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("retention_horizons_days", horizonsDays);
        map.put("dropout_reasons", dropoutReasons);
        map.put("intensity_hours", intensityHours);
        map.put("intensity_days", intensityDays);
        map.put("initiation_days", initiationDays);
        map.put("engagement_window_days", engagementWindowDays);
        map.put("engagement_days", engagementDays);
        map.put("curve_step_days", curveStepDays);
        return map;
    }
}
