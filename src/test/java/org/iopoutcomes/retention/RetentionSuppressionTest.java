package org.iopoutcomes.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.iopoutcomes.pipeline.OutcomesJob;
import org.iopoutcomes.pipeline.RunSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run on a small input with strata of 60, 15 and 4 episodes: both retention tables are written as Parquet
 * and CSV, no count of people from 1 to 10 is published, and a hidden cell cannot be recovered from a total.
 */
class RetentionSuppressionTest {
    static final LocalDate TODAY = LocalDate.of(2025, 12, 31);
    static final String[] REASONS = {"completed", "dropped_out", "transferred", ""};
    /**
     * 60, not 40: with four discharge reasons in turn, a program of 40 has 10 completers, 10 dropouts, 10 other
     * discharges and 10 still in care, every one a count of 1-10 that episodes less discharged gives back (attack 3
     * of issue 13), so the joint disclosure pass rightly hides the row's episodes too; 60 gives 15 of each.
     */
    static final int BIG = 60;
    static final int MID = 15;
    static final int SMALL = 4;

    @TempDir
    static Path tmp;

    static Path published;
    static Path restricted;

    /** Episode i: program by position, a stay of (7 i mod 100) days with a session every 3 days. */
    static InputFixture input() {
        List<String> episodes = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        LocalDate start = LocalDate.of(2025, 1, 1);
        for (int i = 0; i < BIG + MID + SMALL; i++) {
            String program = i < BIG ? "prog-big" : i < BIG + MID ? "prog-mid" : "prog-small";
            String sex = i >= BIG + MID - 3 && i < BIG + MID ? "other" : i % 2 == 0 ? "female" : "male";
            LocalDate admission = start.plusDays(3L * i);
            int stay = (7 * i) % 100;
            String reason = REASONS[i % 4];
            String discharge = reason.isEmpty() ? "" : admission.plusDays(stay + 2).toString();
            episodes.add(String.join(",", "e" + i, "p" + i, program, "iop", admission.toString(), discharge,
                    reason, "alcohol", "25-34", sex, "0", ""));
            for (int day = 0; day <= stay; day += 3) {
                sessions.add(String.join(",", "p" + i, "e" + i, admission.plusDays(day).toString(), "group",
                        "180", day % 9 == 6 ? "no_show" : "attended"));
            }
        }
        return InputFixture.valid()
                .without("screens").without("use_events").without("followups").without("mutual_help")
                .table("episodes", InputFixture.EPISODES_HEADER, episodes.toArray(String[]::new))
                .table("sessions", InputFixture.SESSIONS_HEADER, sessions.toArray(String[]::new));
    }

    @BeforeAll
    static void runOnce() throws Exception {
        Path in = input().writeTo(tmp.resolve("input"));
        Path out = tmp.resolve("out");
        var result = OutcomesJob.run(RunSettings.defaults(in.toString(), out.toString(), TODAY),
                SparkTestSession.get());
        published = out.resolve("published/run_date=" + result.runDate());
        restricted = out.resolve("restricted/run_date=" + result.runDate());
    }

    private static Dataset<Row> read(Path dir, String table) {
        return SparkTestSession.get().read().parquet(dir.resolve(table).toString());
    }

    @Test
    void bothTablesAreWrittenAsParquetAndCsvAndTheDayCountsStayRestricted() throws Exception {
        for (String table : List.of("retention_summary", "retention_curve")) {
            assertTrue(Files.isDirectory(published.resolve(table)), table);
            assertTrue(Files.readString(published.resolve(table + ".csv")).startsWith("stratum,stratum_value,"));
            assertTrue(read(published, table).count() > 0, table);
        }
        assertFalse(Files.exists(published.resolve("retention_counts")));
        assertTrue(Files.isDirectory(restricted.resolve("retention_counts")));
        // the restricted per-day counts add up to the episodes of every stratum
        assertEquals(BIG + MID + SMALL, read(restricted, "retention_counts").where("stratum = 'overall'")
                .agg(org.apache.spark.sql.functions.sum("episodes")).first().getLong(0));
    }

    /** Every integer column that counts people; days and horizons are times, not counts. */
    private static List<String> countColumns(Dataset<Row> table) {
        List<String> columns = new ArrayList<>();
        for (StructField field : table.schema().fields()) {
            boolean integral = field.dataType().equals(DataTypes.IntegerType)
                    || field.dataType().equals(DataTypes.LongType);
            // day and week numbers and horizons are times, and dose_response's level_order is the rank of a
            // level (1 = lowest quartile or band): none is a count of people
            if (integral && !field.name().equals("day") && !field.name().equals("week")
                    && !field.name().endsWith("_days") && !field.name().equals("level_order")) {
                columns.add(field.name());
            }
        }
        return columns;
    }

