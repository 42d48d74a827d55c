package org.iopoutcomes.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iopoutcomes.SampleDataRun;

/**
 * One run of the packaged job on sample-data, embedded Spark ({@code local[2]}), in its own JVM, shared by the *IT
 * tests of the failsafe JVM: LocalClusterIT compares the local cluster's outputs with it, KilledRunIT takes it as
 * the previous run a killed run must leave alone. Such a run costs a minute or more; started on first use (so
 * LocalClusterIT still runs it beside its cluster run), in a temporary folder removed when the JVM exits. Tests
 * must not write into it: {@link #copyOutputTo} gives a test its own copy.
 */
final class SampleDataJarRun {
    private static SampleDataJarRun run;

    private final Path dir;
    private final JobProcess process;
    private Integer exitCode;

    private SampleDataJarRun(Path dir, JobProcess process) {
        this.dir = dir;
        this.process = process;
    }

    /** The arguments of the run, writing to {@code output} (relative to the working folder). */
    static String[] args(String output) {
        return new String[] {"run", "--input", Path.of("sample-data").toAbsolutePath().toString(), "--output", output,
            "--master", "local[2]"};
    }

    /** Starts the run if no test has yet; does not wait for it. */
    static synchronized SampleDataJarRun start() {
        if (run == null) {
            try {
                Path dir = Files.createTempDirectory("sample-data-jar-run");
                SampleDataRun.deleteOnExit(dir);
                run = new SampleDataJarRun(dir, JobProcess.start(dir, "embedded", List.of(), Map.of(), args("out")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return run;
    }

    /** Waits for the run to end (at most {@code minutes}); its exit code. */
    synchronized int waitFor(int minutes) throws InterruptedException {
        if (exitCode == null) {
            exitCode = process.waitFor(minutes);
        }
        return exitCode;
    }

    String stdout() throws IOException {
        return process.stdout();
    }

    String stderr() throws IOException {
        return process.stderr();
    }

    /** The --output folder (published/ and restricted/ below it). */
    Path output() {
        return dir.resolve("out");
    }

    /** Copies the whole output folder (both trees, the record of the latest run) to {@code target}. */
    void copyOutputTo(Path target) throws IOException {
        Path from = output();
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path to = target.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(source, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
