package org.iopoutcomes.cli;

import java.util.List;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.relapse.RelapseDefinition;
import org.iopoutcomes.relapse.RelapseDefinitions;
import picocli.CommandLine.Option;

/** The relapse settings of `run` (SPEC section 3, Relapse; docs/relapse_outputs.md). */
public class RelapseOptions {
    @Option(names = "--relapse-horizons", paramLabel = "DAYS[,DAYS...]", split = ",", defaultValue = "30,90,180,365",
            description = "Horizons of relapse_summary, days from admission or discharge. Default: ${DEFAULT-VALUE}.")
    List<Integer> horizons;

    @Option(names = "--relapse-band", paramLabel = "LOW,HIGH", defaultValue = "0.40,0.60",
            description = "Baseline band of the relapse share the programs are compared with. Default: ${DEFAULT-VALUE}.")
    String band;

    @Option(names = "--relapse-band-horizon", paramLabel = "DAYS",
            defaultValue = "" + RelapseSettings.DEFAULT_BAND_HORIZON_DAYS,
            description = "Days after discharge the band is stated for (the verdict's horizon). Default: ${DEFAULT-VALUE}.")
    int bandHorizon;

    @Option(names = "--relapse-min-completeness", paramLabel = "SHARE",
            defaultValue = "" + RelapseSettings.DEFAULT_MIN_COMPLETENESS,
            description = "Follow-up completeness at a horizon below which no rate is shown there "
                    + "(insufficient_follow_up). Default: ${DEFAULT-VALUE}.")
    double minCompleteness;

    @Option(names = "--min-at-risk", paramLabel = "N", defaultValue = "" + RelapseSettings.DEFAULT_MIN_AT_RISK,
            description = "Minimum number of episodes at risk at a horizon for a relapse estimate or band verdict "
                    + "(fewer: not estimable), and where relapse curves stop; apart from --suppression-threshold, "
                    + "which only hides counts in the published tables. Default: ${DEFAULT-VALUE}.")
    int minAtRisk;

    @Option(names = "--followup-window-days", paramLabel = "N",
            defaultValue = "" + RelapseSettings.DEFAULT_FOLLOWUP_WINDOW_DAYS,
            description = "Days either side of a relapse horizon a follow-up call counts for it in point_prevalence "
                    + "(the answered call nearest the horizon; fewer than half the gap between two horizons). "
                    + "Default: ${DEFAULT-VALUE}.")
    int followUpWindowDays;

    @Option(names = "--relapse-definitions", paramLabel = "DEFS", defaultValue = RelapseSettings.DEFAULT_DEFINITIONS,
            description = "Admission-clock definitions, ';'-separated: built-in names or name:key=value,... "
                    + "(docs/relapse.md). Default: ${DEFAULT-VALUE}.")
    String definitions;

    /**
     * The settings, with the run's extra strata.
     *
     * @throws BadSettingsException naming the option and the value
     */
    public RelapseSettings settings(List<String> extraStrata) {
        String[] limits = band.split(",");
        double lower;
        double upper;
        try {
            if (limits.length != 2) {
                throw new NumberFormatException();
            }
            lower = Double.parseDouble(limits[0].strip());
            upper = Double.parseDouble(limits[1].strip());
        } catch (NumberFormatException e) {
            throw BadSettingsException.of("--relapse-band", band, "expected two shares LOW,HIGH, e.g. 0.40,0.60");
        }
        if (!(lower > 0 && lower < upper && upper < 1)) {
            throw BadSettingsException.of("--relapse-band", band, "expected 0 < LOW < HIGH < 1");
        }
        for (int h : horizons) {
            if (h < 1) {
                throw BadSettingsException.of("--relapse-horizons", horizons, "expected days of 1 or more");
            }
        }
        if (bandHorizon < 1) {
            throw BadSettingsException.of("--relapse-band-horizon", bandHorizon, "expected days of 1 or more");
        }
        if (!(minCompleteness >= 0 && minCompleteness <= 1)) {
            throw BadSettingsException.of("--relapse-min-completeness", minCompleteness, "expected a share from 0 to 1");
        }
        if (minAtRisk < 1) {
            throw BadSettingsException.of("--min-at-risk", minAtRisk, "expected 1 or more");
        }
        String window = RelapseSettings.windowProblem(RelapseSettings.withBandHorizon(horizons, bandHorizon),
                followUpWindowDays);
        if (window != null) {
            throw BadSettingsException.of("--followup-window-days", followUpWindowDays, window);
        }
        List<RelapseDefinition> parsed;
        try {
            parsed = RelapseDefinitions.parseAll(definitions);
        } catch (IllegalArgumentException e) {
            throw BadSettingsException.of("--relapse-definitions", definitions, e.getMessage());
        }
        return new RelapseSettings(horizons, lower, upper, bandHorizon, minCompleteness, minAtRisk, parsed,
                extraStrata, followUpWindowDays);
    }
}
