package org.iopoutcomes.cli.stats;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.input.InputRejectedException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every stats analysis shares: the output folder, messages on stderr, group ordering, list parsing. */
abstract class StatsSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder the result CSV files are written to (created when missing).")
    Path out;

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    String commandName() {
        return spec.qualifiedName().replace("outcomes ", "");
    }

    void reportExcluded(StatsInput input) {
        if (input.excludedMissing() > 0) {
            err().println(commandName() + ": left out " + input.excludedMissing() + " of "
                    + (input.excludedMissing() + input.size()) + " rows with an empty value in "
                    + String.join(", ", input.usedColumns()));
        }
        if (input.size() == 0) {
            throw new InputRejectedException(input.dataset() + ": no row has a value in every used column ("
                    + String.join(", ", input.usedColumns()) + ")");
        }
    }

    void wrote(Path... files) {
        for (Path file : files) {
            err().println(commandName() + ": wrote " + file);
        }
    }

    /** Group values in R's factor order: numerically when every value is a number, else as text. */
    static List<String> groupOrder(String[] values) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(values)));
        boolean numeric = distinct.stream().allMatch(StatsSubcommand::isNumber);
        distinct.sort(numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
        return distinct;
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static List<String> names(String option, String commaSeparated) {
        List<String> names = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                throw BadSettingsException.of(option, commaSeparated, "a comma-separated list of column names");
            }
            if (names.contains(name)) {
                throw BadSettingsException.of(option, commaSeparated, "column " + name + " is listed twice");
            }
            names.add(name);
        }
        return names;
    }

    static double[] numbers(String option, String commaSeparated) {
        String[] parts = commaSeparated.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw BadSettingsException.of(option, commaSeparated, "a comma-separated list of numbers");
            }
            if (!Double.isFinite(values[i])) {
                throw BadSettingsException.of(option, commaSeparated, "finite numbers");
            }
        }
        return values;
    }
}
