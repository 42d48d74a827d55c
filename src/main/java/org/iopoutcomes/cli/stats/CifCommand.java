package org.iopoutcomes.cli.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.input.InputRejectedException;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.GrayTest;
import org.iopoutcomes.stats.GrayTestResult;
import org.iopoutcomes.stats.StateEstimate;
import org.iopoutcomes.stats.StatusCount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cif", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"Cumulative incidence of competing states (Aalen-Johansen) as R"
                + " survfit(Surv(time, factor(status)) ~ group): cif_curves.csv, cif_at_times.csv; with --group and"
                + " two or more groups also Gray's test per state as cmprsk::cuminc: cif_gray.csv.",
                "Every state is written, the initial state (s0) (no event yet) first; std.err is R's"
                        + " infinitesimal-jackknife SE, lower/upper R's default log interval."})
public class CifCommand extends DataSubcommand {
    static final String CURVES = "cif_curves.csv";
    static final String AT_TIMES = "cif_at_times.csv";
    static final String GRAY = "cif_gray.csv";
    private static final List<String> COLUMNS = List.of("group", "state", "time", "n.risk", "n.event", "estimate",
            "std.err", "lower", "upper");

    @Option(names = "--time", required = true, paramLabel = "COLUMN", description = "Time column (numeric, >= 0).")
    String timeColumn;

    @Option(names = "--status", required = true, paramLabel = "COLUMN",
            description = "Status column: 0 = censored, a whole number 1, 2, ... = the competing state entered at the time.")
    String statusColumn;

    @Option(names = "--group", paramLabel = "COLUMN",
            description = "Group column: one set of curves per value (group = the value) and Gray's test; without it"
                    + " one set (group = all).")
    String groupColumn;

    @Option(names = "--times", paramLabel = "T1,T2,...", defaultValue = "30,90,180,365",
            description = "Times for cif_at_times.csv (summary.survfit(times, extend = TRUE)). Default: ${DEFAULT-VALUE}.")
    String times;

    @Override
    public Integer call() {
        double[] horizons = numbers("--times", times);
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {"--time", timeColumn});
        columns.add(new String[] {"--status", statusColumn});
        if (groupColumn != null) {
            columns.add(new String[] {"--group", groupColumn});
        }
        StatsInput in = StatsInput.open(input, columns);
        reportExcluded(in);
        double[] time = in.nonNegative(timeColumn);
        int[] status = in.status(statusColumn);
        Map<String, List<StatusCount>> counts = groups(in, groupColumn, time, status);
        if (AalenJohansen.statesOf(counts.values()).length == 0) {
            throw new InputRejectedException(input + ": column '" + statusColumn + "' is 0 (censored) in every row"
                    + " used; the cumulative incidence needs a status 1, 2, ... (a competing state)");
        }
        Map<String, AalenJohansen> fits = AalenJohansen.fitByGroup(counts);

        CsvOutput curves = new CsvOutput(COLUMNS);
        CsvOutput atTimes = new CsvOutput(COLUMNS);
        for (var fit : fits.entrySet()) {
            addRows(curves, fit.getKey(), fit.getValue(), fit.getValue().rows());
            addRows(atTimes, fit.getKey(), fit.getValue(), fit.getValue().at(horizons));
        }
        List<Path> written = new ArrayList<>();
        written.add(out.resolve(CURVES));
        written.add(out.resolve(AT_TIMES));
        curves.write(written.get(0));
        atTimes.write(written.get(1));

        Path grayFile = out.resolve(GRAY);
        if (groupColumn != null && counts.size() >= 2) {
            CsvOutput gray = new CsvOutput(List.of("state", "stat", "df", "p.value"));
            for (GrayTestResult test : GrayTest.test(counts)) {
                gray.row(Integer.toString(test.state()), test.stat(), test.df(), test.pValue());
                if (test.singular()) {
                    err().println(commandName() + ": warning: Gray's test of state " + test.state()
                            + ": the variance matrix is singular, so stat = -1 and p.value = 1, as cmprsk::cuminc"
                            + " writes them");
                }
            }
            gray.write(grayFile);
            written.add(grayFile);
        } else {
            if (groupColumn != null) {
                err().println(commandName() + ": column '" + groupColumn + "' has one value in the rows used; Gray's"
                        + " test needs two or more groups, so " + GRAY + " is not written");
            }
            removeStale(grayFile);
        }
        wrote(written.toArray(Path[]::new));
        return 0;
    }

    /** Rows of one group: by state ((s0) first, then the status codes ascending), then by time. */
    private static void addRows(CsvOutput output, String group, AalenJohansen fit, List<AalenJohansenRow> rows) {
        List<String> labels = fit.stateLabels();
        for (int k = 0; k < labels.size(); k++) {
            for (AalenJohansenRow r : rows) {
                StateEstimate s = r.state(k);
                output.row(group, labels.get(k), r.time(), s.nRisk(), s.nEvent(), s.estimate(), s.stdErr(),
                        s.log().lower(), s.log().upper());
            }
        }
    }

    /** Counts per (time, status) of each group: "all", or the group's values in R's factor order. */
    static Map<String, List<StatusCount>> groups(StatsInput in, String groupColumn, double[] time, int[] status) {
        String[] group = groupColumn == null ? null : in.text(groupColumn);
        List<String> order = group == null ? List.of("all") : groupOrder(group);
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        for (String value : order) {
            members.put(value, new ArrayList<>());
        }
        for (int i = 0; i < time.length; i++) {
            members.get(group == null ? "all" : group[i]).add(i);
        }
        Map<String, List<StatusCount>> counts = new LinkedHashMap<>();
        members.forEach((value, rows) -> counts.put(value, AalenJohansen.countsOf(
                rows.stream().mapToDouble(i -> time[i]).toArray(), rows.stream().mapToInt(i -> status[i]).toArray())));
        return counts;
    }

    /** A cif_gray.csv of an earlier run would sit beside curves it does not belong to. */
    private void removeStale(Path grayFile) {
        try {
            if (Files.deleteIfExists(grayFile)) {
                err().println(commandName() + ": removed " + grayFile + " of an earlier run (no Gray's test in this one)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + grayFile + ": " + e.getMessage(), e);
        }
    }
}
