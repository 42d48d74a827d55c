package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.pipeline.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `--deaths-complete-through` (run and validate): the date through which the deaths table is complete; by default the
 * data cut, written to the manifest's settings (null = the data cut, as as_of); a date after the data cut exits 2
 * naming the option and the value, before any input is read when --as-of is given, once the input is loaded
 * otherwise (the default data cut is the latest input date).
 */
class DeathsCompleteThroughOptionTest {
    @TempDir
    Path tmp;

    private static final LocalDate CUT = LocalDate.of(2025, 6, 30); // the fixture's latest date

    @Test
    void theDataCutByDefaultAndInTheManifestSettings() {
        RunSettings byDefault = ParsedRun.settings(tmp);
        assertNull(byDefault.deathsCompleteThrough());
        assertEquals(CUT, byDefault.deathsCompleteThrough(CUT));
        assertTrue(byDefault.asMap().containsKey("deaths_complete_through"));
        assertNull(byDefault.asMap().get("deaths_complete_through"));

        RunSettings given = ParsedRun.settings(tmp, "--deaths-complete-through", "2025-03-31");
        assertEquals(LocalDate.of(2025, 3, 31), given.deathsCompleteThrough());
        assertEquals(LocalDate.of(2025, 3, 31), given.deathsCompleteThrough(CUT));
        assertEquals("2025-03-31", given.asMap().get("deaths_complete_through"));
        // the data cut itself is allowed; other settings keep it
        assertEquals(CUT, ParsedRun.settings(tmp, "--deaths-complete-through", "2025-06-30").deathsCompleteThrough(CUT));
        assertEquals(LocalDate.of(2025, 3, 31), given.withStrata(java.util.List.of("sex")).deathsCompleteThrough());
    }

    @Test
    void afterAnExplicitAsOfExitsTwoBeforeReadingTheInput() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        CommandLineTest.Outcome outcome = CommandLineTest.execute("run", "--input", input,
                "--output", tmp.resolve("out").toString(), "--as-of", "2025-05-31",
                "--deaths-complete-through", "2025-06-01");
        assertEquals(2, outcome.code(), outcome.err());
        assertEquals("error: --deaths-complete-through = '2025-06-01': is after the data cut (2025-05-31); "
                + "the deaths table can be complete at most through the data cut",
                outcome.err().lines().findFirst().orElseThrow());
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing is written for a bad setting");

        CommandLineTest.Outcome future = CommandLineTest.execute("validate", "--input", input,
                "--deaths-complete-through", "2999-01-01");
        assertEquals(2, future.code(), future.err());
        assertTrue(future.err().startsWith("error: --deaths-complete-through = '2999-01-01': is after today"),
                future.err());

        CommandLineTest.Outcome word = CommandLineTest.execute("run", "--input", input,
                "--deaths-complete-through", "last-week");
        assertEquals(2, word.code(), word.err());
        assertTrue(word.err().contains("--deaths-complete-through") && word.err().contains("last-week"), word.err());
    }

    @Test
    void afterTheDefaultDataCutExitsTwoOnceTheInputIsLoaded() {
        String input = InputFixture.valid().table("deaths", InputFixture.DEATHS_HEADER, "p2,2025-03-10,overdose")
                .writeTo(tmp.resolve("input")).toString();
        CommandLineTest.Outcome run = CommandLineTest.execute("run", "--input", input,
                "--output", tmp.resolve("out").toString(), "--deaths-complete-through", "2025-07-01");
        assertEquals(2, run.code(), run.err());
        assertEquals("error: --deaths-complete-through = '2025-07-01': is after the data cut (2025-06-30); "
                + "the deaths table can be complete at most through the data cut",
                run.err().lines().findFirst().orElseThrow());
        assertTrue(!Files.exists(tmp.resolve("out/published/run_date=2025-06-30")), "no tree is published");

        CommandLineTest.Outcome validate = CommandLineTest.execute("validate", "--input", input,
                "--deaths-complete-through", "2025-07-01");
        assertEquals(2, validate.code(), validate.err());
        assertTrue(validate.err().startsWith("error: --deaths-complete-through = '2025-07-01': is after the data cut"),
                validate.err());

        CommandLineTest.Outcome ok = CommandLineTest.execute("validate", "--input", input,
                "--deaths-complete-through", "2025-05-31");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("deaths       csv                 1          1          0           0"), ok.out());
        assertTrue(ok.out().contains("deaths complete through: 2025-05-31 (--deaths-complete-through)"), ok.out());
        CommandLineTest.Outcome byDefault = CommandLineTest.execute("validate", "--input", input);
        assertEquals(0, byDefault.code(), byDefault.err());
        assertTrue(byDefault.out().contains("deaths complete through: 2025-06-30 (the data cut)"), byDefault.out());
    }
}
