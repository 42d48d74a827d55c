package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's output at default settings is pinned byte for byte: SHA-256 of every file of a small set (300
 * participants, seed 11, CSV, one partition, with the truth), taken on the generator before the options of issue 14
 * (death hazard, recoveries) existed. An option that is off must not move a single random draw, so sample-data and
 * every test built on generated data keep their numbers. A new file (a truth table) may appear beside these; none of
 * these may change.
 */
class DefaultOutputPinnedTest {
    @TempDir
    Path tmp;

    static final Map<String, String> PINNED = new LinkedHashMap<>();

    static {
        PINNED.put("episodes.csv",
                "c192d9b18b7be81df2235d79e4b52ca21c6f5328bc1d81d0ec24e742beadb3ae");
        PINNED.put("sessions.csv",
                "5068561939736397f3cdf5026f8644a2edafbd5099bb05c364e6d752c5cb16b3");
        PINNED.put("screens.csv",
                "ecebf2f5a853ec4d109fdf75ad694a07652a3768672bb2c1cb1f95b25d960ff0");
        PINNED.put("use_events.csv",
                "9bc0d2f81a5656c45f8babc8ba46a8daad9384d88fe92bc778554d349510c264");
        PINNED.put("followups.csv",
                "27b374870c13c7d8e9aa7684bed4ba1683dac4c4a52ea9785d3552b7f0bc3f51");
        PINNED.put("mutual_help.csv",
                "1ea8cd3e7dd46638b28c9d513fe84f21b0f18763495ec7f4f59dc2496ccf58d2");
        PINNED.put("episode_truth.csv",
                "84bd142b20574ae3bb5c4e4384193f357629364b78cc1b8ebfe6ce53fa46ba9a");
        PINNED.put("generator.json",
                "e15ad9078dd05f5b37cc67eec1c41e716323573d9f70b611fbf699cb9374b8cf");
    }

    @Test
    void defaultOutputIsByteIdenticalToThePinnedHashes() throws IOException {
        Path out = tmp.resolve("default");
        SyntheticDataWriter.write(TestSpark.get(), GeneratorSettings.defaults(300, 11L), out,
                SyntheticDataWriter.Format.CSV, 1, true);
        Map<String, String> actual = new LinkedHashMap<>();
        for (String file : PINNED.keySet()) {
            actual.put(file, sha256(out.resolve(file)));
        }
        assertEquals(PINNED, actual);
        // no deaths table at default: an optional table that is absent, as before
        try (var files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(false, names.contains("deaths.csv"), names.toString());
        }
        // the truth written beside them says the same: every first event a relapse (no death is planted), no
        // recovery, the relapse recorded where episode_truth records it
        List<String> truth = Files.readAllLines(out.resolve("post_discharge_truth.csv"));
        List<String> header = List.of(truth.get(0).split(","));
        List<String> episodes = Files.readAllLines(out.resolve("episode_truth.csv"));
        List<String> episodeHeader = List.of(episodes.get(0).split(","));
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : episodes.subList(1, episodes.size())) {
            String[] f = line.split(",", -1);
            if (!f[episodeHeader.indexOf("discharge_date")].isEmpty()) {
                recorded.put(f[0], f[episodeHeader.indexOf("relapse_recorded")]);
            }
        }
        assertEquals(recorded.size(), truth.size() - 1, "one row per discharged episode");
        for (String line : truth.subList(1, truth.size())) {
            String[] f = line.split(",", -1);
            assertEquals("relapse", f[header.indexOf("first_event")], line);
            assertEquals("false", f[header.indexOf("first_event_fatal")], line);
            assertEquals("", f[header.indexOf("recovery_end_day")], line);
            assertEquals("false", f[header.indexOf("death_recorded")], line);
            assertEquals(f[header.indexOf("relapse_day")], f[header.indexOf("sustained_relapse_day")], line);
            assertEquals(recorded.get(f[0]), String.valueOf(!f[header.indexOf("recorded_relapse_day")].isEmpty()), line);
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
