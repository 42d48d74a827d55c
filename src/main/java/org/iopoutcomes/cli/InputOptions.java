package org.iopoutcomes.cli;

import java.io.File;
import java.time.LocalDate;
import org.iopoutcomes.pipeline.RunSettings;
import picocli.CommandLine.Option;

/**
 * Options shared by `run` and `validate`: where the input is, the data cut, how far the deaths table is complete,
 * the reject limit, the Spark master.
 */
public class InputOptions {
    @Option(names = "--input", paramLabel = "DIR", defaultValue = "sample-data",
            description = "Folder with the input tables (<table>.csv, <table>.parquet or a Parquet folder <table>/). Default: ${DEFAULT-VALUE}.")
    String input;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
            description = "Data cut for a backfill: rows dated later are left out and counted, not errors. Default: the latest date in the input that is not in the future.")
    LocalDate asOf;

    @Option(names = RunSettings.DEATHS_COMPLETE_THROUGH_OPTION, paramLabel = "YYYY-MM-DD",
            description = "Date through which the deaths table (death-registry linkage) is complete: registries lag, "
                    + "and later days are not counted as death-free. At most the data cut. Default: the data cut.")
    LocalDate deathsCompleteThrough;

    @Option(names = "--max-reject-rate", paramLabel = "R", defaultValue = "" + RunSettings.DEFAULT_MAX_REJECT_RATE,
            description = "The run fails (exit 3) when more than this share of any table's rows is quarantined. Default: ${DEFAULT-VALUE}.")
    double maxRejectRate;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] or spark://host:7077. Default: local[*], or what spark-submit set.")
    String master;

    @Option(names = "--log-rows",
            description = "Allow logs and error messages to quote input rows (Spark's task failures, which can show a value). Off by default: logs carry counts, never row contents.")
    boolean logRows;

    /** Checks the values the parser cannot; messages name the option and the value. */
    void validate(LocalDate today) {
        org.iopoutcomes.pipeline.RowLogging.enable(logRows);
        if (asOf != null && asOf.isAfter(today)) {
            throw BadSettingsException.of("--as-of", asOf, "is after today (" + today + "); the data cut cannot be in the future");
        }
        if (deathsCompleteThrough != null && asOf != null) {
            // known before any input is read; against the default data cut it is checked once the input is loaded
            RunSettings.resolveDeathsCompleteThrough(deathsCompleteThrough, asOf);
        } else if (deathsCompleteThrough != null && deathsCompleteThrough.isAfter(today)) {
            throw BadSettingsException.of(RunSettings.DEATHS_COMPLETE_THROUGH_OPTION, deathsCompleteThrough,
                    "is after today (" + today + "); the deaths table cannot be complete through the future");
        }
        if (!(maxRejectRate >= 0 && maxRejectRate <= 1)) {
            throw BadSettingsException.of("--max-reject-rate", maxRejectRate, "expected a share from 0 to 1");
        }
        if (!new File(input).isDirectory() && !input.contains("://")) {
            throw BadSettingsException.of("--input", input, "is not a folder");
        }
    }
}
