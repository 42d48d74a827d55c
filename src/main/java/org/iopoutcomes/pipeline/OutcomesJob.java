package org.iopoutcomes.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.cli.BuildInfo;
import org.iopoutcomes.continuity.ContinuityExposures;
import org.iopoutcomes.continuity.ContinuitySettings;
import org.iopoutcomes.continuity.SparkAdjustedModels;
import org.iopoutcomes.episodes.EpisodeFeatures;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;
import org.iopoutcomes.input.TableCounts;
import org.iopoutcomes.input.TableSource;
import org.iopoutcomes.metrics.DataQuality;
import org.iopoutcomes.metrics.PointPrevalence;
import org.iopoutcomes.metrics.DeterministicPlan;
import org.iopoutcomes.metrics.RelapseFollowUp;
import org.iopoutcomes.metrics.RelapseSettings;
import org.iopoutcomes.relapse.PostTreatmentRelapse;
import org.iopoutcomes.report.ReportStage;
import org.iopoutcomes.retention.RetentionSettings;
import org.iopoutcomes.retention.RetentionTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly run: validate and load the input, derive the per-episode table, write the restricted and
 * published trees into staging, then commit them whole (SPEC section 5).
 */
public final class OutcomesJob {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomesJob.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OutcomesJob() {}

    /** Name of the record of the latest run, beside the run_date folders of the published tree. */
    public static final String LAST_RUN = "_last_run.json";

    /**
     * Folder of the restricted tree holding the aggregate tables as the director inside the program sees them:
     * the published tables' rows with nothing hidden (SPEC section 5, two audiences).
     */
    public static final String INTERNAL = "internal";

    /** The run's record, in the restricted tree on every run and in the published tree when the run publishes. */
    public static final String MANIFEST = "manifest.json";

    /** Test hook (package-private, not a user option): called after each stage; a test makes it throw. */
    static volatile java.util.function.Consumer<String> afterStage = stage -> { };

    /**
     * Runs under the output's lock ({@link RunLock}); whatever happens, {@code DIR/published/_last_run.json}
     * then says how the run ended (succeeded, replaced or failed with its error), for a scheduler to read.
     */
    public static RunResult run(RunSettings settings, SparkSession spark) {
        Instant started = Instant.now();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        String runId = UUID.randomUUID().toString();
        try (RunLock lock = RunLock.acquire(conf, settings.output(), runId)) {
            LocalDate[] runDate = new LocalDate[1];
            try {
                return runLocked(settings, spark, conf, runId, started, runDate);
            } catch (RuntimeException | Error e) {
                writeLastRun(conf, settings, lastRun("failed", runId, runDate[0], started, e));
                throw e;
            }
        }
    }

