package org.iopoutcomes.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.pipeline.OutcomesJob;
import org.iopoutcomes.pipeline.PublicationCadence;
import org.iopoutcomes.pipeline.RunResult;
import org.iopoutcomes.pipeline.RunSettings;
import org.iopoutcomes.retention.RetentionSettings;
import org.iopoutcomes.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `outcomes run`: the nightly job. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Validate the input, compute the outcome tables and publish the run's two output trees.")
public class RunCommand implements Callable<Integer> {
    @Mixin
    InputOptions inputOptions;

    @Mixin
    RelapseOptions relapseOptions;

    @Mixin
    ContinuityOptions continuityOptions;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "out",
            description = "Root of the outputs: aggregates go to DIR/published/run_date=<data cut>/. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--restricted-output", paramLabel = "DIR",
            description = "Root of the participant-level tree (episode_outcomes, quarantine), so access can differ. Default: <output>/restricted.")
    String restrictedOutput;

    @Option(names = "--publication-cadence", paramLabel = "CADENCE", defaultValue = "monthly",
            description = "How often the published tree changes: monthly (the first run of each month of the data cut "
                    + "publishes; the other nights write only the restricted tree and leave the published tree as it "
                    + "was, since two nights' published outputs differenced give one day's admissions and relapses) "
                    + "or nightly (every run publishes). Default: ${DEFAULT-VALUE}.")
    String publicationCadence;

    @Option(names = "--strata", paramLabel = "COL[,COL...]", split = ",",
            description = "Extra episodes columns to summarize by, beside the built-in strata.")
    List<String> strata = List.of();

    @Option(names = "--suppression-threshold", paramLabel = "N", defaultValue = "" + RunSettings.DEFAULT_SUPPRESSION_THRESHOLD,
            description = "Counts of people from 1 to N-1 are hidden in published tables (CMS rule); the minimum at risk for a relapse estimate is --min-at-risk. Default: ${DEFAULT-VALUE}.")
    int suppressionThreshold;

    @Option(names = "--retention-horizons", paramLabel = "DAYS[,DAYS...]", split = ",", defaultValue = "30,60,90",
            description = "Days from admission at which Kaplan-Meier retention (no dropout yet) is reported. Default: ${DEFAULT-VALUE}.")
    List<Integer> retentionHorizons;

    @Option(names = "--dropout-reasons", paramLabel = "REASON[,REASON...]", split = ",",
            defaultValue = "dropped_out,terminated",
            description = "Discharge reasons that count as a dropout (the retention event); other discharges are censored. Default: ${DEFAULT-VALUE}.")
    List<String> dropoutReasons;

    @Option(names = "--intensity-hours", paramLabel = "HOURS", defaultValue = "" + RetentionSettings.DEFAULT_INTENSITY_HOURS,
            description = "Attended therapy hours (medication sessions excluded) a 7-day week needs to meet IOP intensity, "
                    + "for every age band not in --intensity-hours-by-age-band (adults). Default: ${DEFAULT-VALUE}.")
    double intensityHours;

    @Option(names = "--intensity-hours-by-age-band", paramLabel = "BAND=HOURS[,BAND=HOURS...]", split = ",",
            defaultValue = RetentionSettings.DEFAULT_INTENSITY_HOURS_BY_AGE_BAND,
            description = "Age bands with their own IOP intensity threshold in hours (ASAM: 6 for adolescents); "
                    + "'none' gives every band --intensity-hours. Default: ${DEFAULT-VALUE}.")
    List<String> intensityHoursByAgeBand;

    @Option(names = "--intensity-days", paramLabel = "N", defaultValue = "" + RetentionSettings.DEFAULT_INTENSITY_DAYS,
            description = "Distinct days with attended therapy a 7-day week needs to meet IOP intensity. Default: ${DEFAULT-VALUE}.")
    int intensityDays;

    @Option(names = "--initiation-days", paramLabel = "N", defaultValue = "" + RetentionSettings.DEFAULT_INITIATION_DAYS,
            description = "Initiation = an attended session on days 0 .. N-1 from admission. Default: ${DEFAULT-VALUE}.")
    int initiationDays;

    @Option(names = "--engagement-window-days", paramLabel = "N", defaultValue = "" + RetentionSettings.DEFAULT_ENGAGEMENT_WINDOW_DAYS,
            description = "Engagement counts attended days within N days after the first attended session. Default: ${DEFAULT-VALUE}.")
    int engagementWindowDays;

    @Option(names = "--engagement-days", paramLabel = "N", defaultValue = "" + RetentionSettings.DEFAULT_ENGAGEMENT_DAYS,
            description = "Distinct further attended days in the engagement window that make an episode engaged. Default: ${DEFAULT-VALUE}.")
    int engagementDays;

    @Option(names = "--step-down-days", paramLabel = "N", defaultValue = "" + RetentionSettings.DEFAULT_STEP_DOWN_DAYS,
            description = "An episode admitted 0 .. N days after the same participant's discharge from a higher level of "
                    + "care (detox, residential, php) is a step down from it (Washington Circle continuity). Default: ${DEFAULT-VALUE}.")
    int stepDownDays;

    @Option(names = "--curve-step-days", paramLabel = "N", defaultValue = "" + RetentionSettings.DEFAULT_CURVE_STEP_DAYS,
            description = "Spacing in days of the published retention_curve grid (7 = weekly, as SPEC section 5). Default: ${DEFAULT-VALUE}.")
    int curveStepDays;

    RunSettings settings(LocalDate today) {
        inputOptions.validate(today);
        if (output == null || output.isBlank()) {
            throw BadSettingsException.of("--output", output, "expected a folder");
        }
        if (suppressionThreshold < 1) {
            throw BadSettingsException.of("--suppression-threshold", suppressionThreshold, "expected 1 or more");
        }
        for (String column : strata) {
            if (column.isBlank()) {
                throw BadSettingsException.of("--strata", String.join(",", strata), "has an empty column name");
            }
        }
        PublicationCadence cadence = PublicationCadence.parse(publicationCadence).orElseThrow(() ->
                BadSettingsException.of("--publication-cadence", publicationCadence,
                        "expected one of " + PublicationCadence.labels()));
        String restricted = restrictedOutput == null ? output + "/restricted" : restrictedOutput;
        return new RunSettings(inputOptions.input, output, restricted, inputOptions.asOf, today,
                inputOptions.maxRejectRate, List.copyOf(strata), suppressionThreshold, retentionSettings(),
                relapseOptions.settings(List.copyOf(strata)), continuityOptions.settings(),
                cadence, inputOptions.deathsCompleteThrough);
    }

    private RetentionSettings retentionSettings() {
        for (int horizon : retentionHorizons) {
            if (horizon < 0) {
                throw BadSettingsException.of("--retention-horizons", horizon, "expected days >= 0");
            }
        }
        for (String reason : dropoutReasons) {
            if (!org.iopoutcomes.input.Schemas.DISCHARGE_REASONS.contains(reason)) {
                throw BadSettingsException.of("--dropout-reasons", reason,
                        "expected discharge reasons from " + org.iopoutcomes.input.Schemas.DISCHARGE_REASONS);
            }
        }
        if (!(intensityHours >= 0)) {
            throw BadSettingsException.of("--intensity-hours", intensityHours, "expected hours >= 0");
        }
        if (intensityDays < 1 || intensityDays > 7) {
            throw BadSettingsException.of("--intensity-days", intensityDays, "expected 1 to 7 days");
        }
        java.util.Map<String, Double> byAgeBand;
        try {
            byAgeBand = RetentionSettings.parseIntensityHoursByAgeBand(intensityHoursByAgeBand);
        } catch (IllegalArgumentException e) {
            throw BadSettingsException.of("--intensity-hours-by-age-band", String.join(",", intensityHoursByAgeBand),
                    e.getMessage());
        }
        if (stepDownDays < 0) {
            throw BadSettingsException.of("--step-down-days", stepDownDays, "expected days >= 0");
        }
        requirePositive("--initiation-days", initiationDays);
        requirePositive("--engagement-window-days", engagementWindowDays);
        requirePositive("--engagement-days", engagementDays);
        requirePositive("--curve-step-days", curveStepDays);
        return new RetentionSettings(retentionHorizons.stream().distinct().sorted().toList(),
                List.copyOf(dropoutReasons), intensityHours, byAgeBand, intensityDays, initiationDays,
                engagementWindowDays, engagementDays, stepDownDays, curveStepDays);
    }

    private static void requirePositive(String option, int value) {
        if (value < 1) {
            throw BadSettingsException.of(option, value, "expected 1 or more");
        }
    }

    @Override
    public Integer call() {
        RunSettings settings = settings(LocalDate.now());
        try (SparkSessions.Handle session = SparkSessions.open(inputOptions.master, "iop-outcomes run")) {
            SparkSession spark = session.spark();
            RunResult result = OutcomesJob.run(settings, spark);
            System.out.println("run_date=" + result.runDate() + ": " + result.episodes() + " episodes, "
                    + result.quarantined() + " rows quarantined");
            System.out.println("published:  " + result.publishedDir()
                    + (result.published() ? "" : " (carried over, not replaced: " + result.publication() + ")"));
            System.out.println("restricted: " + result.restrictedDir());
            return ExitCodes.OK;
        }
    }
}
