package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iopoutcomes.stats.LogisticCoefficient;
import org.iopoutcomes.stats.LogisticFit;
import org.iopoutcomes.stats.LogisticRegression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "logistic", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"Logistic regression as R glm(family = binomial), IRLS with epsilon 1e-14:"
                + " logistic_coef.csv, logistic_fit.csv.",
                "Separation (fitted probabilities 0 or 1) or non-convergence is reported in the warning column and on stderr."})
public class LogisticCommand extends DataSubcommand {
    @Option(names = "--outcome", required = true, paramLabel = "COLUMN", description = "Outcome column: 0 or 1.")
    String outcomeColumn;

    @Option(names = "--covariates", required = true, paramLabel = "A,B,...",
            description = "Numeric covariate columns; an intercept is always added.")
    String covariates;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Label written in the model column. Default: the outcome and covariate names joined by '_'.")
    String model;

    @Override
    public Integer call() {
        List<String> terms = names("--covariates", covariates);
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {"--outcome", outcomeColumn});
        for (String term : terms) {
            columns.add(new String[] {"--covariates", term});
        }
        StatsInput in = StatsInput.open(input, columns);
        reportExcluded(in);
        int[] outcome = in.binary(outcomeColumn);
        double[] y = new double[outcome.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = outcome[i];
        }
        double[][] x = new double[in.size()][terms.size()];
        for (int j = 0; j < terms.size(); j++) {
            double[] column = in.numeric(terms.get(j));
            for (int i = 0; i < column.length; i++) {
                x[i][j] = column[i];
            }
        }
        LogisticFit f = LogisticRegression.fit(y, x, terms);
        String label = model != null ? model : outcomeColumn + "_" + String.join("_", terms);
        String formula = outcomeColumn + " ~ " + String.join(" + ", terms);
        CsvOutput coef = new CsvOutput(List.of("dataset", "model", "term", "estimate", "se", "z", "p", "or",
                "or_wald_lower95", "or_wald_upper95"));
        for (LogisticCoefficient c : f.coefficients()) {
            coef.row(in.dataset(), label, c.term(), c.estimate(), c.se(), c.z(), c.p(), c.or(),
                    c.orWaldCi().lower(), c.orWaldCi().upper());
        }
        CsvOutput fit = new CsvOutput(List.of("dataset", "model", "formula", "n", "null_deviance", "df_null",
                "deviance", "df_residual", "aic", "loglik", "iter", "converged", "warning", "n_excluded_missing"));
        fit.row(in.dataset(), label, formula, f.n(), f.nullDeviance(), f.dfNull(), f.deviance(), f.dfResidual(),
                f.aic(), f.loglik(), f.iterations(), f.converged(), f.warning(), in.excludedMissing());
        if (f.hasWarning()) {
            err().println(commandName() + ": warning: " + f.warning());
        }
        Path coefFile = out.resolve("logistic_coef.csv");
        Path fitFile = out.resolve("logistic_fit.csv");
        coef.write(coefFile);
        fit.write(fitFile);
        wrote(coefFile, fitFile);
        return 0;
    }
}
