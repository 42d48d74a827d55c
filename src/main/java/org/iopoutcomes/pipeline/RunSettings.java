package org.iopoutcomes.pipeline;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.continuity.ContinuitySettings;
import org.iopoutcomes.retention.RetentionSettings;
import org.iopoutcomes.metrics.RelapseSettings;

/**
 * Everything a run needs, validated by the command line before the run starts.
 *
 * @param input folder with the input tables
 * @param output root of the published tree (and of the restricted tree unless given)
 * @param restrictedOutput root of the participant-level tree
 * @param asOf explicit data cut (a backfill), or null for the latest input date that is not in the future
 * @param today the day the job runs: input dated later is an error
 * @param maxRejectRate share of a table's rows that may be quarantined before the run fails
 * @param strata extra episodes columns to summarize by
 * @param suppressionThreshold smallest count of people published (SPEC: 11)
 * @param retention the numbers of the retention definitions (SPEC section 3)
 * @param relapse the relapse tables' settings (horizons, band, completeness minimum, definitions)
 * @param continuity the continuity-of-care settings (exposures, windows, landmarks, horizons, covariates)
 * @param publicationCadence how often the published tree may change (the restricted tree changes every run)
 */
public record RunSettings(String input, String output, String restrictedOutput, LocalDate asOf, LocalDate today,
                          double maxRejectRate, List<String> strata, int suppressionThreshold,
                          RetentionSettings retention, RelapseSettings relapse,
                          ContinuitySettings continuity, PublicationCadence publicationCadence) {

    public static final double DEFAULT_MAX_REJECT_RATE = 0.05;
    public static final int DEFAULT_SUPPRESSION_THRESHOLD = 11;

    public static RunSettings defaults(String input, String output, LocalDate today) {
        return new RunSettings(input, output, output + "/restricted", null, today, DEFAULT_MAX_REJECT_RATE,
                List.of(), DEFAULT_SUPPRESSION_THRESHOLD, RetentionSettings.defaults(), RelapseSettings.defaults(),
                ContinuitySettings.defaults(), PublicationCadence.DEFAULT);
    }

    public RunSettings withAsOf(LocalDate date) {
        return new RunSettings(input, output, restrictedOutput, date, today, maxRejectRate, strata,
                suppressionThreshold, retention, relapse, continuity, publicationCadence);
    }

    public RunSettings withMaxRejectRate(double rate) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, rate, strata, suppressionThreshold,
                retention, relapse, continuity, publicationCadence);
    }

    public RunSettings withStrata(List<String> columns) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, List.copyOf(columns),
                suppressionThreshold, retention, relapse.withStrata(List.copyOf(columns)), continuity,
                publicationCadence);
    }

    /** Another suppression threshold; the relapse minimum at risk is a setting of its own ({@link #withRelapse}). */
    public RunSettings withSuppressionThreshold(int threshold) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata, threshold,
                retention, relapse, continuity, publicationCadence);
    }

    public RunSettings withRelapse(RelapseSettings settings) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, retention, settings, continuity, publicationCadence);
    }

    public RunSettings withRetention(RetentionSettings settings) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, settings, relapse, continuity, publicationCadence);
    }

    public RunSettings withContinuity(ContinuitySettings settings) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, retention, relapse, settings, publicationCadence);
    }

    public RunSettings withPublicationCadence(PublicationCadence cadence) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, retention, relapse, continuity, cadence);
    }

    /** The settings as written into manifest.json. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("input", input);
        map.put("output", output);
        map.put("restricted_output", restrictedOutput);
        map.put("as_of", asOf == null ? null : asOf.toString());
        map.put("today", today.toString());
        map.put("max_reject_rate", maxRejectRate);
        map.put("strata", strata);
        map.put("suppression_threshold", suppressionThreshold);
        map.put("publication_cadence", publicationCadence.label());
        map.putAll(retention.asMap());
        map.put("relapse", relapse.asMap());
        map.put("continuity", continuity.asMap());
        return map;
    }
}
