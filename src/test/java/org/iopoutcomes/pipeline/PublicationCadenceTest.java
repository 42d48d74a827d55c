package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, the publication cadence: two nights' published outputs differenced give one day's admissions and
 * relapses, so by default (monthly) only the first run of a month publishes; the other nights commit the
 * restricted tree alone, leave the published tree byte for byte, and say so in _last_run.json.
 */
class PublicationCadenceTest {
    static final LocalDate TODAY = LocalDate.of(2025, 12, 31);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @AfterEach
    void noHook() {
        OutcomesJob.afterStage = stage -> { };
    }

    private static Set<String> names(Path dir) throws IOException {
        return RunSafetyTest.names(dir);
    }

    /** SHA-256 of every file of the published tree, _last_run.json left out (it records every run). */
    private static Map<String, String> publishedHashes(Path out) throws IOException {
        return new TreeMap<>(RunSafetyTest.hashes(out).entrySet().stream()
                .filter(e -> e.getKey().startsWith("published/"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    @Test
    void monthlyPublishesTheFirstRunOfEachMonthAndCarriesThePublishedTreeOverInBetween() throws Exception {
        Path input = InputFixture.valid().writeTo(tmp.resolve("input"));
        Path out = tmp.resolve("out");
        RunSettings settings = RunSettings.defaults(input.toString(), out.toString(), TODAY);
        assertEquals(PublicationCadence.MONTHLY, settings.publicationCadence(), "monthly is the default");

        // 1. The first run of June publishes.
        RunResult june10 = OutcomesJob.run(settings.withAsOf(LocalDate.of(2025, 6, 10)), SparkTestSession.get());
        assertTrue(june10.published());
        assertEquals("publication cadence monthly: first run of 2025-06", june10.publication());
        assertTrue(june10.publishedDir().endsWith("published/run_date=2025-06-10"), june10.publishedDir());
        JsonNode record = json(out.resolve("published/" + OutcomesJob.LAST_RUN));
        assertEquals("succeeded", record.get("status").asText());
        assertTrue(record.get("published").asBoolean());
        assertEquals("2025-06-10", record.get("published_run_date").asText());
        Path published10 = out.resolve("published/run_date=2025-06-10");
        assertTrue(Files.isRegularFile(published10.resolve(OutputCommit.SUCCESS)));
        JsonNode manifest10 = json(published10.resolve(OutcomesJob.MANIFEST));
        assertEquals(manifest10, json(out.resolve("restricted/run_date=2025-06-10/" + OutcomesJob.MANIFEST)),
                "the restricted tree holds the same manifest");
        assertTrue(manifest10.get("published").asBoolean());
        assertEquals("monthly", manifest10.at("/settings/publication_cadence").asText());
        Map<String, String> before = publishedHashes(out);
        assertTrue(before.size() > 20, "the first run published its tables: " + before.keySet());

        // 2. A later run of June commits its restricted tree only. What a killed run of this kind leaves (its
        // published tables staged under the restricted root) is cleaned up; while it runs, the published root
        // gets nothing of it, not even a hidden staging folder.
        Files.createDirectories(out.resolve("restricted/.run_date=2025-06-15.unpublished-killed/retention_summary"));
        String[] publishedRootAtReport = new String[1];
        Set<String>[] unpublishedStagingAtReport = new Set[1];
        OutcomesJob.afterStage = stage -> {
            if (stage.equals("report")) {
                try {
                    publishedRootAtReport[0] = String.join(",", new java.util.TreeSet<>(names(out.resolve("published"))));
                    try (Stream<Path> dirs = Files.list(out.resolve("restricted"))) {
                        Path staging = dirs.filter(p -> p.getFileName().toString()
                                .startsWith(".run_date=2025-06-20.unpublished-")).findFirst().orElseThrow();
                        unpublishedStagingAtReport[0] = names(staging);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        RunResult june20 = OutcomesJob.run(settings.withAsOf(LocalDate.of(2025, 6, 20)), SparkTestSession.get());
        OutcomesJob.afterStage = stage -> { };
        assertEquals(LocalDate.of(2025, 6, 20), june20.runDate());
        assertFalse(june20.published());
        assertEquals("publication cadence monthly: 2025-06 already published as run_date=2025-06-10",
                june20.publication());
        assertTrue(june20.publishedDir().endsWith("published/run_date=2025-06-10"),
                "the tree that stands: " + june20.publishedDir());
        assertEquals("_last_run.json,run_date=2025-06-10", publishedRootAtReport[0],
                "nothing of the run under the published root while it runs");
        assertTrue(unpublishedStagingAtReport[0].containsAll(Set.of("retention_summary", "relapse_summary",
                "summary.json", "report.html")), "published tables staged aside: " + unpublishedStagingAtReport[0]);

        assertEquals(before, publishedHashes(out), "the published tree is carried over byte for byte");
        assertEquals(Set.of("run_date=2025-06-10", OutcomesJob.LAST_RUN), names(out.resolve("published")));
        assertEquals(Set.of("run_date=2025-06-10", "run_date=2025-06-20"), names(out.resolve("restricted")),
                "the restricted tree is nightly; no staging left behind");
        Path restricted20 = out.resolve("restricted/run_date=2025-06-20");
        assertTrue(names(restricted20).containsAll(Set.of("episode_outcomes", "quarantine", "retention_counts",
                "relapse_day_counts", OutcomesJob.MANIFEST)), names(restricted20).toString());
        record = json(out.resolve("published/" + OutcomesJob.LAST_RUN));
        assertEquals("succeeded", record.get("status").asText());
        assertEquals("2025-06-20", record.get("run_date").asText());
        assertFalse(record.get("published").asBoolean());
        assertEquals("2025-06-10", record.get("published_run_date").asText());
        assertEquals(june20.publication(), record.get("publication").asText());
        JsonNode manifest20 = json(restricted20.resolve(OutcomesJob.MANIFEST));
        assertEquals("succeeded", manifest20.get("status").asText());
        assertEquals("2025-06-20", manifest20.get("run_date").asText());
        assertEquals(record.get("run_id"), manifest20.get("run_id"));
        assertFalse(manifest20.get("published").asBoolean());
        assertEquals("2025-06-10", manifest20.get("published_run_date").asText());
        assertEquals(june20.publication(), manifest20.get("publication").asText());
        assertTrue(manifest20.at("/outputs/published").isNull(), manifest20.get("outputs").toString());
        assertTrue(manifest20.at("/row_counts/outputs").has("retention_summary"), "the run's record is whole");

        // 3. The first run of July publishes again, beside June's tree, and compares itself with it.
        RunResult july2 = OutcomesJob.run(settings.withAsOf(LocalDate.of(2025, 7, 2)), SparkTestSession.get());
        assertTrue(july2.published());
        assertEquals("publication cadence monthly: first run of 2025-07", july2.publication());
        assertEquals(Set.of("run_date=2025-06-10", "run_date=2025-07-02", OutcomesJob.LAST_RUN),
                names(out.resolve("published")));
        assertEquals(Set.of("run_date=2025-06-10", "run_date=2025-06-20", "run_date=2025-07-02"),
                names(out.resolve("restricted")));
        Map<String, String> after = publishedHashes(out);
        after.keySet().removeIf(name -> name.startsWith("published/run_date=2025-07-02/"));
        assertEquals(before, after, "June's published tree is left as it was");
        record = json(out.resolve("published/" + OutcomesJob.LAST_RUN));
        assertTrue(record.get("published").asBoolean());
        assertEquals("2025-07-02", record.get("published_run_date").asText());
        JsonNode manifest2 = json(out.resolve("published/run_date=2025-07-02/" + OutcomesJob.MANIFEST));
        assertEquals(manifest2, json(out.resolve("restricted/run_date=2025-07-02/" + OutcomesJob.MANIFEST)));
        assertEquals("succeeded", manifest2.get("status").asText());
        assertTrue(Files.readString(out.resolve("published/run_date=2025-07-02/report.html"))
                .contains("data cut 2025-06-10"), "the published page compares with the previous publication");
    }

    @Test
    void theRule() {
        LocalDate june10 = LocalDate.of(2025, 6, 10);
        LocalDate june20 = LocalDate.of(2025, 6, 20);
        LocalDate may31 = LocalDate.of(2025, 5, 31);
        PublicationCadence monthly = PublicationCadence.MONTHLY;

        Publication first = Publication.decide(monthly, june10, List.of());
        assertTrue(first.published());
        assertEquals(june10, first.publishedRunDate());
        assertTrue(Publication.decide(monthly, june10, List.of(may31)).published(), "another month does not count");

        Publication rerun = Publication.decide(monthly, june10, List.of(may31, june10));
        assertTrue(rerun.published(), "a rerun of the published data cut republishes it");
        assertEquals("publication cadence monthly: rerun of run_date=2025-06-10, the published run of 2025-06",
                rerun.reason());

        Publication later = Publication.decide(monthly, june20, List.of(may31, june10));
        assertFalse(later.published());
        assertEquals(june10, later.publishedRunDate());
        Publication backfill = Publication.decide(monthly, june10, List.of(june20));
        assertFalse(backfill.published(), "a backfill into a published month does not publish either");
        assertEquals(june20, backfill.publishedRunDate());
        // Several published trees in a month (left by nightly runs): none of them is republished; the latest stands.
        Publication several = Publication.decide(monthly, june10, List.of(LocalDate.of(2025, 6, 1), june10, june20));
        assertFalse(several.published());
        assertEquals(june20, several.publishedRunDate());

        Publication nightly = Publication.decide(PublicationCadence.NIGHTLY, june20, List.of(june10));
        assertTrue(nightly.published());
        assertEquals("publication cadence nightly: every run publishes", nightly.reason());
        assertEquals(List.of("published", "published_run_date", "publication"), List.copyOf(later.asMap().keySet()));
    }

    @Test
    void committedPublishedRunDatesAreTheFoldersWithSuccess() throws Exception {
        Path published = tmp.resolve("out/published");
        for (String dir : List.of("run_date=2025-06-10", "run_date=2025-06-20", "run_date=2025-07-01",
                ".run_date=2025-06-25.staging-x", "run_date=2025-02-30", "other")) {
            Files.createDirectories(published.resolve(dir));
            if (!dir.equals("run_date=2025-06-20")) {
                Files.writeString(published.resolve(dir).resolve(OutputCommit.SUCCESS), "x");
            }
        }
        OutputCommit commit = new OutputCommit(new Configuration(), published.toUri().toString(),
                tmp.resolve("out/restricted").toUri().toString(), LocalDate.of(2025, 6, 25), "r");
        assertEquals(List.of(LocalDate.of(2025, 6, 10), LocalDate.of(2025, 7, 1)), commit.committedPublishedRunDates(),
                "a folder without _SUCCESS, a hidden one and a bad date are not committed publications");
    }
}