    private static RunResult runLocked(RunSettings settings, SparkSession spark, Configuration conf, String runId,
                                       Instant started, LocalDate[] runDateOut) {
        StageTimer timer = new StageTimer(afterStage);

        LoadedInput input = timer.time("validate_input",
                () -> InputLoader.load(spark, new InputLoader.Request(settings.input(), settings.asOf(),
                        settings.today(), settings.maxRejectRate())),
                loaded -> Map.of("rows_read", loaded.counts().stream().mapToLong(TableCounts::rowsRead).sum(),
                        "rows_quarantined", loaded.counts().stream().mapToLong(TableCounts::rowsRejected).sum()));
        InputLoader.enforceRejectRate(input.counts(), settings.maxRejectRate());
        List<String> episodeColumns = List.of(input.episodes().columns());
        for (String column : settings.strata()) {
            if (!episodeColumns.contains(column)) {
                throw BadSettingsException.of("--strata", column, "is not a column of episodes " + episodeColumns);
            }
        }
        LocalDate runDate = input.dataCut();
        runDateOut[0] = runDate;
        LocalDate deathsCompleteThrough = settings.deathsCompleteThrough(runDate); // exits 2 when after the cut
        if (input.hasDeaths()) {
            LOG.info("deaths complete through {}", deathsCompleteThrough);
        } else if (settings.deathsCompleteThrough() != null) {
            LOG.warn("{} {} is given but the input has no deaths table: no death after discharge is known",
                    RunSettings.DEATHS_COMPLETE_THROUGH_OPTION, settings.deathsCompleteThrough());
        }
        LOG.info("data cut {} ({})", runDate, input.dataCutExplicit() ? "--as-of" : "latest input date");

        OutputCommit commit = new OutputCommit(conf, publishedRoot(settings), settings.restrictedOutput(),
                runDate, runId);
        OutputFiles files = new OutputFiles(conf);
        commit.recover();
        // Decided after recover(), which puts back a published tree a killed run had moved aside.
        Publication publication = Publication.decide(settings.publicationCadence(), runDate,
                commit.committedPublishedRunDates());
        LOG.info("{}: {}", publication.published() ? "publishes" : "does not publish", publication.reason());
        commit.stage(publication.published());
        boolean replaces = commit.replacesEarlierRun();
        String replacedRunId = replaces ? previousRunId(conf, commit) : null;
        try {
            Dataset<Row> episodeOutcomes = episodeOutcomes(input, settings.retention(), settings.relapse(),
                    settings.continuity(), deathsCompleteThrough);
            Path restricted = commit.restrictedStaging();
            Path published = commit.publishedStaging();
            Path internal = new Path(restricted, INTERNAL);
            long episodes = timer.time("episode_outcomes", () -> {
                files.parquet(episodeOutcomes, restricted, "episode_outcomes");
                return spark.read().parquet(new Path(restricted, "episode_outcomes").toString()).count();
            }, n -> Map.of("episodes", n));
            // Retention reads the written episode table back: the per-episode joins and windows run once.
            Dataset<Row> writtenOutcomes = spark.read().parquet(new Path(restricted, "episode_outcomes").toString());
            RetentionTables.Published retentionTables = timer.time("retention", () -> retention(spark, settings,
                    writtenOutcomes, files, restricted, internal), t -> Map.of());
            long quarantined = input.counts().stream().mapToLong(TableCounts::rowsRejected).sum();
            timer.time("quarantine", () -> {
                files.parquetAndCsv(input.quarantine().orderBy("table_name", "reason", "source_file", "raw_row"),
                        restricted, "quarantine");
                return quarantined;
            }, n -> Map.of("quarantine", n));
            RelapseStage.Result relapse = timer.time("relapse", () -> RelapseStage.run(input, writtenOutcomes,
                    runDate, settings.relapse(), settings.suppressionThreshold(), files, restricted, internal),
                    RelapseStage.Result::rows);
            // continuity_effect and dose_response from the written episode table (exposures and relapse columns)
            ContinuityStage.Tables continuity = timer.time("continuity", () -> ContinuityStage.run(spark,
                    writtenOutcomes, PostTreatmentRelapse.TIME, PostTreatmentRelapse.EVENT, settings,
                    new SparkAdjustedModels(settings.continuity()), files, internal), t -> Map.of());
            // Point-prevalence abstinence at each follow-up horizon, beside the time to first detected relapse.
            Dataset<Row> pointPrevalence = timer.time("point_prevalence", () -> {
                Dataset<Row> table = PointPrevalence.table(spark, PointPrevalence.counts(input, settings.relapse(),
                        settings.relapse().followUpWindowDays()).collectAsList(), settings.relapse());
                files.parquetAndCsv(table, internal, PointPrevalence.TABLE);
                return table.localCheckpoint();
            }, t -> Map.of());
            // Every published summary through one disclosure control, so no table gives back another's hidden cells.
            Map<String, Long> disclosedRows = timer.time("disclosure", () -> DisclosureStage.run(
                    new DisclosureStage.Input(retentionTables.summary(), retentionTables.curve(), relapse.summary(),
                            relapse.curve(), relapse.publishedGray(),
                            continuity.effect(), continuity.doseResponse(), pointPrevalence),
                    settings.suppressionThreshold(),
                    files, published), rows -> rows);
            timer.time("data_quality", () -> {
                files.parquetAndCsv(DataQuality.table(spark, input.counts(), runDate), published, "data_quality");
                files.parquetAndCsv(DataQuality.table(spark, input.counts(), runDate), internal, "data_quality");
                return (long) DataQuality.rows(input.counts(), runDate).size();
            }, n -> Map.of("data_quality", n));
            // The report reads the published tables back, so it must come after every table is written.
            timer.time("report", () -> ReportStage.run(spark, settings, runDate, files, published,
                    commit.publishedDir().getParent()), ReportStage.Written::asRows);
            // The director's page from the unsuppressed tables, with the overdose-after-abstinence episodes: restricted
            // tree only, and nothing of it (no count, no size) in the published manifest.
            timer.time("report_internal", () -> ReportStage.runInternal(spark, settings, runDate, files, internal,
                    restricted, commit.restrictedDir().getParent(),
                    RelapseFollowUp.overdosesAfterAbstinence(input, settings.relapse())));

            Map<String, Long> tableRows = new LinkedHashMap<>();
            tableRows.put("retention_summary", disclosedRows.get("retention_summary"));
            tableRows.put("retention_curve", retentionTables.curve().count());
            tableRows.putAll(relapse.rows());
            tableRows.putAll(disclosedRows);
            Map<String, Object> manifest = manifest(settings, input, runDate, runId, started, episodes, timer, conf,
                    commit, tableRows);
            String status = replaces ? "replaced" : "succeeded";
            manifest.put("status", status);
            if (replacedRunId != null) {
                manifest.put("replaced_run_id", replacedRunId);
            }
            manifest.putAll(publication.asMap());
            // The restricted tree keeps the record of every night; the published one only of a publishing run.
            String manifestJson = JSON.writeValueAsString(manifest);
            files.text(new Path(restricted, MANIFEST), manifestJson);
            if (publication.published()) {
                files.text(new Path(published, MANIFEST), manifestJson);
            }
            commit.commit(files, runDate + "\n");
            LOG.info("run {} {}: {}", runId, replaces ? "committed, replacing the earlier run of this data cut"
                    : "committed", publication.published() ? commit.publishedDir() + " and " + commit.restrictedDir()
                    : commit.restrictedDir() + " only; the published tree stands as run_date="
                            + publication.publishedRunDate());
            Map<String, Object> record = lastRun(status, runId, runDate, started, null);
            if (replacedRunId != null) {
                record.put("replaced_run_id", replacedRunId);
            }
            record.putAll(publication.asMap());
            writeLastRun(conf, settings, record);
            String publishedDir = new Path(commit.publishedDir().getParent(),
                    "run_date=" + publication.publishedRunDate()).toString();
            return new RunResult(runDate, publishedDir, commit.restrictedDir().toString(),
                    input.counts(), episodes, timer.stages(), publication.published(), publication.reason());
        } catch (RuntimeException e) {
            commit.abort();
            throw e;
        } catch (Exception e) {
            commit.abort();
            throw new IllegalStateException(e);
        } finally {
            input.close();
        }
    }

