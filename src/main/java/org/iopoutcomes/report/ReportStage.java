package org.iopoutcomes.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.cli.BuildInfo;
import org.iopoutcomes.pipeline.OutputFiles;
import org.iopoutcomes.pipeline.RunSettings;

/**
 * The report stage of a run (issue 7): after every published table is in the staging folder, reads them back,
 * writes summary.json and report.html beside them. Runs before the manifest and the commit, so a failed report
 * fails the run and leaves the previous outputs as they were.
 */
public final class ReportStage {
    public static final String SUMMARY_FILE = "summary.json";
    public static final String REPORT_FILE = "report.html";
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
                BuildInfo.version()));
        files.text(new Path(published, SUMMARY_FILE), json);
        files.text(new Path(published, REPORT_FILE), html);
        return new Written(summary.programs().size(), json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
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
        try {
            FileSystem fs = publishedRoot.getFileSystem(conf);
            if (!fs.exists(publishedRoot)) {
                return new ReportHtml.PreviousRun(null, null, "This is the first run: no earlier run to compare with.");
            }
            LocalDate latest = null;
            for (FileStatus status : fs.listStatus(publishedRoot)) {
                String name = status.getPath().getName();
                if (!status.isDirectory() || !name.startsWith("run_date=")) {
                    continue;
                }
                LocalDate date;
                try {
                    date = LocalDate.parse(name.substring("run_date=".length()));
                } catch (DateTimeParseException e) {
                    continue;
                }
                if (date.isBefore(runDate) && (latest == null || date.isAfter(latest))) {
                    latest = date;
                }
            }
            if (latest == null) {
                return new ReportHtml.PreviousRun(null, null,
                        "No earlier run (no data cut before " + runDate + ") to compare with.");
            }
            Path file = new Path(new Path(publishedRoot, "run_date=" + latest), SUMMARY_FILE);
            if (!fs.exists(file)) {
                return new ReportHtml.PreviousRun(latest.toString(), null, "The previous run (data cut " + latest
                        + ") has no summary.json: it was made before the report existed, so there is nothing to "
                        + "compare with.");
            }
            JsonNode old;
            try (InputStream in = fs.open(file)) {
                old = JSON.readTree(in);
            }
            if (old.path("schema_version").asInt() != Summary.SCHEMA_VERSION) {
                return new ReportHtml.PreviousRun(latest.toString(), null, "The previous run (data cut " + latest
                        + ") wrote summary.json schema " + old.path("schema_version").asText("unknown")
                        + ", not " + Summary.SCHEMA_VERSION + ": not compared.");
            }
            return new ReportHtml.PreviousRun(latest.toString(), old, "Compared with the previous run, data cut "
                    + latest + " (its summary.json).");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the previous run under " + publishedRoot, e);
        }
    }
}