    @Test
    void noCountFromOneToTenIsPublishedOutsideDataQuality() throws Exception {
        int tablesScanned = 0;
        try (var dirs = Files.list(published)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String table = dir.getFileName().toString();
                if (table.equals("data_quality")) {
                    continue;
                }
                Dataset<Row> rows = read(published, table);
                List<String> counts = countColumns(rows);
                assertFalse(counts.isEmpty(), table + " has no count column to scan");
                for (String column : counts) {
                    long small = rows.where(rows.col(column).between(1, 10)).count();
                    assertEquals(0, small, table + "." + column + " publishes a count from 1 to 10");
                }
                tablesScanned++;
            }
        }
        // retention_summary, retention_curve, relapse_summary, relapse_curve, continuity_effect, dose_response,
        // point_prevalence
        assertEquals(7, tablesScanned);
        // the scan is not empty-handed: small strata exist in the input and are flagged
        assertTrue(read(published, "retention_summary").where("suppressed").count() > 0);
        assertTrue(read(published, "relapse_summary").where("suppressed").count() > 0);
    }

    /**
     * The large program keeps its episodes: hiding the small and the middle program is enough for the stratum total.
     * Fails on the joint disclosure pass (issue 13, docs/disclosure.md): the small program's episodes are bounded to
     * 3-7 by what other tables show of it and of the middle program, and the pass hides the large program's episodes
     * and initiated (two cells) where the cheapest protection that keeps them is both small programs hidden in every
     * table. Tagged with the acceptance tests that fail until the layer is done; -Dgroups=disclosure runs it.
     */
    @Test
    @org.junit.jupiter.api.Tag("disclosure")
    void theLargeProgramKeepsItsEpisodes() {
        Row big = read(published, "retention_summary").where("horizon_days = 30 and stratum_value = 'prog-big'").first();
        assertEquals(BIG, (long) big.<Long>getAs("episodes"));
    }

    @Test
    void aHiddenCellCannotBeRecoveredFromTheStratumTotal() {
        Dataset<Row> summary = read(published, "retention_summary").where("horizon_days = 30");
        Map<String, Row> programs = new HashMap<>();
        for (Row row : summary.where("stratum = 'program_id'").collectAsList()) {
            programs.put(row.getAs("stratum_value"), row);
        }
        long overall = summary.where("stratum = 'overall'").first().getAs("episodes");
        assertEquals(BIG + MID + SMALL, overall);
        // the 4 is hidden, and so is the next smallest (15), with everything built on them
        assertNull(programs.get("prog-small").getAs("episodes"));
        assertNull(programs.get("prog-mid").getAs("episodes"));
        assertNull(programs.get("prog-small").getAs("in_care"));
        assertNull(programs.get("prog-small").getAs("dropout_incidence"));
        assertNull(programs.get("prog-mid").getAs("completion_rate"));
        assertEquals(true, programs.get("prog-small").getAs("suppressed"));
        assertEquals(true, programs.get("prog-mid").getAs("suppressed"));
        // total minus the shown cells gives no hidden one alone
        long shown = 0;
        int hiddenPrograms = 0;
        for (Row row : programs.values()) {
            if (row.getAs("episodes") == null) {
                hiddenPrograms++;
            } else {
                shown += (long) row.<Long>getAs("episodes");
            }
        }
        assertTrue(hiddenPrograms >= 2, hiddenPrograms + " programs hidden");
        assertNotEquals(SMALL, overall - shown);
        assertNotEquals(MID, overall - shown);
        // no curve for a hidden stratum value: its day-0 number at risk would be the hidden count
        assertEquals(0, read(published, "retention_curve").where("stratum_value in ('prog-small', 'prog-mid')").count());

        // in every stratum and every count column, hidden cells come two or more at a time, or the stratum's total
        // (the overall cell) is hidden too
        Dataset<Row> all = read(published, "retention_summary");
        for (String column : countColumns(all)) {
            for (Row row : all.where(all.col(column).isNull()).groupBy("stratum", "horizon_days").count()
                    .collectAsList()) {
                boolean totalHidden = all.where("stratum = 'overall' and horizon_days = " + row.getInt(1))
                        .first().isNullAt(all.schema().fieldIndex(column));
                assertTrue(row.getLong(2) >= 2 || totalHidden, column + " has a lone hidden cell in " + row);
            }
        }
    }
}
