package org.iopoutcomes.pipeline;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.LoadedInput;
import org.apache.spark.sql.functions;
import org.iopoutcomes.metrics.PublishedSuppression;
import org.iopoutcomes.metrics.RelapseFollowUp;
import org.iopoutcomes.metrics.SmallCellSuppression;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.relapse.LatticeOutcomes;
import org.iopoutcomes.relapse.RelapseDefinition;

/**
 * The relapse part of a run (SPEC section 3 "Relapse", issue 5): the per-episode relapse columns join
 * episode_outcomes ({@link #episodeColumns}); the per-day counts go to the restricted tree; relapse_summary and
 * relapse_curve (aggregates) to the published tree.
 */
public final class RelapseStage {
    /** Events and censorings per stratum, definition, clock and day: the Kaplan-Meier input (restricted). */
    public static final String DAY_COUNTS_TABLE = "relapse_day_counts";
    public static final String SUMMARY_TABLE = "relapse_summary";
    public static final String CURVE_TABLE = "relapse_curve";

    private RelapseStage() {}

    /**
     * Writes the three tables and returns their row counts, by table name.
     *
     * @param episodeOutcomes the written episode_outcomes, holding {@link #episodeColumns}: the lattice and the
     *                        discharge clock are built once, when that table is written
     */
    public static Result run(LoadedInput input, Dataset<Row> episodeOutcomes, LocalDate dataCut,
                             RelapseSettings settings, int suppressionThreshold, OutputFiles files,
                             Path restricted, Path internal) {
        Map<String, Long> rows = new LinkedHashMap<>();
        RelapseSummary.Tables tables = RelapseSummary.compute(episodeOutcomes.sparkSession(),
                RelapseSummary.episodeTimes(input.episodes(), episodeOutcomes, settings),
                RelapseFollowUp.perStratum(input, settings), dataCut, settings, suppressionThreshold);
        files.parquetAndCsv(tables.dayCounts(), restricted, DAY_COUNTS_TABLE);
        rows.put(DAY_COUNTS_TABLE, tables.dayCounts().count());
        // The director's view inside the program: the same tables, nothing hidden.
        Dataset<Row> internalSummary = suppressSummary(tables.internalSummary(), 1);
        files.parquetAndCsv(internalSummary, internal, SUMMARY_TABLE);
        files.parquetAndCsv(publishedCurve(tables.internalCurve(), internalSummary, 1), internal, CURVE_TABLE);
        return new Result(tables.summary().localCheckpoint(), tables.curve().localCheckpoint(),
                tables.publishedGray(), rows);
    }

    /**
     * The relapse tables for the disclosure stage: the summary with every count and its off-grid flag, the curves
     * on their grids, what the published Gray's tests are computed from once the shown values are known; and the
     * restricted tables' row counts.
     */
    public record Result(Dataset<Row> summary, Dataset<Row> curve, RelapseSummary.PublishedGray publishedGray,
                         Map<String, Long> rows) {}

    /** The overdose share of relapses after abstinence and its interval: computed from both counts. */
    private static final List<String> OVERDOSE_SHARE = List.of("overdose_after_abstinence_rate",
            "overdose_after_abstinence_lower", "overdose_after_abstinence_upper");

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /**
     * Columns of relapse_summary written to the internal copy only: the overdose-after-abstinence flag (true when
     * any occurred) is a signal for the staff who can act on it; published, it said "there were some" wherever it
     * was shown (issue 13: a safety count is published as a number or "fewer than 11 (may be 0)", never a flag).
     */
    public static final List<String> INTERNAL_ONLY_COLUMNS = List.of(RelapseSummary.OVERDOSE_FLAG);

    /** True when the verdict from the worst case's CI is the verdict: computed from both kinds of counts. */
    static final String ROBUST_TO_LOSS = "verdict_robust_to_loss";

    /** The column groups of relapse_summary: counts of people and what is computed from them. */
    static final List<PublishedSuppression.ColumnGroup> SUMMARY_GROUPS = List.of(
            new PublishedSuppression.ColumnGroup(List.of("episodes"), List.of()),
            // off the stratum's publication grid, the estimate at a horizon would split an interval of its curves;
            // the verdict's p- and q-values come from the same estimate, standard error and scale as its CI. Gray's
            // tests are computed from the curves' pooled counts of several values: hidden with the row here, and
            // in the published table computed only after the protection, over the values whose curves are
            // published whole (DisclosureStage.grayTests), so they never rest on a hidden count
            new PublishedSuppression.ColumnGroup(List.of("at_risk", "relapses"),
                    List.of("cumulative_incidence", "ci_lower", "ci_upper", "death_incidence", "death_ci_lower",
                            "death_ci_upper", "interval_censored_incidence", "verdict", "estimable", "p_below_band",
                            "p_above_band", "q_below_band", "q_above_band", RelapseSummary.GRAY_P_RELAPSE,
                            RelapseSummary.GRAY_P_DEATH, ROBUST_TO_LOSS),
                    RelapseSummary.OFF_GRID),
            // the crude and worst-case figures and the crude binomial p-values (the sensitivity columns) are
            // computed from the known-status counts; whether the verdict is robust to loss compares the verdict
            // (above) with the worst case's CI (here), so it is in both groups: hidden when either is
            new PublishedSuppression.ColumnGroup(List.of("eligible", "known_status", "relapsed_known",
                    "known_relapse_free", "lost_before_horizon"), List.of("crude_proportion", "worst_case_proportion",
                    "worst_case_lower", "worst_case_upper", "followup_completeness", "p_below_band_crude",
                    "p_above_band_crude", ROBUST_TO_LOSS)),
            new PublishedSuppression.ColumnGroup(List.of("relapses_after_abstinence"), OVERDOSE_SHARE),
            // the safety count: hidden from 0 to threshold-1 ("fewer than 11 (may be 0)"), and with the relapses
            // after abstinence it is a part of; its flag is in the internal copy only (INTERNAL_ONLY_COLUMNS)
            PublishedSuppression.ColumnGroup.safetyCount(List.of("overdoses_after_abstinence"),
                    concat(OVERDOSE_SHARE, List.of(RelapseSummary.OVERDOSE_FLAG)),
                    List.of("relapses_after_abstinence")),
            new PublishedSuppression.ColumnGroup(List.of("followup_calls", "followup_reached", "followup_abstinent",
                    "followup_participants"), List.of("followup_response_rate", "followup_abstinence_among_reached",
                    "followup_abstinence_worst_case")));

