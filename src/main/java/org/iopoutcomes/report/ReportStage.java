package org.iopoutcomes.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.cli.BuildInfo;
import org.iopoutcomes.pipeline.OutputCommit;
import org.iopoutcomes.pipeline.OutputFiles;
import org.iopoutcomes.pipeline.RunSettings;

/**
 * The report stage of a run (issue 7): after every published table is in the staging folder, reads them back,
 * writes summary.json and report.html beside them. Runs before the manifest and the commit, so a failed report
 * fails the run and leaves the previous outputs as they were.
 *
 * <p>The internal page (issue 13, {@link #runInternal}) is the same page drawn from the unsuppressed tables of the
 * restricted tree, with the overdose-after-abstinence episodes: it is written into the restricted staging folder
 * and committed with the restricted tree, never into the published one.
 */
public final class ReportStage {
    public static final String SUMMARY_FILE = "summary.json";
    public static final String REPORT_FILE = "report.html";
    /** The director's page inside the program, at the top of the restricted run folder. */
    public static final String INTERNAL_REPORT_FILE = "report_internal.html";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private ReportStage() {}

    /** What was written: the number of programs and the sizes of the two files. */
    public record Written(long programs, long summaryBytes, long reportBytes) {
        public Map<String, Long> asRows() {
            return Map.of("programs", programs, "summary_json_bytes", summaryBytes, "report_html_bytes", reportBytes);
        }
    }

    /**
     * @param published     the run's published staging folder, with the tables already written
     * @param publishedRoot the root holding the committed {@code run_date=} folders (for the previous run)
     */
    public static Written run(SparkSession spark, RunSettings settings, LocalDate runDate, OutputFiles files,
                              Path published, Path publishedRoot) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        PublishedTables tables = PublishedTables.read(spark, published);
        Summary summary = Summary.of(runDate, settings.relapse(), settings.suppressionThreshold(),
                settings.retention().horizonsDays(), tables);
        String json = summaryJson(summary);
        ReportHtml.PreviousRun previous = previousRun(conf, publishedRoot, runDate);
        String html = ReportHtml.render(new ReportHtml.Input(summary, tables, settings.asMap(), previous,
                BuildInfo.version(), new ReportHtml.Published(internalPageLocation(settings, runDate))));
        files.text(new Path(published, SUMMARY_FILE), json);
        files.text(new Path(published, REPORT_FILE), html);
        return new Written(summary.programs().size(), json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    /**
     * The internal page: report_internal.html at the top of the restricted staging folder, drawn from the
     * unsuppressed tables in {@code internal}, with the overdose-after-abstinence events listed (at most
     * {@link OverdoseEpisodes#DEFAULT_CAP} rows collected), and the headline numbers of those tables as
     * {@code internal/summary.json}, which the next night's internal page compares with. Returns nothing: what it
     * would count (events, bytes) must not reach the published manifest.
     *
     * @param internal       the restricted staging folder's {@code internal} folder, with the tables written
     * @param restricted     the restricted staging folder
     * @param restrictedRoot the root holding the committed restricted {@code run_date=} folders
     * @param overdoseEvents row-level events, columns of
     *                       {@link org.iopoutcomes.metrics.RelapseFollowUp#overdosesAfterAbstinence}
     */
    public static void runInternal(SparkSession spark, RunSettings settings, LocalDate runDate, OutputFiles files,
                                   Path internal, Path restricted, Path restrictedRoot, Dataset<Row> overdoseEvents) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        PublishedTables tables = PublishedTables.read(spark, internal);
        // threshold 1: the internal tables hide nothing, and summary.json says so; p-values in full (10 digits)
        Summary summary = Summary.of(runDate, settings.relapse(), 1, settings.retention().horizonsDays(), tables,
                Summary.Precision.FULL);
        String summaryFile = internal.getName() + "/" + SUMMARY_FILE;
        ReportHtml.PreviousRun previous = previousRun(conf, restrictedRoot, runDate, summaryFile);
        OverdoseEpisodes events = OverdoseEpisodes.collect(overdoseEvents, OverdoseEpisodes.DEFAULT_CAP);
        String html = ReportHtml.render(new ReportHtml.Input(summary, tables, settings.asMap(), previous,
                BuildInfo.version(), new ReportHtml.Internal(events)));
        files.text(new Path(internal, SUMMARY_FILE), summaryJson(summary));
        files.text(new Path(restricted, INTERNAL_REPORT_FILE), html);
    }

