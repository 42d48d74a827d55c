package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import java.util.List;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.stats.TwoByTwo;
import org.iopoutcomes.stats.TwoByTwoResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "twobytwo", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"2x2 table [[a, b], [c, d]] (rows exposed/unexposed, columns outcome/no outcome):"
                + " chi-square with and without Yates, Fisher exact, RR/OR/RD with Wald CIs: two_by_two.csv."})
public class TwoByTwoCommand extends StatsSubcommand {
    @Option(names = "--a", required = true, paramLabel = "A", description = "Exposed with the outcome.")
    long a;

    @Option(names = "--b", required = true, paramLabel = "B", description = "Exposed without the outcome.")
    long b;

    @Option(names = "--c", required = true, paramLabel = "C", description = "Unexposed with the outcome.")
    long c;

    @Option(names = "--d", required = true, paramLabel = "D", description = "Unexposed without the outcome.")
    long d;

    @Option(names = "--table-id", paramLabel = "TEXT", defaultValue = "cli", description = "Text of the table_id column. Default: ${DEFAULT-VALUE}.")
    String tableId;

    @Override
    public Integer call() {
        for (var cell : List.of(new Object[] {"--a", a}, new Object[] {"--b", b}, new Object[] {"--c", c},
                new Object[] {"--d", d})) {
            if ((long) cell[1] < 0) {
                throw BadSettingsException.of((String) cell[0], cell[1], "a count >= 0");
            }
        }
        if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) {
            throw BadSettingsException.of("--a/--b/--c/--d", a + "," + b + "," + c + "," + d,
                    "every row and column total above 0");
        }
        TwoByTwoResult r = TwoByTwo.analyse(a, b, c, d);
        CsvOutput csv = new CsvOutput(List.of("table_id", "a", "b", "c", "d", "risk_exposed", "risk_unexposed",
                "min_expected", "chisq", "chisq_p", "chisq_yates", "chisq_yates_p", "fisher_p_two_sided",
                "fisher_p_less", "fisher_p_greater", "midp_exact_p_two_sided", "rr", "rr_lower95", "rr_upper95",
                "or", "or_lower95", "or_upper95", "se_log_rr", "se_log_or", "rr_ha", "rr_ha_lower95", "rr_ha_upper95",
                "or_ha", "or_ha_lower95", "or_ha_upper95", "rd", "rd_lower95", "rd_upper95"));
        csv.row(tableId, a, b, c, d, r.riskExposed(), r.riskUnexposed(), r.minExpected(), r.chisq(), r.chisqP(),
                r.chisqYates(), r.chisqYatesP(), r.fisherTwoSided(), r.fisherLess(), r.fisherGreater(),
                r.midpTwoSided(), r.rr(), r.rrCi().lower(), r.rrCi().upper(), r.or(), r.orCi().lower(),
                r.orCi().upper(), r.seLogRr(), r.seLogOr(), r.rrHa(), r.rrHaCi().lower(), r.rrHaCi().upper(),
                r.orHa(), r.orHaCi().lower(), r.orHaCi().upper(), r.rd(), r.rdCi().lower(), r.rdCi().upper());
        Path file = out.resolve("two_by_two.csv");
        csv.write(file);
        wrote(file);
        return 0;
    }
}
