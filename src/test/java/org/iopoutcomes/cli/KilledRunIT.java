package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 acceptance 2 with a real kill: the packaged job is SIGKILLed (Process.destroyForcibly) while its
 * staging folder already holds tables. The previous run's files stay byte for byte, no partial run_date folder
 * is visible, and the next run cleans up, takes over the dead run's lock and replaces the run.
 */
class KilledRunIT {
    @TempDir
    Path tmp;

    private static Optional<Path> stagedTable(Path root, String table) throws Exception {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(p -> p.getFileName().toString().contains(".staging-"))
                    .map(p -> p.resolve(table).resolve("_SUCCESS")).filter(Files::exists).findFirst();
        }
    }

    @Test
    void aKilledRunLeavesThePreviousOutputsAndTheNextRunReplacesThem() throws Exception {
        String[] args = SampleDataJarRun.args("out");
        // The first run: the failsafe JVM's shared run of the jar on sample-data with these arguments (LocalClusterIT
        // compares the cluster's outputs with it), its output folder copied here.
        SampleDataJarRun first = SampleDataJarRun.start();
        assertEquals(0, first.waitFor(45), first.stderr());
        Path out = tmp.resolve("out");
        first.copyOutputTo(out);
        String runDate;
        try (Stream<Path> dirs = Files.list(out.resolve("published"))) {
            runDate = dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("run_date=")).findFirst()
                    .orElseThrow();
        }
        JsonNode firstManifest = new ObjectMapper().readTree(out.resolve("published/" + runDate + "/manifest.json").toFile());
        Map<String, String> before = JobProcess.hashes(out);

        JobProcess killed = JobProcess.start(tmp, "killed", List.of(), Map.of(), args);
        long deadline = System.currentTimeMillis() + 45 * 60_000;
        Optional<Path> staged = Optional.empty();
        while (staged.isEmpty() && killed.process.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            staged = stagedTable(out.resolve("restricted"), "episode_outcomes");
        }
        assertTrue(staged.isPresent(), "the staging folder got episode_outcomes before the run ended: "
                + killed.stderr());
        killed.process.destroyForcibly();
        assertEquals(137, killed.waitFor(2), "killed by SIGKILL");
        assertFalse(killed.stderr().contains("committed"), "the kill came before the commit: " + killed.stderr());

        // The previous run's files, byte for byte; the killed run's staging is hidden, its lock left behind.
        Map<String, String> after = JobProcess.hashes(out);
        after.keySet().removeIf(name -> name.startsWith("restricted/.") || name.startsWith("published/.")
                || name.equals(".outcomes.lock"));
        assertEquals(before, after);
        assertEquals(Set.of(runDate, "_last_run.json"), JobProcess.visible(out.resolve("published")));
        assertEquals(Set.of(runDate), JobProcess.visible(out.resolve("restricted")));
        assertTrue(JobProcess.names(out.resolve("restricted")).stream().anyMatch(n -> n.contains(".staging-")));
        assertTrue(Files.exists(out.resolve(".outcomes.lock")), "a SIGKILLed run cannot remove its lock");

        JobProcess rerun = JobProcess.start(tmp, "rerun", List.of(), Map.of(), args);
        assertEquals(0, rerun.waitFor(45), rerun.stderr());
        assertTrue(rerun.stderr().contains("took over the lock"), rerun.stderr());
        assertEquals(Set.of(runDate, "_last_run.json"), JobProcess.names(out.resolve("published")),
                "no staging left in the published tree");
        assertEquals(Set.of(runDate), JobProcess.names(out.resolve("restricted")));
        assertFalse(Files.exists(out.resolve(".outcomes.lock")));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("published/" + runDate + "/manifest.json").toFile());
        assertEquals("replaced", manifest.get("status").asText());
        assertEquals(firstManifest.get("run_id").asText(), manifest.get("replaced_run_id").asText());
        assertEquals(firstManifest.at("/row_counts/outputs"), manifest.at("/row_counts/outputs"));
        // Same input, same tables: the CSVs are byte for byte those of the first run.
        Map<String, String> rerunHashes = JobProcess.hashes(out);
        before.forEach((name, hash) -> {
            if (name.endsWith(".csv")) {
                assertEquals(hash, rerunHashes.get(name), name);
            }
        });
    }
}
