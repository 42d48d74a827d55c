package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.input.InputRejectedException;
import org.iopoutcomes.stats.LogRank;
import org.iopoutcomes.stats.LogRankGroup;
import org.iopoutcomes.stats.LogRankResult;
import org.iopoutcomes.stats.TimeCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "logrank", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"Log-rank (rho = 0) or Peto-Peto (rho = 1) test for two or more groups, as R survdiff:"
                + " logrank.csv, logrank_groups.csv."})
public class LogrankCommand extends DataSubcommand {
    @Option(names = "--time", required = true, paramLabel = "COLUMN", description = "Time column (numeric).")
    String timeColumn;

    @Option(names = "--event", required = true, paramLabel = "COLUMN", description = "Event column: 1 = event, 0 = censored.")
    String eventColumn;

    @Option(names = "--group", required = true, paramLabel = "COLUMN", description = "Group column (two or more values).")
    String groupColumn;

    @Option(names = "--rho", paramLabel = "RHO", defaultValue = "0",
            description = "0 = log-rank, 1 = Peto-Peto (weights pooled KM S(t-)^rho). Default: ${DEFAULT-VALUE}.")
    String rho;

    @Override
    public Integer call() {
        double rhoValue;
        try {
            rhoValue = Double.parseDouble(rho);
        } catch (NumberFormatException e) {
            throw BadSettingsException.of("--rho", rho, "0 (log-rank) or 1 (Peto-Peto)");
        }
        if (rhoValue != 0 && rhoValue != 1) {
            throw BadSettingsException.of("--rho", rho, "0 (log-rank) or 1 (Peto-Peto)");
        }
        StatsInput in = StatsInput.open(input, List.of(new String[] {"--time", timeColumn},
                new String[] {"--event", eventColumn}, new String[] {"--group", groupColumn}));
        reportExcluded(in);
        double[] time = in.numeric(timeColumn);
        int[] event = in.binary(eventColumn);
        Map<String, List<TimeCounts>> strata = KmCommand.strata(in, groupColumn, time, event);
        if (strata.size() < 2) {
            throw new InputRejectedException(input + ": column '" + groupColumn + "' has " + strata.size()
                    + " value; the log-rank test needs two or more groups");
        }
        LogRankResult result = LogRank.test(strata, rhoValue);
        Object[] key = {in.dataset(), timeColumn, eventColumn, groupColumn, (double) rhoValue};
        CsvOutput test = new CsvOutput(List.of("dataset", "time_col", "event_col", "group_col", "rho", "chisq", "df",
                "p", "z_first_group", "n", "n_excluded_missing"));
        test.row(KmCommand.concat(key, result.chisq(), result.df(), result.p(), result.zFirstGroup(), in.size(),
                in.excludedMissing()));
        CsvOutput groups = new CsvOutput(List.of("dataset", "time_col", "event_col", "group_col", "rho", "strata",
                "n", "observed", "expected", "var_diag"));
        for (LogRankGroup g : result.groups()) {
            groups.row(KmCommand.concat(key, g.group(), g.n(), g.observed(), g.expected(), g.varDiag()));
        }
        Path testFile = out.resolve("logrank.csv");
        Path groupsFile = out.resolve("logrank_groups.csv");
        test.write(testFile);
        groups.write(groupsFile);
        wrote(testFile, groupsFile);
        return 0;
    }
}
