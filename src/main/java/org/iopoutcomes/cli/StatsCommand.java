package org.iopoutcomes.cli;

import org.iopoutcomes.cli.stats.BinomialCommand;
import org.iopoutcomes.cli.stats.CifCommand;
import org.iopoutcomes.cli.stats.CoxCommand;
import org.iopoutcomes.cli.stats.KmCommand;
import org.iopoutcomes.cli.stats.LogisticCommand;
import org.iopoutcomes.cli.stats.LogrankCommand;
import org.iopoutcomes.cli.stats.PadjustCommand;
import org.iopoutcomes.cli.stats.TwoByTwoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `outcomes stats <analysis>`: the statistics of the job on a flat CSV, written as CSV like the R reference. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = {"Run one statistical analysis on a flat CSV (or on counts given as options) and write CSV files"
                + " whose columns carry the names of the R reference (NA written empty; NaN/Infinity as words).",
                "Results match R survival/stats (cmprsk for Gray's test) to 1e-6 relative on the reference data."},
        subcommands = {KmCommand.class, LogrankCommand.class, CifCommand.class, CoxCommand.class, LogisticCommand.class,
                BinomialCommand.class, TwoByTwoCommand.class, PadjustCommand.class})
public class StatsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "an analysis is required: km, logrank, cif, cox, logistic, binomial, twobytwo or padjust");
    }
}
