package org.iopoutcomes.report;

import static org.iopoutcomes.report.Numbers.json;
import static org.iopoutcomes.report.Numbers.round10;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.publish.PublishedPrecision;
import org.iopoutcomes.publish.PublishedPrecision.PValue;

/**
 * The headline numbers of a run, per program and overall, as summary.json publishes them and as report.html shows
 * them (the page formats these same rounded values). Built only from the published tables, so a suppressed cell
 * stays empty here too. Nothing run-specific (no time, no run id, no path): two runs on the same input give the
 * same summary.
 */
public record Summary(LocalDate runDate, RelapseSettings relapseSettings, int suppressionThreshold,
                      List<Integer> retentionHorizons, Stratum overall, List<Stratum> programs,
                      boolean continuityPresent, DataQualityCounts dataQuality) {

    /**
     * Raised whenever the fields or their meaning change; documented in README.md. 2: p- and q-values at 2
     * significant digits in the published summary, each with its {@code _below_0_001} flag (issue 13). 3: the band
     * p- and q-values come from the relapse estimate and its CI's scale, not from a binomial test of the crude
     * counts; the follow-up completeness, the worst case and whether the verdict holds under it; retention is the
     * Aalen-Johansen probability of still being in treatment and the cumulative incidence of each way out, no longer
     * Kaplan-Meier of no dropout (issue 14). 4: relapse after discharge is the Aalen-Johansen cumulative incidence of
     * relapse before death (a fatal overdose a relapse, any other death a competing event), beside
     * {@code death_incidence}, the cumulative incidence of death before relapse, and the interval-censored
     * sensitivity {@code interval_censored_incidence} (issue 14).
     */
    public static final int SCHEMA_VERSION = 4;
    /** The discharge-clock relapse definition the band verdict is stated for (post-discharge first use). */
    public static final String BAND_DEFINITION = "first_use";
    public static final String BAND_CLOCK = "discharge";

    /** An estimate and its 95% CI (each rounded to 10 significant digits; null where hidden or not estimable). */
    public record Estimate(Double estimate, Double lower, Double upper) {
        static Estimate of(Map<String, Object> row, String value, String lower, String upper) {
            return row == null ? new Estimate(null, null, null) : new Estimate(round10(Table.dbl(row, value)),
                    round10(Table.dbl(row, lower)), round10(Table.dbl(row, upper)));
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("estimate", Numbers.json(estimate));
            m.put("lower", Numbers.json(lower));
            m.put("upper", Numbers.json(upper));
            return m;
        }
    }

    /**
     * Retention at a horizon on the discharge clock (Aalen-Johansen): the probability of still being in treatment and
     * the cumulative incidence of each way out of it.
     */
    public record RetentionAt(int horizonDays, Long atRisk, Estimate inCare, Estimate dropout, Estimate completion,
                              Estimate otherDischarge) {}

    /**
     * How the p-values of a summary are stated: as published (2 significant digits, below 0.001 as such:
     * {@link PublishedPrecision}) or, for the internal summary of the unsuppressed tables, to 10 significant digits.
     */
    public enum Precision {
        PUBLISHED, FULL;

        /** A p-value of a table row, with the row's flag column when the table has one. */
        PValue of(Map<String, Object> row, String column) {
            Double p = Table.dbl(row, column);
            if (this == PUBLISHED) {
                return PublishedPrecision.pValue(p, Table.bool(row, PublishedPrecision.belowColumn(column)));
            }
            Double full = round10(p);
            return full == null ? PValue.NONE : new PValue(full, PublishedPrecision.belowLimit(full));
        }
    }

    /**
     * Relapse on the discharge clock at the band horizon, with the band verdict and its p- and q-values, and beside
     * the verdict the follow-up completeness, the worst case (those lost before the horizon counted as relapsed) with
     * its Clopper-Pearson 95% CI, and whether the verdict holds under the worst case.
     */
    public record Relapse(int horizonDays, Long episodes, Long atRisk, Long relapses, Estimate cumulativeIncidence,
                          Estimate deathIncidence, Double intervalCensoredIncidence, Boolean estimable, String verdict, PValue pBelowBand, PValue pAboveBand, PValue qBelowBand,
                          PValue qAboveBand, Double followupCompleteness, Estimate worstCase,
                          Boolean verdictRobustToLoss, boolean suppressed) {}

    /**
     * Continuity after a higher level of care (Washington Circle): discharges from detox, residential or PHP, and the
     * share followed by an admission to a lower level within the step-down window, with its Wilson 95% CI.
     */
    public record StepDown(Long higherLevelDischarges, Long followedByLowerLevel, Estimate rate) {}

    /** One exposure's adjusted hazard ratio of relapse (continuity_effect at the band horizon). */
    public record Continuity(String exposure, int horizonDays, Boolean estimable, Estimate adjustedHr,
                             PValue adjustedHrP, Long modelN, Long modelEvents, String note, boolean suppressed) {}

    /** The headline numbers of one stratum value (the overall row or one program). */
    public record Stratum(String stratum, String value, Long episodes, boolean suppressed, Estimate completionRate,
                          List<RetentionAt> retention, Estimate medianLengthOfStay, StepDown stepDown, Relapse relapse,
                          List<Continuity> continuity) {
        public Optional<RetentionAt> retentionAt(int horizon) {
            return retention.stream().filter(r -> r.horizonDays() == horizon).findFirst();
        }
    }

    public record TableQuality(String table, long rowsRead, long rowsLoaded, long quarantined, long afterDataCut) {}

    public record DataQualityCounts(long rowsRead, long rowsLoaded, long quarantined, long afterDataCut,
                                    Map<String, Long> quarantinedByReason, List<TableQuality> tables) {}

    /** The headline retention horizon: 90 days when reported, else the longest horizon. */
    public int headlineRetentionHorizon() {
        return retentionHorizons.contains(90) ? 90 : retentionHorizons.get(retentionHorizons.size() - 1);
    }

    /** The summary of published tables (p-values as published). */
    public static Summary of(LocalDate runDate, RelapseSettings relapse, int suppressionThreshold,
                             List<Integer> retentionHorizons, PublishedTables tables) {
        return of(runDate, relapse, suppressionThreshold, retentionHorizons, tables, Precision.PUBLISHED);
    }

    public static Summary of(LocalDate runDate, RelapseSettings relapse, int suppressionThreshold,
                             List<Integer> retentionHorizons, PublishedTables tables, Precision precision) {
        Stratum overall = stratum(tables, "overall", "overall", relapse, retentionHorizons, precision);
        TreeSet<String> programIds = new TreeSet<>();
        for (Table t : List.of(tables.retentionSummary(), tables.relapseSummary())) {
            t.where(r -> "program_id".equals(r.get("stratum"))).rows()
                    .forEach(r -> programIds.add(Table.str(r, "stratum_value")));
        }
        List<Stratum> programs = new ArrayList<>();
        for (String id : programIds) {
            programs.add(stratum(tables, "program_id", id, relapse, retentionHorizons, precision));
        }
        return new Summary(runDate, relapse, suppressionThreshold, List.copyOf(retentionHorizons), overall,
                programs, tables.continuityEffect().isPresent(), dataQuality(tables.dataQuality()));
    }

    private static Stratum stratum(PublishedTables tables, String stratum, String value, RelapseSettings settings,
                                   List<Integer> horizons, Precision precision) {
        Table retention = tables.retentionSummary().of(stratum, value);
        Map<String, Object> first = retention.isEmpty() ? null : retention.rows().get(0);
        boolean suppressed = retention.rows().stream().anyMatch(Table::suppressed);
        List<RetentionAt> at = new ArrayList<>();
        for (int h : horizons) {
            Map<String, Object> row = retention.where(r -> Long.valueOf(h).equals(Table.lng(r, "horizon_days")))
                    .rows().stream().findFirst().orElse(null);
            at.add(new RetentionAt(h, row == null ? null : Table.lng(row, "n_at_risk"),
                    Estimate.of(row, "in_care", "in_care_lower", "in_care_upper"),
                    Estimate.of(row, "dropout_incidence", "dropout_incidence_lower", "dropout_incidence_upper"),
                    Estimate.of(row, "completion_incidence", "completion_incidence_lower",
                            "completion_incidence_upper"),
                    Estimate.of(row, "other_discharge_incidence", "other_discharge_incidence_lower",
                            "other_discharge_incidence_upper")));
        }
        Map<String, Object> relapseRow = tables.relapseSummary().of(stratum, value)
                .where(r -> BAND_CLOCK.equals(r.get("clock")) && BAND_DEFINITION.equals(r.get("definition"))
                        && Long.valueOf(settings.bandHorizonDays()).equals(Table.lng(r, "horizon_days")))
                .rows().stream().findFirst().orElse(null);
        Relapse relapse = null;
        if (relapseRow != null) {
            suppressed |= Table.suppressed(relapseRow);
            relapse = new Relapse(settings.bandHorizonDays(), Table.lng(relapseRow, "episodes"),
                    Table.lng(relapseRow, "at_risk"), Table.lng(relapseRow, "relapses"),
                    Estimate.of(relapseRow, "cumulative_incidence", "ci_lower", "ci_upper"),
                    Estimate.of(relapseRow, "death_incidence", "death_ci_lower", "death_ci_upper"),
                    round10(Table.dbl(relapseRow, "interval_censored_incidence")),
                    Table.bool(relapseRow, "estimable"), Table.str(relapseRow, "verdict"),
                    precision.of(relapseRow, "p_below_band"), precision.of(relapseRow, "p_above_band"),
                    precision.of(relapseRow, "q_below_band"), precision.of(relapseRow, "q_above_band"),
                    round10(Table.dbl(relapseRow, "followup_completeness")),
                    Estimate.of(relapseRow, "worst_case_proportion", "worst_case_lower", "worst_case_upper"),
                    Table.bool(relapseRow, "verdict_robust_to_loss"), Table.suppressed(relapseRow));
        }
        List<Continuity> continuity = null;
        if (tables.continuityEffect().isPresent()) {
            continuity = new ArrayList<>();
            for (Map<String, Object> row : tables.continuityEffect().get().of(stratum, value)
                    .where(r -> Long.valueOf(settings.bandHorizonDays()).equals(Table.lng(r, "horizon_days")))
                    .rows()) {
                continuity.add(new Continuity(Table.str(row, "exposure"), settings.bandHorizonDays(),
                        Table.bool(row, "estimable"),
                        Estimate.of(row, "adjusted_hr", "adjusted_hr_lower", "adjusted_hr_upper"),
                        precision.of(row, "adjusted_hr_p"), Table.lng(row, "hr_model_n"),
                        Table.lng(row, "hr_model_events"), Table.str(row, "note"), Table.suppressed(row)));
            }
        }
        return new Stratum(stratum, value, first == null ? null : Table.lng(first, "episodes"), suppressed,
                Estimate.of(first, "completion_rate", "completion_rate_lower", "completion_rate_upper"), at,
                Estimate.of(first, "median_length_of_stay_days", "median_length_of_stay_lower",
                        "median_length_of_stay_upper"),
                new StepDown(first == null ? null : Table.lng(first, "higher_level_discharges"),
                        first == null ? null : Table.lng(first, "followed_by_lower_level"),
                        Estimate.of(first, "step_down_continuity_rate", "step_down_continuity_rate_lower",
                                "step_down_continuity_rate_upper")), relapse, continuity);
    }

    private static DataQualityCounts dataQuality(Table quality) {
        Map<String, long[]> perTable = new TreeMap<>();
        Map<String, Long> byReason = new TreeMap<>();
        for (Map<String, Object> row : quality.rows()) {
            String table = Table.str(row, "table_name");
            String metric = Table.str(row, "metric");
            String reason = Table.str(row, "reason");
            long n = Table.lng(row, "rows");
            long[] counts = perTable.computeIfAbsent(table, t -> new long[4]);
            if (reason != null) {
                if (metric.equals("quarantined")) {
                    byReason.merge(reason, n, Long::sum);
                }
                continue;
            }
            switch (metric) {
                case "rows_read" -> counts[0] += n;
                case "rows_loaded" -> counts[1] += n;
                case "quarantined" -> counts[2] += n;
                case "after_data_cut" -> counts[3] += n;
                default -> { }
            }
        }
        List<TableQuality> tables = new ArrayList<>();
        long[] total = new long[4];
        for (Map.Entry<String, long[]> e : perTable.entrySet()) {
            long[] c = e.getValue();
            tables.add(new TableQuality(e.getKey(), c[0], c[1], c[2], c[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
        }
        return new DataQualityCounts(total[0], total[1], total[2], total[3], byReason, tables);
    }

    /**
     * summary.json as an ordered map: keys in a fixed order, numbers rounded to 10 significant digits, p-values as
     * the summary states them ({@link Precision}).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema_version", SCHEMA_VERSION);
        m.put("run_date", runDate.toString());
        Map<String, Object> band = new LinkedHashMap<>();
        band.put("lower", json(relapseSettings.bandLower()));
        band.put("upper", json(relapseSettings.bandUpper()));
        band.put("horizon_days", relapseSettings.bandHorizonDays());
        band.put("clock", BAND_CLOCK);
        band.put("definition", BAND_DEFINITION);
        m.put("band", band);
        m.put("suppression_threshold", suppressionThreshold);
        m.put("retention_horizons_days", retentionHorizons);
        m.put("continuity_present", continuityPresent);
        m.put("overall", stratumJson(overall));
        m.put("programs", programs.stream().map(Summary::stratumJson).toList());
        Map<String, Object> dq = new LinkedHashMap<>();
        dq.put("rows_read", dataQuality.rowsRead());
        dq.put("rows_loaded", dataQuality.rowsLoaded());
        dq.put("quarantined", dataQuality.quarantined());
        dq.put("after_data_cut", dataQuality.afterDataCut());
        dq.put("quarantined_by_reason", dataQuality.quarantinedByReason());
        dq.put("tables", dataQuality.tables().stream().map(t -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table", t.table());
            row.put("rows_read", t.rowsRead());
            row.put("rows_loaded", t.rowsLoaded());
            row.put("quarantined", t.quarantined());
            row.put("after_data_cut", t.afterDataCut());
            return row;
        }).toList());
        m.put("data_quality", dq);
        return m;
    }

    /** A p-value and, after it, its flag: {@code key} is the limit 0.001 where {@code key_below_0_001} is true. */
    private static void putP(Map<String, Object> m, String key, PValue p) {
        m.put(key, json(p.value()));
        m.put(PublishedPrecision.belowColumn(key), p.belowLimit());
    }

    private static Map<String, Object> stratumJson(Stratum s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stratum", s.stratum());
        m.put("program_id", s.stratum().equals("program_id") ? s.value() : null);
        m.put("episodes", s.episodes());
        m.put("suppressed", s.suppressed());
        m.put("completion_rate", s.completionRate().json());
        m.put("retention", s.retention().stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("horizon_days", r.horizonDays());
            row.put("n_at_risk", r.atRisk());
            row.put("in_care", r.inCare().json());
            row.put("dropout", r.dropout().json());
            row.put("completion", r.completion().json());
            row.put("other_discharge", r.otherDischarge().json());
            return row;
        }).toList());
        m.put("median_length_of_stay_days", s.medianLengthOfStay().json());
        m.put("higher_level_discharges", s.stepDown().higherLevelDischarges());
        m.put("followed_by_lower_level", s.stepDown().followedByLowerLevel());
        m.put("step_down_continuity", s.stepDown().rate().json());
        Relapse r = s.relapse();
        if (r == null) {
            m.put("relapse", null);
        } else {
            Map<String, Object> rel = new LinkedHashMap<>();
            rel.put("horizon_days", r.horizonDays());
            rel.put("episodes", r.episodes());
            rel.put("at_risk", r.atRisk());
            rel.put("relapses", r.relapses());
            rel.put("cumulative_incidence", r.cumulativeIncidence().json());
            rel.put("death_incidence", r.deathIncidence().json());
            rel.put("interval_censored_incidence", json(r.intervalCensoredIncidence()));
            rel.put("estimable", r.estimable());
            rel.put("verdict", r.verdict());
            putP(rel, "p_below_band", r.pBelowBand());
            putP(rel, "p_above_band", r.pAboveBand());
            putP(rel, "q_below_band", r.qBelowBand());
            putP(rel, "q_above_band", r.qAboveBand());
            rel.put("followup_completeness", json(r.followupCompleteness()));
            rel.put("worst_case", r.worstCase().json());
            rel.put("verdict_robust_to_loss", r.verdictRobustToLoss());
            rel.put("suppressed", r.suppressed());
            m.put("relapse", rel);
        }
        if (s.continuity() == null) {
            m.put("continuity", null);
        } else {
            m.put("continuity", s.continuity().stream().map(c -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("exposure", c.exposure());
                row.put("horizon_days", c.horizonDays());
                row.put("estimable", c.estimable());
                row.put("adjusted_hr", c.adjustedHr().json());
                putP(row, "adjusted_hr_p", c.adjustedHrP());
                row.put("model_n", c.modelN());
                row.put("model_events", c.modelEvents());
                row.put("note", c.note());
                row.put("suppressed", c.suppressed());
                return row;
            }).toList());
        }
        return m;
    }
}
