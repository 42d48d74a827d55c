package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 acceptance 4: the packaged job under a multi-process Spark, {@code local-cluster[2,1,1024]}: two
 * executor JVMs, so closures and whatever they capture are serialized and shipped, and nothing can lean on
 * driver-side state. Without a Spark distribution (../shared/NOTES.md): a folder stands in for SPARK_HOME with an
 * empty RELEASE and jars/ holding the shaded jar, which contains Spark. The outputs must equal those of the
 * embedded (one JVM) run on the same input.
 */
class LocalClusterIT {
    @TempDir
    Path tmp;

    /** Every CSV of both trees (all published tables have one), and each parquet table's row count via manifest. */
    private static Map<String, String> csvs(Path root) throws Exception {
        Map<String, String> csvs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                csvs.put(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return csvs;
    }

    @Test
    void theJobUnderTwoExecutorJvmsWritesWhatTheEmbeddedRunWrites() throws Exception {
        Path sparkHome = Files.createDirectories(tmp.resolve("spark-home"));
        Files.createFile(sparkHome.resolve("RELEASE"));
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.createSymbolicLink(sparkHome.resolve("jars/iop-outcomes.jar"), JobProcess.jar().toAbsolutePath());
        String input = Path.of("sample-data").toAbsolutePath().toString();

        JobProcess cluster = JobProcess.start(tmp, "cluster",
                List.of("-Dspark.executor.extraJavaOptions=" + String.join(" ", JobProcess.OPENS),
                        "-Dspark.driver.host=127.0.0.1"),
                Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13"),
                "run", "--input", input, "--output", "cluster", "--master", "local-cluster[2,1,1024]");
        // The embedded run alongside (separate outputs, so separate locks): the two take the time of one. It is the
        // failsafe JVM's shared sample-data run of the jar (KilledRunIT's previous run): started here unless a test
        // before this one did.
        SampleDataJarRun embedded = SampleDataJarRun.start();
        assertEquals(0, cluster.waitFor(60), cluster.stderr());
        assertEquals(0, embedded.waitFor(60), embedded.stderr());

        // The executors really were separate JVMs: each worker launched one in SPARK_HOME/work/<app>/<executor>/.
        // A third one means an executor was lost and replaced (as SPARK-59451 did before KeptDataset): the
        // message carries the executors' error lines.
        List<Path> executorLogs;
        try (Stream<Path> dirs = Files.walk(sparkHome.resolve("work"), 2)) {
            executorLogs = dirs.map(p -> p.resolve("stderr")).filter(Files::exists).sorted().toList();
        }
        StringBuilder errors = new StringBuilder();
        for (Path log : executorLogs) {
            Files.readAllLines(log).stream().filter(l -> l.contains(" ERROR ") || l.startsWith("java.lang."))
                    .forEach(l -> errors.append(log.getParent().getFileName()).append(": ").append(l).append('\n'));
        }
        assertEquals(2, executorLogs.size(), "executor JVMs launched by the local cluster's workers\n" + errors);
        assertTrue(cluster.stdout().startsWith("run_date="), cluster.stdout());
        assertEquals(embedded.stdout().lines().findFirst(), cluster.stdout().lines().findFirst());

        Path clusterOut = tmp.resolve("cluster");
        Path embeddedOut = embedded.output();
        Map<String, String> fromCluster = csvs(clusterOut);
        Map<String, String> fromEmbedded = csvs(embeddedOut);
        assertTrue(fromCluster.keySet().stream().anyMatch(n -> n.endsWith("retention_summary.csv")), fromCluster.keySet().toString());
        assertTrue(fromCluster.keySet().stream().anyMatch(n -> n.endsWith("relapse_summary.csv")), fromCluster.keySet().toString());
        assertEquals(fromEmbedded.keySet(), fromCluster.keySet());
        fromEmbedded.forEach((name, csv) -> assertEquals(csv, fromCluster.get(name), name));

        String runDate = embedded.stdout().substring(0, embedded.stdout().indexOf(':'));
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(embeddedOut.resolve("published/" + runDate + "/manifest.json").toFile());
        JsonNode b = json.readTree(clusterOut.resolve("published/" + runDate + "/manifest.json").toFile());
        assertEquals(a.get("row_counts"), b.get("row_counts"));
        // every sample episode made it through both runs (444 in sample-data/episodes.csv)
        assertEquals(444, a.at("/row_counts/outputs/episode_outcomes").asLong(), a.get("row_counts").toString());
        assertTrue(a.at("/row_counts/outputs/relapse_summary").asLong() > 0, a.get("row_counts").toString());
    }
}
