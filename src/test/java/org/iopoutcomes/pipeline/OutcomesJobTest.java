package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.FixtureRun;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.input.QuarantineReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole run on small inputs: the two trees, the manifest, quarantine with raw rows, the data cut. */
class OutcomesJobTest {
    static final LocalDate TODAY = LocalDate.of(2025, 12, 31);

    @TempDir
    Path tmp;

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void writesBothTreesWithManifestAndQuarantinedRawRows() throws Exception {
        Path input = InputFixture.valid()
                .add("sessions", "p1,e1,2025-01-20,group,-15,attended")
                .writeTo(tmp.resolve("input"));
        Path out = tmp.resolve("out");
        SparkSession spark = SparkTestSession.get();
        RunSettings settings = RunSettings.defaults(input.toString(), out.toString(), TODAY).withMaxRejectRate(0.10);

        RunResult result = OutcomesJob.run(settings, spark);

        assertEquals(LocalDate.of(2025, 6, 30), result.runDate());
        assertEquals(3, result.episodes());
        assertEquals(1, result.quarantined());
        Path published = out.resolve("published/run_date=2025-06-30");
        Path restricted = out.resolve("restricted/run_date=2025-06-30");
        assertEquals(Set.of("data_quality", "data_quality.csv", "retention_summary", "retention_summary.csv",
                "retention_curve", "retention_curve.csv", "relapse_summary", "relapse_summary.csv",
                "relapse_curve", "relapse_curve.csv", "continuity_effect", "continuity_effect.csv", "dose_response",
                "dose_response.csv", "point_prevalence", "point_prevalence.csv", "summary.json", "report.html",
                "manifest.json", "_SUCCESS"), names(published));
        assertEquals(Set.of("episode_outcomes", "retention_counts", "retention_counts.csv", "discharge_counts",
                "discharge_counts.csv", "quarantine",
                "quarantine.csv", "relapse_day_counts", "relapse_day_counts.csv", OutcomesJob.INTERNAL,
                "manifest.json", "report_internal.html"), names(restricted));
        // The director's view inside the program: every published table, unsuppressed, and the headline numbers of
        // the internal page, in the restricted tree.
        assertEquals(Set.of("data_quality", "data_quality.csv", "retention_summary", "retention_summary.csv",
                "retention_curve", "retention_curve.csv", "relapse_summary", "relapse_summary.csv",
                "relapse_curve", "relapse_curve.csv", "continuity_effect", "continuity_effect.csv", "dose_response",
                "dose_response.csv", "point_prevalence", "point_prevalence.csv", "summary.json"),
                names(restricted.resolve(OutcomesJob.INTERNAL)));
        // episode_outcomes is the one analysis table: the retention fields and the relapse columns together.
        List<String> outcomeColumns = List.of(spark.read().parquet(restricted.resolve("episode_outcomes").toString())
                .columns());
        assertTrue(outcomeColumns.containsAll(List.of("dropout", "retention_time_days", "lattice", "relapse_event",
                "relapse_time_days", "last_known_status_date", "ctn0094_relapse_time_weeks", "ctn0094_relapse_event",
                "ctn0094_relapse_time_days", "johnson1992_event", "relapse_status", "death_date", "death_cause",
                "relapse_interval_start_days")),
                outcomeColumns.toString());
        // Nothing but the committed run folders is visible: no staging or previous trees left behind.
        assertEquals(Set.of("run_date=2025-06-30", OutcomesJob.LAST_RUN), names(out.resolve("published")));
        assertEquals(Set.of("run_date=2025-06-30"), names(out.resolve("restricted")));

        List<Row> quarantine = spark.read().parquet(restricted.resolve("quarantine").toString()).collectAsList();
        assertEquals(1, quarantine.size());
        assertEquals("sessions", quarantine.get(0).getAs("table_name"));
        assertEquals(QuarantineReason.MINUTES_NOT_POSITIVE, quarantine.get(0).getAs("reason"));
        assertEquals("p1,e1,2025-01-20,group,-15,attended", quarantine.get(0).getAs("raw_row"));
        assertTrue(Files.readString(restricted.resolve("quarantine.csv")).contains("p1,e1,2025-01-20,group,-15,attended"));

        JsonNode manifest = new ObjectMapper().readTree(published.resolve("manifest.json").toFile());
        assertEquals(manifest, new ObjectMapper().readTree(restricted.resolve("manifest.json").toFile()),
                "the restricted tree holds the same manifest");
        assertTrue(result.published(), "the first run of a month publishes");
        assertTrue(manifest.get("published").asBoolean());
        assertEquals("publication cadence monthly: first run of 2025-06", manifest.get("publication").asText());
        assertEquals("succeeded", manifest.get("status").asText());
        assertEquals("2025-06-30", manifest.get("run_date").asText());
        assertEquals(3, manifest.at("/row_counts/outputs/episode_outcomes").asLong());
        for (String table : List.of("retention_summary", "retention_curve", "relapse_day_counts", "relapse_summary",
                "relapse_curve", "continuity_effect", "dose_response", "point_prevalence")) {
            assertTrue(manifest.at("/row_counts/outputs").has(table), table + " in " + manifest.get("row_counts"));
        }
        assertEquals(13, manifest.at("/row_counts/inputs/sessions/read").asLong());
        assertEquals(1, manifest.at("/row_counts/inputs/sessions/quarantined").asLong());
        JsonNode episodesInput = manifest.get("inputs").get(0);
        assertEquals("episodes", episodesInput.get("table").asText());
        byte[] bytes = Files.readAllBytes(input.resolve("episodes.csv"));
        assertEquals(bytes.length, episodesInput.get("bytes").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                episodesInput.at("/files/0/sha256").asText());
        assertEquals(0.10, manifest.at("/settings/max_reject_rate").asDouble());
        assertFalse(manifest.at("/versions/spark").asText().isEmpty());
        List<String> stages = manifest.get("stages").findValuesAsText("stage");
        assertEquals(List.of("validate_input", "episode_outcomes", "retention", "quarantine", "relapse",
                "continuity", "point_prevalence", "disclosure", "data_quality", "report", "report_internal"), stages);
        // Nothing of the internal page in the published manifest: its stage has no row counts.
        assertEquals(0, manifest.get("stages").get(stages.size() - 1).get("rows").size());

        List<Row> quality = spark.read().parquet(published.resolve("data_quality").toString())
                .where("table_name = 'sessions' and metric = 'quarantined' and reason = 'minutes_not_positive'")
                .collectAsList();
        assertEquals(1L, (long) quality.get(0).getAs("rows"));
        assertEquals(13L, (long) quality.get(0).getAs("rows_read"));
        assertEquals("2025-06-30", Files.readString(published.resolve("_SUCCESS")).trim());
    }

