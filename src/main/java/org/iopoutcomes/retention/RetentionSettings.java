package org.iopoutcomes.retention;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iopoutcomes.input.Schemas;

/**
 * The numbers of SPEC section 3 (Retention), each a setting with the SPEC default.
 *
 * @param horizonsDays             days at which retention is reported (30, 60, 90)
 * @param dropoutReasons           discharge reasons that count as a dropout event (dropped_out, terminated)
 * @param intensityHours           therapy hours a 7-day week needs to meet IOP intensity, for every age band not in
 *                                 {@code intensityHoursByAgeBand} (9: adults)
 * @param intensityHoursByAgeBand  age bands with their own intensity threshold in hours (12-17 = 6, ASAM's floor
 *                                 for adolescent IOP)
 * @param intensityDays            distinct days with attended therapy a week needs (3)
 * @param initiationDays           initiation = an attended session on days 0 .. initiationDays-1 (14)
 * @param engagementWindowDays     engagement looks this many days past the first attended session (34)
 * @param engagementDays           distinct further attended days engagement needs in that window (2)
 * @param stepDownDays             an episode admitted 0 .. stepDownDays days after a discharge from a higher level
 *                                 of care of the same participant is a step down from it (14: Washington Circle)
 * @param curveStepDays            spacing of the published retention curve grid (7: weekly)
 */
