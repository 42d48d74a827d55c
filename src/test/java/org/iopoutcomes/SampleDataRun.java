package org.iopoutcomes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.Stream;
import org.iopoutcomes.pipeline.OutcomesJob;
import org.iopoutcomes.pipeline.RunResult;
import org.iopoutcomes.pipeline.RunSettings;

/**
 * One run of the job on sample-data with the default settings, shared by every test in the JVM that only reads its
 * outputs (a run takes about a minute). Made on first use, in a temporary folder removed when the JVM exits. Tests
 * must not write into it.
 */
public final class SampleDataRun {
    /** The day the shared run runs; the data cut (run_date) is the last input date, 2026-09-30. */
    public static final LocalDate TODAY = LocalDate.of(2026, 12, 31);

    private static SampleDataRun run;

    private final Path output;
    private final RunResult result;

    private SampleDataRun(Path output, RunResult result) {
        this.output = output;
        this.result = result;
    }

    public static synchronized SampleDataRun get() {
        if (run == null) {
            try {
                Path output = Files.createTempDirectory("sample-data-run");
                deleteOnExit(output);
                RunResult result = OutcomesJob.run(settings(output.resolve("out")), SparkTestSession.get());
                run = new SampleDataRun(output.resolve("out"), result);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return run;
    }

    /** The settings of the shared run, writing to {@code output}: another run with them must give the same tables. */
    public static RunSettings settings(Path output) {
        return RunSettings.defaults("sample-data", output.toString(), TODAY);
    }

    /** The --output folder (published/ and restricted/ below it). */
    public Path output() {
        return output;
    }

    public RunResult result() {
        return result;
    }

    /** published/run_date=D */
    public Path published() {
        return output.resolve("published/run_date=" + result.runDate());
    }

    /** restricted/run_date=D */
    public Path restricted() {
        return output.resolve("restricted/run_date=" + result.runDate());
    }

    /** Removes a temporary folder (and what is in it) when the JVM exits. */
    public static void deleteOnExit(Path root) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
    }

    private static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary folder
        }
    }
}
