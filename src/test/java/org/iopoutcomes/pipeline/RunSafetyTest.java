package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.iopoutcomes.FixtureRun;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7 acceptance 2 and the run lock: a failed run leaves the previous outputs as they were. */
class RunSafetyTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @AfterEach
    void noHook() {
        OutcomesJob.afterStage = stage -> { };
    }

    /** SHA-256 of every file under {@code root}, by relative path (the record of the latest run left out). */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString();
                if (name.equals("published/" + OutcomesJob.LAST_RUN)) {
                    continue;
                }
                try {
                    hashes.put(name, HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return hashes;
    }

    static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /**
     * The fixture's input and, in the output folder, a first run of it: the JVM's shared fixture run copied there
     * (both tests need one before the run they check; making it here would cost a run of the job each).
     */
    private RunSettings settingsAfterAFirstRun() {
        return FixtureRun.get().copyTo(tmp.resolve("out"));
    }

    @Test
    void failureAfterSomeTablesLeavesThePreviousRunByteForByteAndARerunReplacesIt() throws Exception {
        RunSettings settings = settingsAfterAFirstRun();
        Path out = tmp.resolve("out");
        JsonNode firstManifest = JSON.readTree(out.resolve("published/run_date=2025-06-30/manifest.json").toFile());
        String firstRunId = firstManifest.get("run_id").asText();
        assertEquals("succeeded", firstManifest.get("status").asText(), "a first run of this data cut");
        assertFalse(firstManifest.has("replaced_run_id"));
        JsonNode firstRecord = JSON.readTree(out.resolve("published/" + OutcomesJob.LAST_RUN).toFile());
        assertEquals("succeeded", firstRecord.get("status").asText());
        assertEquals(firstRunId, firstRecord.get("run_id").asText());
        assertTrue(Instant.parse(firstRecord.get("finished_at").asText())
                .isAfter(Instant.parse(firstRecord.get("started_at").asText())));
        Map<String, String> before = hashes(out);
        assertTrue(before.size() > 30, "the first run wrote its tables: " + before.keySet());

        Set<String>[] stagedAtFailure = new Set[1];
        OutcomesJob.afterStage = stage -> {
            if (stage.equals("relapse")) {
                try (Stream<Path> dirs = Files.list(out.resolve("restricted"))) {
                    Path staging = dirs.filter(p -> p.getFileName().toString().startsWith(".run_date=2025-06-30.staging-"))
                            .findFirst().orElseThrow();
                    stagedAtFailure[0] = names(staging);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("forced failure after stage relapse");
            }
        };
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> OutcomesJob.run(settings, SparkTestSession.get()));
        assertEquals("forced failure after stage relapse", failure.getMessage());
        assertTrue(stagedAtFailure[0].containsAll(Set.of("episode_outcomes", "quarantine", "relapse_day_counts")),
                "tables were written before the failure: " + stagedAtFailure[0]);

        assertEquals(before, hashes(out), "the previous run's files are unchanged");
        assertEquals(Set.of("run_date=2025-06-30", OutcomesJob.LAST_RUN), names(out.resolve("published")));
        assertEquals(Set.of("run_date=2025-06-30"), names(out.resolve("restricted")));
        JsonNode failed = JSON.readTree(out.resolve("published/" + OutcomesJob.LAST_RUN).toFile());
        assertEquals("failed", failed.get("status").asText());
        assertFalse(failed.get("published").asBoolean(), "a failed run publishes nothing");
        assertEquals("forced failure after stage relapse", failed.get("error").asText());
        assertEquals("2025-06-30", failed.get("run_date").asText());
        assertNotEquals(firstRunId, failed.get("run_id").asText());
        assertFalse(Files.exists(RunLockTest.lockPath(out)), "the lock is released after a failure");

        OutcomesJob.afterStage = stage -> { };
        OutcomesJob.run(settings, SparkTestSession.get());
        JsonNode manifest = JSON.readTree(out.resolve("published/run_date=2025-06-30/manifest.json").toFile());
        assertEquals("replaced", manifest.get("status").asText());
        assertEquals(firstRunId, manifest.get("replaced_run_id").asText());
        JsonNode last = JSON.readTree(out.resolve("published/" + OutcomesJob.LAST_RUN).toFile());
        assertEquals("replaced", last.get("status").asText());
        assertTrue(last.get("published").asBoolean(), "the default monthly cadence republishes a rerun of the "
                + "published data cut: " + last.get("publication"));
        assertEquals(manifest.get("run_id").asText(), last.get("run_id").asText());
        assertEquals(before.keySet().stream().filter(n -> !n.contains(".parquet")).collect(Collectors.toSet()),
                hashes(out).keySet().stream().filter(n -> !n.contains(".parquet")).collect(Collectors.toSet()));
    }

    @Test
    void leftoversOfAKilledRunAreCleanedUpAndAMovedAsideTreeIsPutBack() throws Exception {
        RunSettings settings = settingsAfterAFirstRun();
        Path out = tmp.resolve("out");
        String firstRunId = JSON.readTree(out.resolve("published/run_date=2025-06-30/manifest.json").toFile())
                .get("run_id").asText();
        // A run killed while writing (staging) and one killed between moving the published tree aside and
        // moving its own into place (the final folder is missing, the previous tree waits under a hidden name).
        Files.createDirectories(out.resolve("restricted/.run_date=2025-06-30.staging-killed/episode_outcomes"));
        Files.writeString(out.resolve("restricted/.run_date=2025-06-30.staging-killed/episode_outcomes/part-0"), "x");
        Files.createDirectories(out.resolve("published/.run_date=2025-06-30.staging-killed"));
        Files.move(out.resolve("published/run_date=2025-06-30"),
                out.resolve("published/.run_date=2025-06-30.previous-killed"));

        OutcomesJob.run(settings, SparkTestSession.get());
        assertEquals(Set.of("run_date=2025-06-30", OutcomesJob.LAST_RUN), names(out.resolve("published")));
        assertEquals(Set.of("run_date=2025-06-30"), names(out.resolve("restricted")));
        JsonNode manifest = JSON.readTree(out.resolve("published/run_date=2025-06-30/manifest.json").toFile());
        assertEquals("replaced", manifest.get("status").asText(), "the put-back tree was the one replaced");
        assertEquals(firstRunId, manifest.get("replaced_run_id").asText());
    }
}
