package org.iopoutcomes.metrics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.relapse.RelapseDefinition;
import org.iopoutcomes.relapse.RelapseDefinitions;

/**
 * Every number the relapse tables depend on (SPEC section 3, Relapse), with the SPEC's defaults.
 *
 * @param horizonsDays    horizons H of relapse_summary, days from the clock's origin (30/90/180/365)
 * @param bandLower       lower limit of the baseline band (0.40: "40-60% relapse")
 * @param bandUpper       upper limit of the baseline band (0.60)
 * @param bandHorizonDays the window the band is stated for, on the discharge clock (365)
 * @param minCompleteness follow-up completeness at H below which no rate is shown at H (0.50)
 * @param minAtRisk       fewer episodes than this at risk at H: no rate at H, and curves stop ({@code --min-at-risk},
 *                        11; apart from the suppression threshold, which the published curve also stops at)
 * @param definitions     admission-clock window definitions to summarize (flag definitions have no time and are
 *                        only in the per-episode table)
 * @param extraStrata     episodes columns to summarize by, beside the built-in strata
 * @param followUpWindowDays days either side of a horizon a follow-up call counts for it in point_prevalence
 *                        ({@code --followup-window-days}, 14); less than half the gap between two horizons, so that
 *                        no call counts for two
 */
public record RelapseSettings(List<Integer> horizonsDays, double bandLower, double bandUpper, int bandHorizonDays,
                              double minCompleteness, int minAtRisk, List<RelapseDefinition> definitions,
                              List<String> extraStrata, int followUpWindowDays) implements Serializable {

    public static final List<Integer> DEFAULT_HORIZONS_DAYS = List.of(30, 90, 180, 365);
    public static final double DEFAULT_BAND_LOWER = 0.40;
    public static final double DEFAULT_BAND_UPPER = 0.60;
    public static final int DEFAULT_BAND_HORIZON_DAYS = 365;
    public static final double DEFAULT_MIN_COMPLETENESS = 0.50;
    public static final int DEFAULT_MIN_AT_RISK = 11;
    public static final int DEFAULT_FOLLOWUP_WINDOW_DAYS = 14;
    /** The built-in definitions, as the text form of --relapse-definitions (a constant, for picocli's default). */
    public static final String DEFAULT_DEFINITIONS =
            "ctn0094_relapse;ctn0094_dropout;lee2016;lee2018;schottenfeld2008;johnson1992;krupitsky2004";

    public RelapseSettings {
        horizonsDays = List.copyOf(horizonsDays);
        definitions = List.copyOf(definitions);
        extraStrata = List.copyOf(extraStrata);
        if (horizonsDays.isEmpty() || horizonsDays.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("relapse horizons " + horizonsDays + ": expected one or more days >= 1");
        }
        if (!(bandLower > 0 && bandLower < bandUpper && bandUpper < 1)) {
            throw new IllegalArgumentException("relapse band " + bandLower + "-" + bandUpper
                    + ": expected 0 < lower < upper < 1");
        }
        if (bandHorizonDays < 1) {
            throw new IllegalArgumentException("relapse band horizon " + bandHorizonDays + ": expected days >= 1");
        }
        if (!(minCompleteness >= 0 && minCompleteness <= 1)) {
            throw new IllegalArgumentException("relapse minimum completeness " + minCompleteness
                    + ": expected a share from 0 to 1");
        }
        if (minAtRisk < 1) {
            throw new IllegalArgumentException("relapse minimum at risk " + minAtRisk + ": expected 1 or more");
        }
        String window = windowProblem(withBandHorizon(horizonsDays, bandHorizonDays), followUpWindowDays);
        if (window != null) {
            throw new IllegalArgumentException("follow-up window " + followUpWindowDays + ": " + window);
        }
    }

    /** The horizons of the tables: the given ones and the band's (always added). */
    public static List<Integer> withBandHorizon(List<Integer> horizonsDays, int bandHorizonDays) {
        return java.util.stream.Stream.concat(horizonsDays.stream(), java.util.stream.Stream.of(bandHorizonDays))
                .distinct().sorted().toList();
    }

    /**
     * What is wrong with a follow-up window for these horizons, or null: it must be 0 or more, and narrower than
     * half the smallest gap between two horizons (a call then counts for one horizon at most).
     */
    public static String windowProblem(List<Integer> horizonsDays, int windowDays) {
        if (windowDays < 0) {
            return "expected days of 0 or more";
        }
        List<Integer> sorted = horizonsDays.stream().distinct().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            int gap = sorted.get(i) - sorted.get(i - 1);
            if (2 * windowDays >= gap) {
                return "expected fewer than half the gap between the horizons " + sorted.get(i - 1) + " and "
                        + sorted.get(i) + " (" + gap + " days), so that no call counts for both";
            }
        }
        return null;
    }

    public static RelapseSettings defaults() {
        return new RelapseSettings(DEFAULT_HORIZONS_DAYS, DEFAULT_BAND_LOWER, DEFAULT_BAND_UPPER,
                DEFAULT_BAND_HORIZON_DAYS, DEFAULT_MIN_COMPLETENESS, DEFAULT_MIN_AT_RISK,
                RelapseDefinitions.parseAll(DEFAULT_DEFINITIONS), List.of(), DEFAULT_FOLLOWUP_WINDOW_DAYS);
    }

    public RelapseSettings withDefinitions(List<RelapseDefinition> chosen) {
        return new RelapseSettings(horizonsDays, bandLower, bandUpper, bandHorizonDays, minCompleteness, minAtRisk,
                chosen, extraStrata, followUpWindowDays);
    }

    public RelapseSettings withStrata(List<String> strata) {
        return new RelapseSettings(horizonsDays, bandLower, bandUpper, bandHorizonDays, minCompleteness, minAtRisk,
                definitions, strata, followUpWindowDays);
    }

    public RelapseSettings withMinAtRisk(int n) {
        return new RelapseSettings(horizonsDays, bandLower, bandUpper, bandHorizonDays, minCompleteness, n,
                definitions, extraStrata, followUpWindowDays);
    }

    /** The window definitions: the ones with a time, which can be summarized on the admission clock. */
    public List<RelapseDefinition> timedDefinitions() {
        return definitions.stream().filter(d -> !d.flagOnly()).toList();
    }

    /** The settings as written into manifest.json. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("horizons_days", horizonsDays);
        map.put("band_lower", bandLower);
        map.put("band_upper", bandUpper);
        map.put("band_horizon_days", bandHorizonDays);
        map.put("min_completeness", minCompleteness);
        map.put("min_at_risk", minAtRisk);
        map.put("definitions", definitions.stream().map(RelapseDefinition::toText).toList());
        map.put("extra_strata", extraStrata);
        map.put("followup_window_days", followUpWindowDays);
        return map;
    }
}