    @Test
    void asOfLeavesLaterRowsOutAndCountsThem() throws Exception {
        Path input = InputFixture.valid().writeTo(tmp.resolve("input"));
        Path out = tmp.resolve("out");
        SparkSession spark = SparkTestSession.get();
        RunResult result = OutcomesJob.run(RunSettings.defaults(input.toString(), out.toString(), TODAY)
                .withAsOf(LocalDate.of(2025, 3, 1)), spark);
        assertEquals(LocalDate.of(2025, 3, 1), result.runDate());
        assertEquals(2, result.episodes());
        assertEquals(0, result.quarantined());
        List<Row> afterCut = spark.read().parquet(out.resolve("published/run_date=2025-03-01/data_quality").toString())
                .where("metric in ('after_data_cut', 'discharge_after_data_cut') and rows > 0")
                .orderBy("table_name", "metric").collectAsList();
        assertEquals("episodes:after_data_cut=1, episodes:discharge_after_data_cut=1, followups:after_data_cut=2, "
                        + "mutual_help:after_data_cut=1, screens:after_data_cut=1, sessions:after_data_cut=5",
                afterCut.stream().map(r -> r.getAs("table_name") + ":" + r.getAs("metric") + "=" + r.getAs("rows"))
                        .collect(Collectors.joining(", ")));
    }

    @Test
    void rerunOfTheSameDataCutReplacesTheTrees() throws Exception {
        // The first run: the JVM's shared run of the fixture with these settings, copied into the output folder.
        RunSettings settings = FixtureRun.get().copyTo(tmp.resolve("out"));
        Path out = tmp.resolve("out");
        SparkSession spark = SparkTestSession.get();
        String first = Files.readString(out.resolve("published/run_date=2025-06-30/data_quality.csv"));
        RunResult second = OutcomesJob.run(settings, spark);
        assertEquals(3, second.episodes());
        assertTrue(second.published(), "under the default monthly cadence a rerun of the published data cut "
                + "republishes it: " + second.publication());
        assertEquals(first, Files.readString(out.resolve("published/run_date=2025-06-30/data_quality.csv")));
        assertEquals(Set.of("run_date=2025-06-30", OutcomesJob.LAST_RUN), names(out.resolve("published")));
    }

    @Test
    void realCtn0094TrialsLoadWithNothingQuarantined() throws Exception {
        Path input = Path.of(getClass().getResource("/real/ctn0094").toURI());
        Path out = tmp.resolve("out");
        RunResult result = OutcomesJob.run(RunSettings.defaults(input.toString(), out.toString(), TODAY),
                SparkTestSession.get());
        assertEquals(3560, result.episodes());
        assertEquals(0, result.quarantined());
        assertEquals(83586, result.inputCounts().stream().filter(c -> c.table().equals("sessions")).findFirst()
                .orElseThrow().rowsLoaded());
        assertEquals(84843, result.inputCounts().stream().filter(c -> c.table().equals("screens")).findFirst()
                .orElseThrow().rowsLoaded());
    }
}