    /**
     * Where the internal page of this run is, for the sentence on the published page: a path relative to the
     * run's output folder when the restricted tree is under it (the default), else relative to the restricted
     * output folder, whose location the settings table of the page already shows.
     */
    static String internalPageLocation(RunSettings settings, LocalDate runDate) {
        if (new Path(settings.restrictedOutput()).equals(new Path(settings.output(), "restricted"))) {
            return ReportHtml.defaultInternalPage(runDate.toString());
        }
        return "run_date=" + runDate + "/" + INTERNAL_REPORT_FILE
                + " under the restricted output folder (the restricted_output setting)";
    }

    /** summary.json text: keys in the fixed order of {@link Summary#toJson()}, a final newline. */
    public static String summaryJson(Summary summary) {
        try {
            return JSON.writeValueAsString(summary.toJson()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The latest committed run before this run's date under the published root, and its summary.json when it
     * has one. Hidden staging folders and later dates (a backfill) are not previous runs.
     */
    static ReportHtml.PreviousRun previousRun(Configuration conf, Path publishedRoot, LocalDate runDate) {
        return previousRun(conf, publishedRoot, runDate, SUMMARY_FILE);
    }

    /**
     * As {@link #previousRun(Configuration, Path, LocalDate)}, with the summary at {@code summaryFile} (a path
     * relative to the run folder): the internal page compares with the previous restricted run's internal summary.
     */
    static ReportHtml.PreviousRun previousRun(Configuration conf, Path publishedRoot, LocalDate runDate,
                                              String summaryFile) {
        try {
            FileSystem fs = publishedRoot.getFileSystem(conf);
            if (!fs.exists(publishedRoot)) {
                return new ReportHtml.PreviousRun(null, null, "This is the first run: no earlier run to compare with.");
            }
            LocalDate latest = null;
            for (LocalDate date : OutputCommit.runDateFolders(fs, publishedRoot)) {
                if (date.isBefore(runDate)) {
                    latest = date;
                }
            }
            if (latest == null) {
                return new ReportHtml.PreviousRun(null, null,
                        "No earlier run (no data cut before " + runDate + ") to compare with.");
            }
            Path file = new Path(new Path(publishedRoot, "run_date=" + latest), summaryFile);
            if (!fs.exists(file)) {
                return new ReportHtml.PreviousRun(latest.toString(), null, "The previous run (data cut " + latest
                        + ") has no " + summaryFile + ": it was made before " + (summaryFile.equals(SUMMARY_FILE)
                        ? "the report" : "the internal page") + " existed, so there is nothing to compare with.");
            }
            JsonNode old;
            try (InputStream in = fs.open(file)) {
                old = JSON.readTree(in);
            }
            if (old.path("schema_version").asInt() != Summary.SCHEMA_VERSION) {
                return new ReportHtml.PreviousRun(latest.toString(), null, "The previous run (data cut " + latest
                        + ") wrote " + summaryFile + " schema " + old.path("schema_version").asText("unknown")
                        + ", not " + Summary.SCHEMA_VERSION + ": not compared.");
            }
            return new ReportHtml.PreviousRun(latest.toString(), old, "Compared with the previous run, data cut "
                    + latest + " (its " + summaryFile + ").");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the previous run under " + publishedRoot, e);
        }
    }
}
