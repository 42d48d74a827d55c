package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.iopoutcomes.InputFixture;
import org.iopoutcomes.pipeline.PublicationCadence;
import org.iopoutcomes.pipeline.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run --publication-cadence`: monthly by default, nightly on request, anything else exits 2 naming the value. */
class PublicationCadenceOptionTest {
    @TempDir
    Path tmp;

    private RunSettings settings(String... args) {
        return ParsedRun.settings(tmp, args);
    }

    @Test
    void monthlyByDefaultNightlyOnRequestAndInTheManifestSettings() {
        RunSettings byDefault = settings();
        assertEquals(PublicationCadence.MONTHLY, byDefault.publicationCadence());
        assertEquals("monthly", byDefault.asMap().get("publication_cadence"));
        assertEquals(PublicationCadence.NIGHTLY, settings("--publication-cadence", "nightly").publicationCadence());
        assertEquals(PublicationCadence.MONTHLY, settings("--publication-cadence", "monthly").publicationCadence());
    }

    @Test
    void aBadValueExitsTwoNamingTheOptionAndTheValue() {
        String input = InputFixture.valid().writeTo(tmp.resolve("input")).toString();
        for (String bad : new String[] {"weekly", "Monthly", ""}) {
            CommandLineTest.Outcome outcome = CommandLineTest.execute("run", "--input", input,
                    "--output", tmp.resolve("out").toString(), "--publication-cadence", bad);
            assertEquals(2, outcome.code(), outcome.err());
            assertEquals("error: --publication-cadence = '" + bad + "': expected one of monthly, nightly",
                    outcome.err().lines().findFirst().orElseThrow());
        }
    }
}