    /**
     * What relapse_summary declares to the disclosure layer: the stratum values add up to the overall row; inside
     * a row the known-status and follow-up counts are parts of their totals, and the episodes are the eligible
     * plus those discharged too recently, and those at risk plus those gone before; the q-values of a stratum come
     * from every value's p-value, which comes from that value's estimate (the at-risk and relapse counts' group).
     */
    public static final PublishedSuppression.Spec SUMMARY_SPEC = new PublishedSuppression.Spec(SUMMARY_TABLE,
            List.of("stratum", "stratum_value", "definition", "clock", "horizon_days"),
            List.of(new PublishedSuppression.Axis(List.of("stratum_value"), List.of("stratum"))),
            SUMMARY_GROUPS, List.of(),
            List.of(PublishedSuppression.RowRelation.exact("eligible", "known_status", "lost_before_horizon"),
                    PublishedSuppression.RowRelation.exact("known_status", "relapsed_known", "known_relapse_free"),
                    PublishedSuppression.RowRelation.withRest("episodes", "not_yet_eligible", "eligible"),
                    PublishedSuppression.RowRelation.withRest("episodes", "gone_before_horizon", "at_risk"),
                    PublishedSuppression.RowRelation.withRest("relapses_after_abstinence", "no_overdose_after",
                            "overdoses_after_abstinence"),
                    PublishedSuppression.RowRelation.withRest("followup_calls", "followup_not_reached",
                            "followup_reached"),
                    PublishedSuppression.RowRelation.withRest("followup_reached", "followup_not_abstinent",
                            "followup_abstinent")),
            List.of(new PublishedSuppression.LineDerived("q_below_band", 0, List.of(1)),
                    new PublishedSuppression.LineDerived("q_above_band", 0, List.of(1))),
            java.util.Map.of("episodes", List.of("horizon_days")));

    /**
     * The published relapse_summary before {@link PublishedPrecision}: suppressed ({@link #suppressSummary}), without
     * the {@link #INTERNAL_ONLY_COLUMNS}.
     */
    static Dataset<Row> publishedSummary(Dataset<Row> summary, int threshold) {
        return suppressSummary(summary, threshold).drop(INTERNAL_ONLY_COLUMNS.toArray(String[]::new));
    }

    /** SPEC section 5: no count of people from 1 to threshold-1, nor what is built on it, is published. */
    static Dataset<Row> suppressSummary(Dataset<Row> summary, int threshold) {
        return PublishedSuppression.apply(summary, SUMMARY_SPEC, new SmallCellSuppression(threshold));
    }

    /**
     * The published curve: cumulative incidence, CI and number at risk, until fewer than the threshold are at risk
     * (the curve itself stops below the minimum at risk, {@code --min-at-risk}, a setting of its own that may be
     * lower: the number at risk is a count of people); per-week relapse counts stay in the restricted day counts,
     * and a stratum value whose episode count is hidden gets no curve, since its day-0 number at risk would give the
     * count away.
     */
    static Dataset<Row> publishedCurve(Dataset<Row> curve, Dataset<Row> suppressedSummary, int threshold) {
        Dataset<Row> hiddenStrata = suppressedSummary.where(functions.col("episodes").isNull())
                .select("stratum", "stratum_value", "definition", "clock").distinct();
        // the number at risk only falls along a curve: keeping the points with at least the threshold at risk
        // stops each curve before its first point below it
        return curve.drop("relapses").where(functions.col("at_risk").geq(threshold))
                .join(hiddenStrata, scala.jdk.javaapi.CollectionConverters.asScala(
                        List.of("stratum", "stratum_value", "definition", "clock")).toSeq(), "left_anti")
                .orderBy("stratum", "stratum_value", "definition", "clock", "day");
    }

    /**
     * The relapse columns of episode_outcomes, by episode_id: {@link RelapseSummary#relapseColumns} with each window
     * time in days.
     */
    public static Dataset<Row> episodeColumns(LoadedInput input, RelapseSettings settings) {
        return episodeColumns(input, settings, input.dataCut());
    }

    /** As {@link #episodeColumns(LoadedInput, RelapseSettings)}, counting deaths through {@code deathsThrough}. */
    public static Dataset<Row> episodeColumns(LoadedInput input, RelapseSettings settings, LocalDate deathsThrough) {
        Dataset<Row> columns = RelapseSummary.relapseColumns(input, settings, deathsThrough);
        for (RelapseDefinition definition : settings.timedDefinitions()) {
            columns = columns.withColumn(definition.name() + "_time_days",
                    col(LatticeOutcomes.timeColumn(definition)).multiply(7).minus(1));
        }
        return columns;
    }
}