    static String publishedRoot(RunSettings settings) {
        return settings.output() + "/published";
    }

    /** The run id of the tree this run replaces: the published one when it publishes, else the restricted one. */
    private static String previousRunId(Configuration conf, OutputCommit commit) {
        String fromPublished = commit.publishes() ? runIdOf(conf, new Path(commit.publishedDir(), MANIFEST)) : null;
        return fromPublished != null ? fromPublished : runIdOf(conf, new Path(commit.restrictedDir(), MANIFEST));
    }

    private static String runIdOf(Configuration conf, Path manifest) {
        try (java.io.InputStream in = manifest.getFileSystem(conf).open(manifest)) {
            return JSON.readTree(in).path("run_id").asText(null);
        } catch (java.io.IOException | RuntimeException e) {
            return null; // an earlier tree without a readable manifest (before the restricted one had one)
        }
    }

    private static Map<String, Object> lastRun(String status, String runId, LocalDate runDate, Instant started,
                                               Throwable error) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("status", status);
        record.put("run_id", runId);
        record.put("run_date", runDate == null ? null : runDate.toString());
        record.put("started_at", started.toString());
        record.put("finished_at", Instant.now().toString());
        if (error != null) {
            record.put("published", false); // a failed run leaves the published tree as it was
            record.put("error_type", error.getClass().getName());
            record.put("error", RowLogging.safeMessage(error));
        }
        return record;
    }

    /**
     * Writes {@code DIR/published/_last_run.json} (hidden from Spark readers by its leading underscore) through a
     * temporary file, never inside a run_date folder. A failure to write it does not hide the run's own error.
     */
    private static void writeLastRun(Configuration conf, RunSettings settings, Map<String, Object> record) {
        Path target = new Path(publishedRoot(settings), LAST_RUN);
        Path temporary = new Path(publishedRoot(settings), "." + LAST_RUN + "." + record.get("run_id") + ".tmp");
        try {
            org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(conf);
            fs.mkdirs(target.getParent());
            try (java.io.OutputStream out = fs.create(temporary, true)) {
                out.write(JSON.writeValueAsBytes(record));
            }
            fs.delete(target, false);
            if (!fs.rename(temporary, target)) {
                throw new java.io.IOException("cannot move " + temporary + " to " + target);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("could not write {}: {}", target, e.getMessage());
        }
    }

    /**
     * The analysis table episode_outcomes, one row per episode: the retention fields, the relapse columns, the
     * continuity exposures and each exposure's landmark status (from the discharge-clock relapse columns).
     */
    public static Dataset<Row> episodeOutcomes(LoadedInput input, RetentionSettings retention,
                                               RelapseSettings relapse, ContinuitySettings continuity) {
        return episodeOutcomes(input, retention, relapse, continuity, input.dataCut());
    }

    /** @param deathsThrough the date through which the deaths table is complete: later deaths are not counted */
    public static Dataset<Row> episodeOutcomes(LoadedInput input, RetentionSettings retention,
                                               RelapseSettings relapse, ContinuitySettings continuity,
                                               LocalDate deathsThrough) {
        Dataset<Row> withRelapse = EpisodeFeatures.episodeOutcomes(input.episodes(), input.sessions(),
                        input.dataCut(), retention)
                .join(RelapseStage.episodeColumns(input, relapse, deathsThrough), "episode_id", "left");
        return ContinuityExposures.withLandmarkStatus(
                        ContinuityExposures.withExposures(withRelapse, input.sessions(),
                                input.table(Schemas.MUTUAL_HELP), continuity),
                        PostTreatmentRelapse.TIME, PostTreatmentRelapse.EVENT, continuity)
                .orderBy("episode_id");
    }

    /**
     * retention_counts and discharge_counts (restricted: per-day counts), then retention_summary and retention_curve (published)
     * built from the collected aggregates. Returns the row counts of the two published tables.
     */
    private static RetentionTables.Published retention(SparkSession spark, RunSettings settings,
                                                       Dataset<Row> episodeOutcomes, OutputFiles files,
                                                       Path restricted, Path internal) {
        List<String> strata = RetentionTables.strata(settings.strata());
        files.parquetAndCsv(RetentionTables.dayCounts(episodeOutcomes, strata), restricted, "retention_counts");
        List<Row> dayCounts = spark.read().parquet(new Path(restricted, "retention_counts").toString())
                .collectAsList();
        files.parquetAndCsv(RetentionTables.dischargeCounts(episodeOutcomes, strata), restricted,
                "discharge_counts");
        List<Row> dischargeCounts = spark.read().parquet(new Path(restricted, "discharge_counts").toString())
                .collectAsList();
        List<Row> totals = DeterministicPlan.require(RetentionTables.stratumTotals(episodeOutcomes, strata),
                "retention stratum totals").collectAsList();
        // the summary and the curve (on its grid) go through the disclosure stage, which decides where it may go
        RetentionTables.Published tables = RetentionTables.forDisclosure(spark, totals, dayCounts, dischargeCounts,
                strata, settings.retention(), settings.suppressionThreshold());
        RetentionTables.Published unsuppressed = RetentionTables.publish(spark, totals, dayCounts, dischargeCounts,
                strata, settings.retention(), 1);
        files.parquetAndCsv(unsuppressed.summary(), internal, "retention_summary");
        files.parquetAndCsv(unsuppressed.curve(), internal, "retention_curve");
        return new RetentionTables.Published(tables.summary().localCheckpoint(), tables.curve().localCheckpoint());
    }

    private static Map<String, Object> manifest(RunSettings settings, LoadedInput input, LocalDate runDate,
                                                String runId, Instant started, long episodes, StageTimer timer,
                                                Configuration conf, OutputCommit commit,
                                                Map<String, Long> tableRows) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("product", "iop-outcomes");
        manifest.put("status", "succeeded");
        manifest.put("run_id", runId);
        manifest.put("run_date", runDate.toString());
        manifest.put("data_cut_source", input.dataCutExplicit() ? "as_of" : "latest_input_date");
        manifest.put("started_at", started.toString());
        manifest.put("finished_at", Instant.now().toString());
        manifest.put("settings", settings.asMap());
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("iop_outcomes", BuildInfo.version());
        versions.put("git_commit", BuildInfo.gitCommit());
        versions.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        versions.put("scala", scala.util.Properties.versionNumberString());
        versions.put("java", System.getProperty("java.version"));
        manifest.put("versions", versions);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (TableSource source : input.sources()) {
            inputs.add(InputFingerprint.of(source, conf));
        }
        manifest.put("inputs", inputs);
        Map<String, Object> inputRows = new LinkedHashMap<>();
        for (TableCounts c : input.counts()) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("read", c.rowsRead());
            counts.put("loaded", c.rowsLoaded());
            counts.put("quarantined", c.rowsRejected());
            counts.put("after_data_cut", c.afterDataCut());
            inputRows.put(c.table(), counts);
        }
        Map<String, Object> outputRows = new LinkedHashMap<>();
        outputRows.put("episode_outcomes", episodes);
        outputRows.put("quarantine", input.counts().stream().mapToLong(TableCounts::rowsRejected).sum());
        outputRows.put("data_quality", (long) DataQuality.rows(input.counts(), runDate).size());
        outputRows.putAll(tableRows);
        Map<String, Object> rowCounts = new LinkedHashMap<>();
        rowCounts.put("inputs", inputRows);
        rowCounts.put("outputs", outputRows);
        manifest.put("row_counts", rowCounts);
        List<Map<String, Object>> stages = new ArrayList<>();
        for (StageTimer.Stage stage : timer.stages()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stage", stage.name());
            s.put("seconds", Math.round(stage.seconds() * 1000) / 1000.0);
            s.put("rows", stage.rows());
            stages.add(s);
        }
        manifest.put("stages", stages);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("published", commit.publishes() ? commit.publishedDir().toString() : null);
        outputs.put("restricted", commit.restrictedDir().toString());
        manifest.put("outputs", outputs);
        return manifest;
    }
}
