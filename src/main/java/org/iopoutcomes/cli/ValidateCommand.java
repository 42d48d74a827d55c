package org.iopoutcomes.cli;

import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.input.InputLoader;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.TableCounts;
import org.iopoutcomes.pipeline.OutputFiles;
import org.iopoutcomes.pipeline.RunSettings;
import org.iopoutcomes.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `outcomes validate`: the input checks alone, with a per-table summary. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check the input against the contract and print, per table, rows read and rows rejected by reason.")
public class ValidateCommand implements Callable<Integer> {
    @Mixin
    InputOptions inputOptions;

    @Option(names = "--quarantine-output", paramLabel = "DIR",
            description = "Also write the rejected rows (with reasons and raw text) as DIR/quarantine.csv. Holds row-level data: keep it restricted.")
    String quarantineOutput;

    @Override
    public Integer call() {
        LocalDate today = LocalDate.now();
        inputOptions.validate(today);
        try (SparkSessions.Handle session = SparkSessions.open(inputOptions.master, "iop-outcomes validate")) {
            SparkSession spark = session.spark();
            try (LoadedInput input = InputLoader.load(spark, new InputLoader.Request(inputOptions.input,
                    inputOptions.asOf, today, inputOptions.maxRejectRate))) {
                report(input, spark);
            }
            return ExitCodes.OK;
        }
    }

    private void report(LoadedInput input, SparkSession spark) {
        System.out.print(summary(input));
        if (input.hasDeaths() || inputOptions.deathsCompleteThrough != null) {
            System.out.println(deathsLine(input, inputOptions.deathsCompleteThrough));
        }
        if (quarantineOutput != null) {
            new OutputFiles(spark.sparkContext().hadoopConfiguration()).csv(
                    input.quarantine().orderBy("table_name", "reason", "raw_row"), new Path(quarantineOutput),
                    "quarantine");
            System.out.println("quarantined rows written to " + quarantineOutput + "/quarantine.csv");
        }
        InputLoader.enforceRejectRate(input.counts(), inputOptions.maxRejectRate);
    }

    /** How far the deaths table is complete; exits 2 (before the reject rate is looked at) when after the cut. */
    static String deathsLine(LoadedInput input, LocalDate setting) {
        LocalDate through = RunSettings.resolveDeathsCompleteThrough(setting, input.dataCut());
        return "deaths complete through: " + through
                + (setting == null ? " (the data cut)" : " (" + RunSettings.DEATHS_COMPLETE_THROUGH_OPTION + ")")
                + (input.hasDeaths() ? "" : "; the input has no deaths table");
    }

    static String summary(LoadedInput input) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-12s %-10s %10s %10s %10s %11s  %s%n", "table", "format", "read",
                "loaded", "after_cut", "quarantined", "reasons"));
        for (TableCounts c : input.counts()) {
            out.append(String.format(Locale.ROOT, "%-12s %-10s %10d %10d %10d %11d  %s%n", c.table(), c.format(),
                    c.rowsRead(), c.rowsLoaded(), c.afterDataCut(), c.rowsRejected(),
                    c.rowsRejected() == 0 ? "" : c.reasonsText()));
        }
        out.append("data cut: ").append(input.dataCut())
                .append(input.dataCutExplicit() ? " (--as-of)" : " (latest date in the input)").append('\n');
        return out.toString();
    }
}
