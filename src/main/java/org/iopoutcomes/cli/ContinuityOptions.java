package org.iopoutcomes.cli;

import java.util.List;
import org.iopoutcomes.continuity.ContinuitySettings;
import picocli.CommandLine.Option;

/** The continuity-of-care settings of `run` (SPEC section 3, Continuity of care; docs/continuity.md). */
public class ContinuityOptions {
    @Option(names = "--continuity-exposures", paramLabel = "NAME[,NAME...]", split = ",",
            defaultValue = "continuing_care_14d,continuous_90d,completed,in_program_continuity",
            description = "Exposures compared in continuity_effect. Default: ${DEFAULT-VALUE}.")
    List<String> exposures;

    @Option(names = "--continuity-levels-of-care", paramLabel = "LEVEL[,LEVEL...]", split = ",", defaultValue = "iop",
            description = "Levels of care whose discharged episodes are compared. Default: ${DEFAULT-VALUE}.")
    List<String> levels;

    @Option(names = "--continuity-horizons", paramLabel = "DAYS[,DAYS...]", split = ",", defaultValue = "90,180,365",
            description = "Horizons of continuity_effect and dose_response, days from discharge. Default: ${DEFAULT-VALUE}.")
    List<Integer> horizons;

    @Option(names = "--continuing-care-window-days", paramLabel = "N", defaultValue = "14",
            description = "continuing_care_14d: a contact on days 1..N after discharge. Default: ${DEFAULT-VALUE}.")
    int careWindow;

    @Option(names = "--continuing-care-landmark-days", paramLabel = "N", defaultValue = "14",
            description = "Landmark of continuing_care_14d, days after discharge. Default: ${DEFAULT-VALUE}.")
    int careLandmark;

    @Option(names = "--continuous-care-days", paramLabel = "N", defaultValue = "90",
            description = "continuous_90d: days 1..N after discharge are covered by contacts. Default: ${DEFAULT-VALUE}.")
    int continuousDays;

    @Option(names = "--continuous-care-block-days", paramLabel = "N", defaultValue = "30",
            description = "continuous_90d: each block of N days needs a contact. Default: ${DEFAULT-VALUE}.")
    int continuousBlock;

    @Option(names = "--continuous-care-landmark-days", paramLabel = "N", defaultValue = "90",
            description = "Landmark of continuous_90d, days after discharge. Default: ${DEFAULT-VALUE}.")
    int continuousLandmark;

    @Option(names = "--completed-landmark-days", paramLabel = "N", defaultValue = "14",
            description = "Landmark of the exposure completed, days after discharge. Default: ${DEFAULT-VALUE}.")
    int completedLandmark;

    @Option(names = "--in-program-max-gap-days", paramLabel = "N", defaultValue = "7",
            description = "in_program_continuity: longest gap between attended days at most N. Default: ${DEFAULT-VALUE}.")
    int programMaxGap;

    @Option(names = "--in-program-min-days", paramLabel = "N", defaultValue = "28",
            description = "in_program_continuity is compared among episodes with at least N days in care. Default: ${DEFAULT-VALUE}.")
    int programMinDays;

    @Option(names = "--in-program-landmark-days", paramLabel = "N", defaultValue = "14",
            description = "Landmark of in_program_continuity, days after discharge. Default: ${DEFAULT-VALUE}.")
    int programLandmark;

    @Option(names = "--adjust-for", paramLabel = "COL[,COL...]", split = ",",
            description = "episode_outcomes columns added to the covariates of the adjusted models "
                    + "(age band, sex, substance, prior episodes, moud, program).")
    List<String> adjustFor = List.of();

    @Option(names = "--max-missing-covariate-share", paramLabel = "SHARE", defaultValue = "0.20",
            description = "A covariate missing in more than this share of a cohort is left out of its models. Default: ${DEFAULT-VALUE}.")
    double maxMissingShare;

    @Option(names = "--min-relapses-per-group", paramLabel = "N", defaultValue = "10",
            description = "With fewer relapses by the horizon in either group, no effect is estimated. Default: ${DEFAULT-VALUE}.")
    int minEvents;

    @Option(names = "--therapy-hours-bands", paramLabel = "HOURS[,HOURS...]", split = ",", defaultValue = "9,12",
            description = "Limits of the weekly therapy-hours bands of dose_response. Default: ${DEFAULT-VALUE}.")
    List<Double> hoursBands;

    /**
     * The settings.
     *
     * @throws BadSettingsException naming the option and the value
     */
    public ContinuitySettings settings() {
        for (String e : exposures) {
            if (!ContinuitySettings.ALL_EXPOSURES.contains(e)) {
                throw BadSettingsException.of("--continuity-exposures", e,
                        "expected exposures from " + ContinuitySettings.ALL_EXPOSURES);
            }
        }
        for (String level : levels) {
            if (!org.iopoutcomes.input.Schemas.LEVELS_OF_CARE.contains(level)) {
                throw BadSettingsException.of("--continuity-levels-of-care", level,
                        "expected levels of care from " + org.iopoutcomes.input.Schemas.LEVELS_OF_CARE);
            }
        }
        for (int h : horizons) {
            if (h < 1) {
                throw BadSettingsException.of("--continuity-horizons", h, "expected days of 1 or more");
            }
        }
        positive("--continuing-care-window-days", careWindow);
        notNegative("--continuing-care-landmark-days", careLandmark);
        positive("--continuous-care-days", continuousDays);
        positive("--continuous-care-block-days", continuousBlock);
        notNegative("--continuous-care-landmark-days", continuousLandmark);
        notNegative("--completed-landmark-days", completedLandmark);
        positive("--in-program-max-gap-days", programMaxGap);
        notNegative("--in-program-min-days", programMinDays);
        notNegative("--in-program-landmark-days", programLandmark);
        for (String column : adjustFor) {
            if (column.isBlank()) {
                throw BadSettingsException.of("--adjust-for", String.join(",", adjustFor), "has an empty column name");
            }
        }
        if (!(maxMissingShare >= 0 && maxMissingShare <= 1)) {
            throw BadSettingsException.of("--max-missing-covariate-share", maxMissingShare, "expected a share from 0 to 1");
        }
        notNegative("--min-relapses-per-group", minEvents);
        for (double b : hoursBands) {
            if (!(b > 0)) {
                throw BadSettingsException.of("--therapy-hours-bands", b, "expected hours above 0");
            }
        }
        return new ContinuitySettings(careWindow, careLandmark, continuousDays, continuousBlock, continuousLandmark,
                completedLandmark, programMaxGap, programMinDays, programLandmark, horizons, levels, exposures,
                adjustFor, maxMissingShare, minEvents, hoursBands);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw BadSettingsException.of(option, value, "expected 1 or more");
        }
    }

    private static void notNegative(String option, int value) {
        if (value < 0) {
            throw BadSettingsException.of(option, value, "expected 0 or more");
        }
    }
}
