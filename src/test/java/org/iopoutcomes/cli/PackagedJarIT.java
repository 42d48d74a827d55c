package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.iopoutcomes.InputFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as users start it (`java -jar`, the launcher's way), in its own JVM: proves the shaded
 * jar has what embedded Spark needs (merged service files, log4j plugins) and that exit codes reach the shell.
 */
class PackagedJarIT {
    @TempDir
    Path tmp;

    record Process(int code, String out, String err) {}

    static Process java(Path workDir, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("outcomes.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-jar", jar));
        command.addAll(List.of(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        java.lang.Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the jar did not finish within 5 minutes");
        return new Process(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void runOnAValidInputWritesBothTrees() throws Exception {
        Path input = InputFixture.valid().writeTo(tmp.resolve("input"));
        Process run = java(tmp, "run", "--input", input.toString(), "--output", "out", "--master", "local[2]");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("run_date=2025-06-30: 3 episodes, 0 rows quarantined"), run.out());
        assertTrue(Files.isRegularFile(tmp.resolve("out/published/run_date=2025-06-30/_SUCCESS")));
        assertTrue(Files.isRegularFile(tmp.resolve("out/published/run_date=2025-06-30/manifest.json")));
        assertTrue(Files.isDirectory(tmp.resolve("out/restricted/run_date=2025-06-30/episode_outcomes")));
        // Logs name the stages and their times, never row contents.
        assertTrue(run.err().contains("stage validate_input took"), run.err());
        assertTrue(!run.err().contains("p1,e1"), run.err());
    }

    @Test
    void rejectedInputAndBadOptionsGiveTheirExitCodes() throws Exception {
        Path input = InputFixture.valid().without("sessions").writeTo(tmp.resolve("input"));
        Process rejected = java(tmp, "validate", "--input", input.toString(), "--master", "local[1]");
        assertEquals(3, rejected.code(), rejected.err());
        assertTrue(rejected.err().contains("required table 'sessions' not found"), rejected.err());

        Process bad = java(tmp, "run", "--max-reject-rate", "-1");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: --max-reject-rate = '-1.0': expected a share from 0 to 1"), bad.err());
    }
}
