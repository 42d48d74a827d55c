package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed and options give byte-identical CSV files, whatever the partitioning; another seed gives other data. */
class DeterminismTest {
    private static final int N = 300;

    @TempDir
    Path tmp;

    @Test
    void sameSeedGivesIdenticalFilesRegardlessOfPartitioning() throws IOException {
        GeneratorSettings settings = GeneratorSettings.defaults(N, 11L);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        SyntheticDataWriter.write(TestSpark.get(), settings, a, SyntheticDataWriter.Format.CSV, 1, false);
        SyntheticDataWriter.write(TestSpark.get(), settings, b, SyntheticDataWriter.Format.CSV, 3, false);
        SyntheticDataWriter.write(TestSpark.get(), GeneratorSettings.defaults(N, 12L), c, SyntheticDataWriter.Format.CSV, 1, false);
        boolean anyDifferent = false;
        for (String table : SyntheticTables.inputTables(settings)) {
            byte[] x = Files.readAllBytes(a.resolve(table + ".csv"));
            byte[] y = Files.readAllBytes(b.resolve(table + ".csv"));
            assertArrayEquals(x, y, table + ".csv differs between two runs with the same seed");
            anyDifferent |= !Arrays.equals(x, Files.readAllBytes(c.resolve(table + ".csv")));
        }
        assertTrue(anyDifferent, "another seed must give other data");
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("sessions.csv")), Files.readAllBytes(c.resolve("sessions.csv"))));
        // generator.json records the partitioning; everything else in it is the same
        assertEquals(withoutPartitions(Files.readAllLines(a.resolve("generator.json"))),
                withoutPartitions(Files.readAllLines(b.resolve("generator.json"))));
    }

    private static List<String> withoutPartitions(List<String> lines) {
        return lines.stream().filter(l -> !l.contains("\"partitions\"")).toList();
    }

    @Test
    void csvFilesHaveTheContractHeaderAndIsoDates() throws IOException {
        Path out = tmp.resolve("csv");
        Files.createDirectories(out.resolve("sessions")); // a stale Parquet directory is replaced
        Files.writeString(out.resolve("episode_truth.csv"), "stale"); // and a stale truth removed
        SyntheticDataWriter.write(TestSpark.get(), GeneratorSettings.defaults(N, 5L), out, SyntheticDataWriter.Format.CSV, 2, false);
        assertFalse(Files.exists(out.resolve("sessions")));
        List<String> lines = Files.readAllLines(out.resolve("episodes.csv"));
        assertEquals("episode_id,participant_id,program_id,level_of_care,admission_date,discharge_date,discharge_reason,"
                + "primary_substance,age_band,sex,prior_episodes,moud", lines.get(0));
        assertTrue(lines.size() > N, "at least one episode per participant");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(12, f.length, line);
            assertTrue(f[4].matches("\\d{4}-\\d{2}-\\d{2}"), line);
            assertTrue(f[5].isEmpty() || f[5].matches("\\d{4}-\\d{2}-\\d{2}"), line);
        }
        assertEquals("participant_id,episode_id,session_date,session_type,minutes,status",
                Files.readAllLines(out.resolve("sessions.csv")).get(0));
        // no Spark leftovers
        try (var files = Files.list(out)) {
            assertEquals(List.of("episodes.csv", "followups.csv", "generator.json", "mutual_help.csv", "screens.csv",
                    "sessions.csv", "use_events.csv"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        String json = Files.readString(out.resolve("generator.json"));
        assertTrue(json.contains("\"true_relapse_365\""), json);
        assertTrue(json.contains("\"program_id\": \"prog-c\""), json);
    }

    @Test
    void parquetKeepsTypedColumns() {
        Path out = tmp.resolve("parquet");
        SyntheticDataWriter.write(TestSpark.get(), GeneratorSettings.defaults(N, 5L), out, SyntheticDataWriter.Format.PARQUET, 2, false);
        var episodes = TestSpark.get().read().parquet(out.resolve("episodes").toString());
        assertEquals(org.apache.spark.sql.types.DataTypes.DateType, episodes.schema().apply("admission_date").dataType());
        assertEquals(org.apache.spark.sql.types.DataTypes.BooleanType, episodes.schema().apply("moud").dataType());
        assertEquals(org.apache.spark.sql.types.DataTypes.IntegerType, episodes.schema().apply("prior_episodes").dataType());
        assertEquals(N, episodes.select("participant_id").distinct().count());
    }
}
