package org.iopoutcomes.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input refused as a whole (exit 3): one clear message naming the file, the column and what was expected. */
class InputRejectedTest {
    static final LocalDate TODAY = LocalDate.of(2025, 12, 31);

    @TempDir
    Path tmp;

    private String rejection(InputFixture fixture, double maxRejectRate) {
        Path dir = fixture.writeTo(tmp.resolve("input"));
        InputRejectedException e = assertThrows(InputRejectedException.class, () -> {
            try (LoadedInput input = InputLoader.load(SparkTestSession.get(),
                    new InputLoader.Request(dir.toString(), null, TODAY, maxRejectRate))) {
                InputLoader.enforceRejectRate(input.counts(), maxRejectRate);
            }
        });
        return e.getMessage().replace(dir.toString(), "IN").replace("file:", "");
    }

    @Test
    void missingRequiredTable() {
        assertEquals("IN/sessions.csv: required table 'sessions' not found; expected sessions.csv, sessions.parquet "
                        + "or a Parquet directory sessions/ in IN",
                rejection(InputFixture.valid().without("sessions"), 0.05));
    }

    @Test
    void missingOptionalTableIsFine() throws IOException {
        Path dir = InputFixture.valid().without("screens").without("use_events").without("followups")
                .without("mutual_help").writeTo(tmp.resolve("input"));
        try (LoadedInput input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir.toString(), null, TODAY, 0.05))) {
            assertEquals("absent", input.counts("screens").format());
            assertEquals(0, input.table(Schemas.SCREENS).count());
            assertEquals(3, input.episodes().count());
        }
    }

    @Test
    void missingRequiredColumn() {
        String header = InputFixture.EPISODES_HEADER.replace(",sex", ",gender");
        assertEquals("IN/episodes.csv: column 'sex' is missing; expected the episodes columns [episode_id, "
                        + "participant_id, program_id, level_of_care, admission_date, discharge_date, discharge_reason, "
                        + "primary_substance, age_band, sex, prior_episodes, moud]",
                rejection(InputFixture.valid().header("episodes", header), 0.05));
    }

    @Test
    void columnNamedLikeADirectIdentifier() {
        String header = InputFixture.SESSIONS_HEADER + ",Patient First-Name";
        InputFixture fixture = InputFixture.valid().header("sessions", header);
        assertEquals("IN/sessions.csv: column 'Patient First-Name' looks like a direct identifier ('first_name'); "
                + "input must be anonymized: remove the column before running the job", rejection(fixture, 0.05));
    }

    @Test
    void wholeNameColumnIsRefusedButProgramNameIsNot() {
        assertEquals("IN/episodes.csv: column 'name' looks like a direct identifier ('name'); input must be "
                        + "anonymized: remove the column before running the job",
                rejection(InputFixture.valid().header("episodes", InputFixture.EPISODES_HEADER + ",name"), 0.05));
        assertEquals(java.util.Optional.empty(), IdentifierGuard.matchedIdentifier("program_name"));
        assertEquals(java.util.Optional.of("zip"), IdentifierGuard.matchedIdentifier("home-zip"));
        assertEquals(java.util.Optional.of("dob"), IdentifierGuard.matchedIdentifier("DOB"));
        assertEquals(java.util.Optional.empty(), IdentifierGuard.matchedIdentifier("zipper"));
    }

    @Test
    void emptyFileCannotBeParsed() throws IOException {
        Path dir = InputFixture.valid().writeTo(tmp.resolve("input"));
        Files.writeString(dir.resolve("episodes.csv"), "");
        InputRejectedException e = assertThrows(InputRejectedException.class, () -> InputLoader.load(
                SparkTestSession.get(), new InputLoader.Request(dir.toString(), null, TODAY, 0.05)));
        assertEquals("IN/episodes.csv: the file is empty or has no header row; expected a header row naming the "
                        + "columns (" + InputFixture.EPISODES_HEADER + ")",
                e.getMessage().replace(dir.toString(), "IN").replace("file:", ""));
    }

    @Test
    void corruptParquetCannotBeParsed() throws IOException {
        Path dir = InputFixture.valid().without("screens").writeTo(tmp.resolve("input"));
        Files.writeString(dir.resolve("screens.parquet"), "this is not parquet");
        InputRejectedException e = assertThrows(InputRejectedException.class, () -> InputLoader.load(
                SparkTestSession.get(), new InputLoader.Request(dir.toString(), null, TODAY, 0.05)));
        String message = e.getMessage().replace(dir.toString(), "IN").replace("file:", "");
        assertEquals(true, message.startsWith("IN/screens.parquet: cannot be read as parquet ("), message);
        assertEquals(true, message.endsWith("); expected a Parquet file or a directory of Parquet files"), message);
    }

    @Test
    void parquetEpisodesWithAReadableFooterButBrokenPagesCannotBeParsed() throws IOException {
        // The footer reads, so the header check passes; the first pass over the rows is where it fails. For
        // episodes that pass is the keeping of the episode tables (a shuffle), before any row is counted.
        Path dir = InputFixture.valid().writeTo(tmp.resolve("input"));
        Path parquet = dir.resolve("episodes");
        SparkTestSession.get().read().option("header", "true").csv(dir.resolve("episodes.csv").toString())
                .coalesce(1).write().parquet(parquet.toString());
        Files.delete(dir.resolve("episodes.csv"));
        Path part;
        try (var files = Files.list(parquet)) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        int footerLength = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        // zeros over every page (between the leading magic number and the footer)
        java.util.Arrays.fill(bytes, 4, bytes.length - 8 - footerLength, (byte) 0);
        Files.write(part, bytes);

        InputRejectedException e = assertThrows(InputRejectedException.class, () -> InputLoader.load(
                SparkTestSession.get(), new InputLoader.Request(dir.toString(), null, TODAY, 0.05)));
        String message = e.getMessage().replace(dir.toString(), "IN").replace("file:", "");
        assertEquals(true, message.startsWith("IN/episodes: cannot be read as parquet-directory ("), message);
        assertEquals(true, message.endsWith("); expected a Parquet file or a directory of Parquet files"), message);
    }

    @Test
    void tableGivenTwice() throws IOException {
        Path dir = InputFixture.valid().writeTo(tmp.resolve("input"));
        Files.createDirectories(dir.resolve("screens"));
        InputRejectedException e = assertThrows(InputRejectedException.class, () -> InputLoader.load(
                SparkTestSession.get(), new InputLoader.Request(dir.toString(), null, TODAY, 0.05)));
        assertEquals("IN/screens.csv: table 'screens' is given more than once ([screens.csv, screens]); expected "
                + "exactly one of screens.csv, screens.parquet or screens/", e.getMessage().replace(dir.toString(), "IN")
                .replace("file:", ""));
    }

    @Test
    void duplicateColumnInHeader() {
        assertEquals("IN/mutual_help.csv: column 'group_type' appears twice in the header; expected each column once",
                rejection(InputFixture.valid().header("mutual_help", InputFixture.MUTUAL_HELP_HEADER + ",group_type"),
                        0.05));
    }

    @Test
    void rejectRateAboveTheLimit() {
        // 1 bad session of 13 is 7.69%: above 5%, below 10%.
        InputFixture fixture = InputFixture.valid().add("sessions", "p1,e1,2025-01-20,group,-5,attended");
        assertEquals("IN/sessions.csv: 1 of 13 rows (7.69%) broke a rule, more than --max-reject-rate 0.05 allows; "
                + "reasons: minutes_not_positive: 1", rejection(fixture, 0.05));
    }

    @Test
    void rejectRateAtTheLimitPasses() {
        InputFixture fixture = InputFixture.valid().add("sessions", "p1,e1,2025-01-20,group,-5,attended");
        Path dir = fixture.writeTo(tmp.resolve("input"));
        try (LoadedInput input = InputLoader.load(SparkTestSession.get(),
                new InputLoader.Request(dir.toString(), null, TODAY, 0.10))) {
            InputLoader.enforceRejectRate(input.counts(), 0.10);
            assertEquals(1, input.counts("sessions").rowsRejected());
        }
    }
}