public record RetentionSettings(List<Integer> horizonsDays, List<String> dropoutReasons, double intensityHours,
                                Map<String, Double> intensityHoursByAgeBand, int intensityDays, int initiationDays,
                                int engagementWindowDays, int engagementDays, int stepDownDays, int curveStepDays) {

    public static final List<Integer> DEFAULT_HORIZONS_DAYS = List.of(30, 60, 90);
    public static final List<String> DEFAULT_DROPOUT_REASONS = List.of("dropped_out", "terminated");
    public static final double DEFAULT_INTENSITY_HOURS = 9.0;
    /** The default of {@code --intensity-hours-by-age-band}, as the option reads it. */
    public static final String DEFAULT_INTENSITY_HOURS_BY_AGE_BAND = "12-17=6";
    public static final Map<String, Double> DEFAULT_INTENSITY_HOURS_BY_AGE_BAND_MAP =
            parseIntensityHoursByAgeBand(List.of(DEFAULT_INTENSITY_HOURS_BY_AGE_BAND));
    public static final int DEFAULT_INTENSITY_DAYS = 3;
    public static final int DEFAULT_INITIATION_DAYS = 14;
    public static final int DEFAULT_ENGAGEMENT_WINDOW_DAYS = 34;
    public static final int DEFAULT_ENGAGEMENT_DAYS = 2;
    public static final int DEFAULT_STEP_DOWN_DAYS = 14;
    public static final int DEFAULT_CURVE_STEP_DAYS = 7;
    /** The value of {@code --intensity-hours-by-age-band} that gives every age band {@code --intensity-hours}. */
    public static final String NO_AGE_BAND_THRESHOLDS = "none";

    public RetentionSettings {
        horizonsDays = List.copyOf(horizonsDays);
        dropoutReasons = List.copyOf(dropoutReasons);
        intensityHoursByAgeBand = Collections.unmodifiableMap(new TreeMap<>(intensityHoursByAgeBand));
        if (horizonsDays.isEmpty() || horizonsDays.stream().anyMatch(h -> h < 0)) {
            throw new IllegalArgumentException("horizons must be one or more days >= 0, got " + horizonsDays);
        }
        for (String reason : dropoutReasons) {
            if (!Schemas.DISCHARGE_REASONS.contains(reason)) {
                throw new IllegalArgumentException("unknown discharge reason '" + reason + "': expected one of "
                        + Schemas.DISCHARGE_REASONS);
            }
        }
        for (Map.Entry<String, Double> band : intensityHoursByAgeBand.entrySet()) {
            if (!Schemas.AGE_BANDS.contains(band.getKey()) || !(band.getValue() >= 0)) {
                throw new IllegalArgumentException("intensity hours by age band: '" + band.getKey() + "="
                        + band.getValue() + "': expected an age band of " + Schemas.AGE_BANDS + " and hours >= 0");
            }
        }
        if (!(intensityHours >= 0) || intensityDays < 1 || intensityDays > 7 || initiationDays < 1
                || engagementWindowDays < 1 || engagementDays < 1 || stepDownDays < 0 || curveStepDays < 1) {
            throw new IllegalArgumentException("retention settings out of range: " + this);
        }
    }

    /** The settings as before age-band thresholds and step downs: those two at their defaults. */
    public RetentionSettings(List<Integer> horizonsDays, List<String> dropoutReasons, double intensityHours,
                             int intensityDays, int initiationDays, int engagementWindowDays, int engagementDays,
                             int curveStepDays) {
        this(horizonsDays, dropoutReasons, intensityHours, DEFAULT_INTENSITY_HOURS_BY_AGE_BAND_MAP, intensityDays,
                initiationDays, engagementWindowDays, engagementDays, DEFAULT_STEP_DOWN_DAYS, curveStepDays);
    }

    public static RetentionSettings defaults() {
        return new RetentionSettings(DEFAULT_HORIZONS_DAYS, DEFAULT_DROPOUT_REASONS, DEFAULT_INTENSITY_HOURS,
                DEFAULT_INTENSITY_HOURS_BY_AGE_BAND_MAP, DEFAULT_INTENSITY_DAYS, DEFAULT_INITIATION_DAYS,
                DEFAULT_ENGAGEMENT_WINDOW_DAYS, DEFAULT_ENGAGEMENT_DAYS, DEFAULT_STEP_DOWN_DAYS,
                DEFAULT_CURVE_STEP_DAYS);
    }

    /**
     * Reads {@code BAND=HOURS} items ({@code 12-17=6}), or the single item {@value #NO_AGE_BAND_THRESHOLDS}.
     *
     * @throws IllegalArgumentException naming the item that is not an age band code with hours >= 0, or a band
     *                                  given twice
     */
    public static Map<String, Double> parseIntensityHoursByAgeBand(List<String> items) {
        Map<String, Double> byBand = new TreeMap<>();
        if (items.size() == 1 && items.get(0).trim().equals(NO_AGE_BAND_THRESHOLDS)) {
            return byBand;
        }
        for (String item : items) {
            String[] parts = item.split("=", -1);
            if (parts.length != 2 || !Schemas.AGE_BANDS.contains(parts[0].trim())
                    || parts[0].trim().equals("unknown")) {
                throw new IllegalArgumentException("'" + item + "': expected BAND=HOURS with BAND one of "
                        + Schemas.AGE_BANDS.stream().filter(b -> !b.equals("unknown")).toList()
                        + ", or " + NO_AGE_BAND_THRESHOLDS);
            }
            double hours;
            try {
                hours = Double.parseDouble(parts[1].trim());
            } catch (NumberFormatException e) {
                hours = Double.NaN;
            }
            if (!(hours >= 0) || Double.isInfinite(hours)) {
                throw new IllegalArgumentException("'" + item + "': expected hours >= 0");
            }
            if (byBand.put(parts[0].trim(), hours) != null) {
                throw new IllegalArgumentException("'" + item + "': age band " + parts[0].trim() + " given twice");
            }
        }
        return byBand;
    }

    /** The intensity threshold in hours of an age band: its own, else {@link #intensityHours}. */
    public double intensityHoursFor(String ageBand) {
        return intensityHoursByAgeBand.getOrDefault(ageBand, intensityHours);
    }

    /** Therapy minutes a week needs at the adult (default) threshold; whole minutes, so 9 h is exactly 540. */
    public double intensityMinutes() {
        return intensityHours * 60.0;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("retention_horizons_days", horizonsDays);
        map.put("dropout_reasons", dropoutReasons);
        map.put("intensity_hours", intensityHours);
        map.put("intensity_hours_by_age_band", new LinkedHashMap<>(intensityHoursByAgeBand));
        map.put("intensity_days", intensityDays);
        map.put("initiation_days", initiationDays);
        map.put("engagement_window_days", engagementWindowDays);
        map.put("engagement_days", engagementDays);
        map.put("step_down_days", stepDownDays);
        map.put("curve_step_days", curveStepDays);
        return map;
    }
}
