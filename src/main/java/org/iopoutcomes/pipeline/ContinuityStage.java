package org.iopoutcomes.pipeline;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.continuity.ContinuityEffect;
import org.iopoutcomes.continuity.ContinuitySettings;
import org.iopoutcomes.continuity.DoseResponse;
import org.iopoutcomes.input.TableReader;
import org.iopoutcomes.metrics.DeterministicPlan;
import org.iopoutcomes.retention.RetentionTables;
import org.iopoutcomes.spark.KeptDataset;

/**
 * The continuity-of-care part of a run (SPEC section 3, issue 6): continuity_effect and dose_response
 * (published, Parquet and CSV) from episode_outcomes with its exposure and discharge-clock relapse columns.
 */
public final class ContinuityStage {
    private ContinuityStage() {}

    /**
     * The tables of one run, before they are written: for the disclosure stage (every count, nothing hidden yet) and
     * as the director inside the program sees them (the same rows, nothing hidden; restricted tree).
     */
    public record Tables(Dataset<Row> effect, Dataset<Row> doseResponse, Dataset<Row> internalEffect,
                         Dataset<Row> internalDoseResponse) {}

    /**
     * Computes both tables.
     *
     * @param analysis episode_outcomes with the exposures and the relapse columns timeColumn / eventColumn
     * @param models the adjusted models (null: none)
     */
    public static Tables compute(SparkSession spark, Dataset<Row> analysis, String timeColumn, String eventColumn,
                                 List<String> extraStrata, ContinuitySettings settings, int suppressionThreshold,
                                 ContinuityEffect.AdjustedModels models) {
        return computeFor(spark, analysis, timeColumn, eventColumn, RetentionTables.strata(extraStrata), settings,
                suppressionThreshold, models);
    }

    /** As {@link #compute}, for the given strata (overall first, as {@link RetentionTables#strata}). */
    public static Tables computeFor(SparkSession spark, Dataset<Row> analysis, String timeColumn, String eventColumn,
                                    List<String> strata, ContinuitySettings settings, int suppressionThreshold,
                                    ContinuityEffect.AdjustedModels models) {
        List<String> columns = List.of(analysis.columns());
        for (String column : settings.adjustFor()) {
            if (!columns.contains(column)) {
                throw BadSettingsException.of("--adjust-for", column, "is not a column of episode_outcomes");
            }
        }
        List<Row> effect = effectRows(spark, analysis, timeColumn, eventColumn, strata, settings, models);
        List<Row> dose = doseResponseRows(analysis, timeColumn, eventColumn, strata, settings);
        // the published tables are suppressed with every other table, in the disclosure stage
        return new Tables(spark.createDataFrame(effect, ContinuityEffect.SCHEMA).localCheckpoint(),
                spark.createDataFrame(dose, DoseResponse.SCHEMA).localCheckpoint(),
                ContinuityEffect.publish(spark, effect, 1).localCheckpoint(),
                DoseResponse.publish(spark, dose, 1).localCheckpoint());
    }

    /** continuity_effect, suppressed, computed once (a small driver-made table). */
    public static Dataset<Row> effect(SparkSession spark, Dataset<Row> analysis, String timeColumn, String eventColumn,
                                      List<String> strata, ContinuitySettings settings, int suppressionThreshold,
                                      ContinuityEffect.AdjustedModels models) {
        return ContinuityEffect.publish(spark, effectRows(spark, analysis, timeColumn, eventColumn, strata, settings,
                models), suppressionThreshold).localCheckpoint();
    }

    /** The rows of continuity_effect before suppression (driver side: a few per stratum value and exposure). */
    static List<Row> effectRows(SparkSession spark, Dataset<Row> analysis, String timeColumn, String eventColumn,
                                List<String> strata, ContinuitySettings settings,
                                ContinuityEffect.AdjustedModels models) {
        KeptDataset kept = KeptDataset.of(ContinuityEffect.byExposure(analysis, timeColumn, eventColumn, settings),
                StorageLevel.MEMORY_AND_DISK(), "landmark cohorts by exposure");
        Dataset<Row> byExposure = kept.rows();
        try {
            List<Row> counts = DeterministicPlan.require(ContinuityEffect.stratumCounts(byExposure, strata),
                    "continuity stratum counts").collectAsList();
            List<Row> days = DeterministicPlan.require(ContinuityEffect.dayCounts(byExposure, strata),
                    "continuity day counts").collectAsList();
            return ContinuityEffect.rows(counts, days, strata, settings, models, key -> {
                Dataset<Row> cohort = ContinuityEffect.cohortRows(byExposure, key[2]);
                return key[0].equals(RetentionTables.OVERALL) ? cohort
                        : cohort.where(col(TableReader.quote(key[0])).cast("string").equalTo(key[1]));
            });
        } finally {
            kept.close();
        }
    }

    /** The rows of dose_response before suppression. */
    static List<Row> doseResponseRows(Dataset<Row> analysis, String timeColumn, String eventColumn,
                                      List<String> strata, ContinuitySettings settings) {
        Dataset<Row> population = DoseResponse.population(analysis, timeColumn, eventColumn, settings);
        DoseResponse.Cuts cuts = DoseResponse.cuts(population, settings);
        List<Row> doseDays = DeterministicPlan.require(DoseResponse.dayCounts(population, cuts, strata),
                "dose-response day counts").collectAsList();
        return DoseResponse.rows(doseDays, strata, settings);
    }

    /**
     * Computes both tables and writes the internal ones; returns them all, the published ones still to be
     * suppressed by the disclosure stage with the other tables.
     *
     * @param internal the restricted tree's folder of unsuppressed aggregates ({@link OutcomesJob#INTERNAL})
     */
    public static Tables run(SparkSession spark, Dataset<Row> analysis, String timeColumn, String eventColumn,
                             RunSettings settings, ContinuityEffect.AdjustedModels models, OutputFiles files,
                             Path internal) {
        Tables tables = compute(spark, analysis, timeColumn, eventColumn, settings.strata(), settings.continuity(),
                settings.suppressionThreshold(), models);
        files.parquetAndCsv(tables.internalEffect(), internal, ContinuityEffect.TABLE);
        files.parquetAndCsv(tables.internalDoseResponse(), internal, DoseResponse.TABLE);
        return tables;
    }
}
