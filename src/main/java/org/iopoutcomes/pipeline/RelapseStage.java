package org.iopoutcomes.pipeline;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.metrics.RelapseFollowUp;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.relapse.LatticeOutcomes;
import org.iopoutcomes.relapse.RelapseDefinition;

/**
 * The relapse part of a run (SPEC section 3 "Relapse", issue 5): the per-episode relapse columns and the per-day
 * counts go to the restricted tree; relapse_summary and relapse_curve (aggregates) to the published tree.
 */
public final class RelapseStage {
    /** Per episode: the lattice, every definition's time and event, and the discharge clock (restricted). */
    public static final String EPISODE_TABLE = "relapse_outcomes";
    /** Events and censorings per stratum, definition, clock and day: the Kaplan-Meier input (restricted). */
    public static final String DAY_COUNTS_TABLE = "relapse_day_counts";
    public static final String SUMMARY_TABLE = "relapse_summary";
    public static final String CURVE_TABLE = "relapse_curve";

    private RelapseStage() {}

    /** Writes the four tables and returns their row counts, by table name. */
    public static Map<String, Long> run(LoadedInput input, LocalDate dataCut, RelapseSettings settings,
                                        OutputFiles files, Path published, Path restricted) {
        Map<String, Long> rows = new LinkedHashMap<>();
        Dataset<Row> perEpisode = episodeColumns(input, settings);
        files.parquet(perEpisode, restricted, EPISODE_TABLE);
        Dataset<Row> written = perEpisode.sparkSession().read().parquet(new Path(restricted, EPISODE_TABLE).toString());
        rows.put(EPISODE_TABLE, written.count());

        // The summary reads the per-episode table back, so the lattice and the discharge clock are built once.
        RelapseSummary.Tables tables = RelapseSummary.compute(perEpisode.sparkSession(),
                RelapseSummary.episodeTimes(input.episodes(), written, settings),
                RelapseFollowUp.perStratum(input, settings), dataCut, settings);
        files.parquetAndCsv(tables.dayCounts(), restricted, DAY_COUNTS_TABLE);
        rows.put(DAY_COUNTS_TABLE, tables.dayCounts().count());

        // Small-cell suppression (metrics/Suppression, built on another branch) is to be applied here, to
        // tables.summary() and tables.curve(), on RelapseSummary.SUMMARY_PEOPLE_COUNTS / CURVE_PEOPLE_COUNTS and
        // the estimates built on them, before they are published. Until then these tables are unsuppressed.
        files.parquetAndCsv(tables.summary(), published, SUMMARY_TABLE);
        files.parquetAndCsv(tables.curve(), published, CURVE_TABLE);
        rows.put(SUMMARY_TABLE, tables.summary().count());
        rows.put(CURVE_TABLE, tables.curve().count());
        return rows;
    }

    /** The restricted per-episode table: {@link RelapseSummary#relapseColumns} with each window time in days. */
    public static Dataset<Row> episodeColumns(LoadedInput input, RelapseSettings settings) {
        Dataset<Row> columns = RelapseSummary.relapseColumns(input, settings);
        for (RelapseDefinition definition : settings.timedDefinitions()) {
            columns = columns.withColumn(definition.name() + "_time_days",
                    col(LatticeOutcomes.timeColumn(definition)).multiply(7).minus(1));
        }
        return columns.orderBy("episode_id");
    }
}
