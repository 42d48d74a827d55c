package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import java.util.List;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.stats.BinomialOneSample;
import org.iopoutcomes.stats.BinomialOneSampleResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "binomial", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"One-sample binomial: x successes in n trials against p0 (binom.test, Clopper-Pearson,"
                + " Wilson, prop.test and more): binomial_one_sample.csv."})
public class BinomialCommand extends StatsSubcommand {
    @Option(names = "--x", required = true, paramLabel = "X", description = "Number of successes (0 <= x <= n).")
    long x;

    @Option(names = "--n", required = true, paramLabel = "N", description = "Number of trials (n >= 1).")
    long n;

    @Option(names = "--p0", required = true, paramLabel = "P", description = "Null proportion, 0 < p0 < 1.")
    double p0;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "cli", description = "Text of the label column. Default: ${DEFAULT-VALUE}.")
    String label;

    @Override
    public Integer call() {
        if (n < 1) {
            throw BadSettingsException.of("--n", n, "at least 1");
        }
        if (x < 0 || x > n) {
            throw BadSettingsException.of("--x", x, "between 0 and n = " + n);
        }
        if (!(p0 > 0 && p0 < 1)) {
            throw BadSettingsException.of("--p0", p0, "strictly between 0 and 1");
        }
        BinomialOneSampleResult r = BinomialOneSample.test(x, n, p0);
        CsvOutput csv = new CsvOutput(List.of("label", "x", "n", "p0", "phat", "p_exact_two_sided", "p_exact_less",
                "p_exact_greater", "cp_lower", "cp_upper", "cp_onesided_upper95", "cp_onesided_lower95",
                "wilson_lower", "wilson_upper", "wilson_cc_lower", "wilson_cc_upper", "prop_test_cc_lower",
                "prop_test_cc_upper", "wald_lower", "wald_upper", "agresti_coull_lower", "agresti_coull_upper",
                "score_chisq", "score_p_two_sided", "score_cc_chisq", "score_cc_p_two_sided"));
        csv.row(label, x, n, p0, r.phat(), r.exactTwoSided(), r.exactLess(), r.exactGreater(),
                r.clopperPearson().lower(), r.clopperPearson().upper(), r.cpOneSidedUpper95(), r.cpOneSidedLower95(),
                r.wilson().lower(), r.wilson().upper(), r.wilsonCc().lower(), r.wilsonCc().upper(),
                r.propTestCc().lower(), r.propTestCc().upper(), r.wald().lower(), r.wald().upper(),
                r.agrestiCoull().lower(), r.agrestiCoull().upper(), r.scoreChisq(), r.scoreP(), r.scoreCcChisq(),
                r.scoreCcP());
        Path file = out.resolve("binomial_one_sample.csv");
        csv.write(file);
        wrote(file);
        return 0;
    }
}
