package org.iopoutcomes.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.SampleDataRun;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 acceptance 3 (SPEC section 5): two runs on the same input and settings give identical outputs. Every
 * file of both trees is compared but manifest.json (run id, times), report.html and report_internal.html (which
 * show the settings, output folders included): CSV and JSON byte for byte, Parquet row by row in order, part file
 * by part file (their names embed a random id).
 */
class DeterministicOutputTest {
    static final Pattern PART = Pattern.compile("part-(\\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(c\\d+.*)");
    static final java.util.Set<String> NOT_COMPARED = java.util.Set.of("manifest.json", "report.html",
            "report_internal.html");

    @TempDir
    Path tmp;

    /** Files by a name without Spark's random part id; manifest.json and the two pages left out. */
    static Map<String, Path> files(Path root) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (NOT_COMPARED.contains(name)) {
                    continue;
                }
                Matcher m = PART.matcher(name);
                String key = root.relativize(file.getParent()).resolve(m.matches() ? "part-" + m.group(1) + "-" + m.group(2) : name)
                        .toString();
                files.put(key, file);
            }
        }
        return files;
    }

    /** Compares two run_date trees; returns how many files were compared. */
    static int assertSameOutputs(SparkSession spark, Path first, Path second) throws IOException {
        Map<String, Path> a = files(first);
        Map<String, Path> b = files(second);
        // A Parquet table is compared whole, its part files read in part order: how Spark splits the rows into
        // parts (sampled range bounds, adaptive coalescing) is not part of the table.
        Map<String, List<Row>> tablesA = parquetTables(spark, a);
        Map<String, List<Row>> tablesB = parquetTables(spark, b);
        assertEquals(tablesA.keySet(), tablesB.keySet(), "the same Parquet tables");
        for (Map.Entry<String, List<Row>> e : tablesA.entrySet()) {
            List<Row> rowsA = e.getValue();
            List<Row> rowsB = tablesB.get(e.getKey());
            assertEquals(rowsA.size(), rowsB.size(), e.getKey());
            for (int i = 0; i < rowsA.size(); i++) {
                assertEquals(rowsA.get(i), rowsB.get(i), e.getKey() + " row " + i);
            }
        }
        a.keySet().removeIf(k -> k.endsWith(".parquet"));
        b.keySet().removeIf(k -> k.endsWith(".parquet"));
        assertEquals(a.keySet(), b.keySet(), "the same files");
        for (Map.Entry<String, Path> e : a.entrySet()) {
            assertArrayEquals(Files.readAllBytes(e.getValue()), Files.readAllBytes(b.get(e.getKey())), e.getKey());
        }
        return a.size() + tablesA.size();
    }

    /** Rows of each Parquet table (by folder), its part files in part order (the keys of {@link #files} sort so). */
    static Map<String, List<Row>> parquetTables(SparkSession spark, Map<String, Path> files) {
        Map<String, List<Row>> tables = new TreeMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            if (e.getKey().endsWith(".parquet")) {
                String table = e.getKey().substring(0, Math.max(0, e.getKey().lastIndexOf('/')));
                tables.computeIfAbsent(table, t -> new java.util.ArrayList<>())
                        .addAll(spark.read().parquet(e.getValue().toString()).collectAsList());
            }
        }
        return tables;
    }

    @Test
    void twoRunsOnTheSameInputGiveIdenticalTables() throws Exception {
        SparkSession spark = SparkTestSession.get();
        // the first run is the JVM's shared sample-data run; the second uses the same settings
        SampleDataRun shared = SampleDataRun.get();
        RunResult one = shared.result();
        RunResult two = OutcomesJob.run(SampleDataRun.settings(tmp.resolve("two")), spark);
        assertEquals(one.runDate(), two.runDate());
        String runDate = "run_date=" + one.runDate();
        int published = assertSameOutputs(spark, shared.published(), tmp.resolve("two/published/" + runDate));
        int restricted = assertSameOutputs(spark, shared.restricted(), tmp.resolve("two/restricted/" + runDate));
        assertTrue(published >= 15, "published files compared: " + published);
        assertTrue(restricted >= 10, "restricted files compared: " + restricted);
    }
}
