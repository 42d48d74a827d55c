package org.iopoutcomes.pipeline;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.cli.BadSettingsException;
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
 * @param deathsCompleteThrough the date through which the deaths table (death-registry linkage) is complete, or
 *     null for the data cut; see {@link #deathsCompleteThrough(LocalDate)}
 */
public record RunSettings(String input, String output, String restrictedOutput, LocalDate asOf, LocalDate today,
                          double maxRejectRate, List<String> strata, int suppressionThreshold,
                          RetentionSettings retention, RelapseSettings relapse,
                          ContinuitySettings continuity, PublicationCadence publicationCadence,
                          LocalDate deathsCompleteThrough) {

    public static final double DEFAULT_MAX_REJECT_RATE = 0.05;
    public static final int DEFAULT_SUPPRESSION_THRESHOLD = 11;
    public static final String DEATHS_COMPLETE_THROUGH_OPTION = "--deaths-complete-through";

    /** The settings without a deaths completeness date (the data cut), as before the deaths table existed. */
    public RunSettings(String input, String output, String restrictedOutput, LocalDate asOf, LocalDate today,
                       double maxRejectRate, List<String> strata, int suppressionThreshold,
                       RetentionSettings retention, RelapseSettings relapse,
                       ContinuitySettings continuity, PublicationCadence publicationCadence) {
        this(input, output, restrictedOutput, asOf, today, maxRejectRate, strata, suppressionThreshold, retention,
                relapse, continuity, publicationCadence, null);
    }

    public static RunSettings defaults(String input, String output, LocalDate today) {
        return new RunSettings(input, output, output + "/restricted", null, today, DEFAULT_MAX_REJECT_RATE,
                List.of(), DEFAULT_SUPPRESSION_THRESHOLD, RetentionSettings.defaults(), RelapseSettings.defaults(),
                ContinuitySettings.defaults(), PublicationCadence.DEFAULT, null);
    }

    public RunSettings withAsOf(LocalDate date) {
        return new RunSettings(input, output, restrictedOutput, date, today, maxRejectRate, strata,
                suppressionThreshold, retention, relapse, continuity, publicationCadence, deathsCompleteThrough);
    }

    public RunSettings withMaxRejectRate(double rate) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, rate, strata, suppressionThreshold,
                retention, relapse, continuity, publicationCadence, deathsCompleteThrough);
    }

    public RunSettings withStrata(List<String> columns) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, List.copyOf(columns),
                suppressionThreshold, retention, relapse.withStrata(List.copyOf(columns)), continuity,
                publicationCadence, deathsCompleteThrough);
    }

    /** Another suppression threshold; the relapse minimum at risk is a setting of its own ({@link #withRelapse}). */
    public RunSettings withSuppressionThreshold(int threshold) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata, threshold,
                retention, relapse, continuity, publicationCadence, deathsCompleteThrough);
    }

    public RunSettings withRelapse(RelapseSettings settings) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, retention, settings, continuity, publicationCadence, deathsCompleteThrough);
    }

    public RunSettings withRetention(RetentionSettings settings) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, settings, relapse, continuity, publicationCadence, deathsCompleteThrough);
    }

    public RunSettings withContinuity(ContinuitySettings settings) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, retention, relapse, settings, publicationCadence, deathsCompleteThrough);
    }

    public RunSettings withPublicationCadence(PublicationCadence cadence) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, retention, relapse, continuity, cadence, deathsCompleteThrough);
    }

    public RunSettings withDeathsCompleteThrough(LocalDate date) {
        return new RunSettings(input, output, restrictedOutput, asOf, today, maxRejectRate, strata,
                suppressionThreshold, retention, relapse, continuity, publicationCadence, date);
    }

    /**
     * The date through which the deaths table is complete (registries lag: days after it are not known to be
     * death-free), given the run's data cut: the setting, or the data cut when it was not given.
     *
     * @throws BadSettingsException when the setting is after the data cut (the table cannot be known complete for
     *     days the run does not cover)
     */
    public LocalDate deathsCompleteThrough(LocalDate dataCut) {
        return resolveDeathsCompleteThrough(deathsCompleteThrough, dataCut);
    }

    /** {@link #deathsCompleteThrough(LocalDate)} for a command that has no RunSettings (validate). */
    public static LocalDate resolveDeathsCompleteThrough(LocalDate setting, LocalDate dataCut) {
        if (setting == null) {
            return dataCut;
        }
        if (setting.isAfter(dataCut)) {
            throw BadSettingsException.of(DEATHS_COMPLETE_THROUGH_OPTION, setting, "is after the data cut ("
                    + dataCut + "); the deaths table can be complete at most through the data cut");
        }
        return setting;
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
        // null = the data cut (run_date), as as_of null = the latest input date
        map.put("deaths_complete_through", deathsCompleteThrough == null ? null : deathsCompleteThrough.toString());
        map.putAll(retention.asMap());
        map.put("relapse", relapse.asMap());
        map.put("continuity", continuity.asMap());
        return map;
    }
}
