package org.iopoutcomes.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.pipeline.OutcomesJob;
import org.iopoutcomes.pipeline.RunResult;
import org.iopoutcomes.pipeline.RunSettings;
import org.iopoutcomes.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `outcomes run`: the nightly job. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Validate the input, compute the outcome tables and publish the run's two output trees.")
public class RunCommand implements Callable<Integer> {
    @Mixin
    InputOptions inputOptions;

    @Mixin
    RelapseOptions relapseOptions;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "out",
            description = "Root of the outputs: aggregates go to DIR/published/run_date=<data cut>/. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--restricted-output", paramLabel = "DIR",
            description = "Root of the participant-level tree (episode_outcomes, quarantine), so access can differ. Default: <output>/restricted.")
    String restrictedOutput;

    @Option(names = "--strata", paramLabel = "COL[,COL...]", split = ",",
            description = "Extra episodes columns to summarize by, beside the built-in strata.")
    List<String> strata = List.of();

    @Option(names = "--suppression-threshold", paramLabel = "N", defaultValue = "" + RunSettings.DEFAULT_SUPPRESSION_THRESHOLD,
            description = "Counts of people from 1 to N-1 are hidden in published tables (CMS rule). Default: ${DEFAULT-VALUE}.")
    int suppressionThreshold;

    RunSettings settings(LocalDate today) {
        inputOptions.validate(today);
        if (output == null || output.isBlank()) {
            throw BadSettingsException.of("--output", output, "expected a folder");
        }
        if (suppressionThreshold < 1) {
            throw BadSettingsException.of("--suppression-threshold", suppressionThreshold, "expected 1 or more");
        }
        for (String column : strata) {
            if (column.isBlank()) {
                throw BadSettingsException.of("--strata", String.join(",", strata), "has an empty column name");
            }
        }
        String restricted = restrictedOutput == null ? output + "/restricted" : restrictedOutput;
        return new RunSettings(inputOptions.input, output, restricted, inputOptions.asOf, today,
                inputOptions.maxRejectRate, List.copyOf(strata), suppressionThreshold,
                relapseOptions.settings(List.copyOf(strata), suppressionThreshold));
    }

    @Override
    public Integer call() {
        RunSettings settings = settings(LocalDate.now());
        try (SparkSessions.Handle session = SparkSessions.open(inputOptions.master, "iop-outcomes run")) {
            SparkSession spark = session.spark();
            RunResult result = OutcomesJob.run(settings, spark);
            System.out.println("run_date=" + result.runDate() + ": " + result.episodes() + " episodes, "
                    + result.quarantined() + " rows quarantined");
            System.out.println("published:  " + result.publishedDir());
            System.out.println("restricted: " + result.restrictedDir());
            return ExitCodes.OK;
        }
    }
}
