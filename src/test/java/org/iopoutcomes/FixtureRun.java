package org.iopoutcomes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.iopoutcomes.pipeline.OutcomesJob;
import org.iopoutcomes.pipeline.RunResult;
import org.iopoutcomes.pipeline.RunSettings;

/**
 * One run of the job on {@link InputFixture#valid()} with the default settings (today 2025-12-31, so the data cut
 * is 2025-06-30), shared by the tests in the JVM that need "a previous run" in their output folder before the run
 * they check (a rerun, a failed run, a killed run's leftovers). A run of the job costs some 20 s however small its
 * input; copying its two trees costs nothing. Made on first use, in a temporary folder removed when the JVM exits.
 */
public final class FixtureRun {
    public static final LocalDate TODAY = LocalDate.of(2025, 12, 31);

    private static FixtureRun run;

    private final Path input;
    private final Path output;
    private final RunResult result;

    private FixtureRun(Path input, Path output, RunResult result) {
        this.input = input;
        this.output = output;
        this.result = result;
    }

    public static synchronized FixtureRun get() {
        if (run == null) {
            try {
                Path root = Files.createTempDirectory("fixture-run");
                SampleDataRun.deleteOnExit(root);
                Path input = InputFixture.valid().writeTo(root.resolve("input"));
                Path output = root.resolve("out");
                RunResult result = OutcomesJob.run(settings(input, output), SparkTestSession.get());
                run = new FixtureRun(input, output, result);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return run;
    }

    /** The settings of the shared run, for {@code input} and {@code output}. */
    public static RunSettings settings(Path input, Path output) {
        return RunSettings.defaults(input.toString(), output.toString(), TODAY);
    }

    public RunResult result() {
        return result;
    }

    /**
     * Copies the shared run's output folder (both trees, the record of the latest run, every hidden file) to
     * {@code output}, as if the shared run had written there; returns the settings of that run writing to
     * {@code output}. Its input stays the shared run's input folder (data_quality names the input files), which
     * no test may change.
     */
    public RunSettings copyTo(Path output) {
        copy(this.output, output);
        return settings(input, output);
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
