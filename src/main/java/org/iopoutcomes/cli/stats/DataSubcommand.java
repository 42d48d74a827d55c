package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** An analysis that reads a flat CSV. */
abstract class DataSubcommand extends StatsSubcommand {
    @Option(names = "--input", required = true, paramLabel = "FILE.csv",
            description = "Flat CSV with a header row (RFC 4180, UTF-8): one row per subject (per test for padjust).")
    Path input;
}
