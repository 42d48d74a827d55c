package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.input.InputRejectedException;
import org.iopoutcomes.stats.Na;
import org.iopoutcomes.stats.PAdjust;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "padjust", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"Multiple-testing adjustment as R p.adjust: p_adjust.csv (index, p and one column per method).",
                "Empty p-values stay empty and do not count in m."})
public class PadjustCommand extends DataSubcommand {
    @Option(names = "--p", required = true, paramLabel = "COLUMN", description = "Column of p-values in [0, 1].")
    String pColumn;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "BH",
            description = "BH, BY, holm, bonferroni, or all. Default: ${DEFAULT-VALUE}.")
    String method;

    @Override
    public Integer call() {
        List<PAdjust.Method> methods = new ArrayList<>();
        if (method.equalsIgnoreCase("all")) {
            methods.addAll(List.of(PAdjust.Method.values()));
        } else {
            try {
                methods.add(PAdjust.Method.parse(method));
            } catch (IllegalArgumentException e) {
                throw BadSettingsException.of("--method", method, "BH, BY, holm, bonferroni or all");
            }
        }
        FlatCsv csv = FlatCsv.read(input);
        if (!csv.hasColumn(pColumn)) {
            throw BadSettingsException.of("--p", pColumn, "no such column in " + input);
        }
        double[] p = new double[csv.size()];
        int missing = 0;
        for (int r = 0; r < csv.size(); r++) {
            String text = csv.value(r, pColumn);
            if (text.isEmpty()) {
                p[r] = Double.NaN;
                missing++;
                continue;
            }
            try {
                p[r] = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                p[r] = Double.NaN;
            }
            if (!(p[r] >= 0 && p[r] <= 1)) {
                throw new InputRejectedException(input + ": column '" + pColumn + "', data row " + (r + 1)
                        + " (line " + (r + 2) + "): value '" + text + "' is not a p-value in [0, 1]");
            }
        }
        if (missing > 0) {
            err().println(commandName() + ": " + missing + " rows with an empty p-value left out of the adjustment");
        }
        List<String> header = new ArrayList<>(List.of("index", "p"));
        List<double[]> adjusted = new ArrayList<>();
        for (PAdjust.Method m : methods) {
            header.add(m.name().toLowerCase(Locale.ROOT));
            adjusted.add(PAdjust.adjust(p, m));
        }
        CsvOutput output = new CsvOutput(header);
        for (int r = 0; r < p.length; r++) {
            Object[] row = new Object[header.size()];
            row[0] = r + 1;
            row[1] = Double.isNaN(p[r]) ? Na.NA : p[r];
            for (int k = 0; k < adjusted.size(); k++) {
                double value = adjusted.get(k)[r];
                row[2 + k] = Double.isNaN(value) ? Na.NA : value;
            }
            output.row(row);
        }
        Path file = out.resolve("p_adjust.csv");
        output.write(file);
        wrote(file);
        return 0;
    }
}
