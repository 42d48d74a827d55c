package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.stats.CoxCoefficient;
import org.iopoutcomes.stats.CoxFit;
import org.iopoutcomes.stats.CoxRegression;
import org.iopoutcomes.stats.CoxSubjects;
import org.iopoutcomes.stats.CoxTies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cox", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"Cox proportional hazards as R coxph (Newton-Raphson, eps 1e-12): cox_coef.csv, cox_fit.csv.",
                "With --cluster the SEs are robust (sandwich) as coxph(..., cluster = id); naive_se keeps the model-based SE."})
public class CoxCommand extends DataSubcommand {
    @Option(names = "--time", required = true, paramLabel = "COLUMN", description = "Time column (numeric).")
    String timeColumn;

    @Option(names = "--event", required = true, paramLabel = "COLUMN", description = "Event column: 1 = event, 0 = censored.")
    String eventColumn;

    @Option(names = "--covariates", required = true, paramLabel = "A,B,...",
            description = "Numeric covariate columns (code categories as 0/1 dummies).")
    String covariates;

    @Option(names = "--ties", paramLabel = "METHOD", defaultValue = "efron",
            description = "Tie handling: efron (R's default), breslow, or both (one model of each). Default: ${DEFAULT-VALUE}.")
    String ties;

    @Option(names = "--cluster", paramLabel = "COLUMN",
            description = "Cluster id column (e.g. participant): robust SEs clustered by it.")
    String clusterColumn;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Label written in the model column. Default: the covariate names joined by '_'.")
    String model;

    @Override
    public Integer call() {
        List<CoxTies> methods = switch (ties.toLowerCase(java.util.Locale.ROOT)) {
            case "efron" -> List.of(CoxTies.EFRON);
            case "breslow" -> List.of(CoxTies.BRESLOW);
            case "both" -> List.of(CoxTies.EFRON, CoxTies.BRESLOW);
            default -> throw BadSettingsException.of("--ties", ties, "efron, breslow or both");
        };
        List<String> terms = names("--covariates", covariates);
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {"--time", timeColumn});
        columns.add(new String[] {"--event", eventColumn});
        for (String term : terms) {
            columns.add(new String[] {"--covariates", term});
        }
        if (clusterColumn != null) {
            columns.add(new String[] {"--cluster", clusterColumn});
        }
        StatsInput in = StatsInput.open(input, columns);
        reportExcluded(in);
        double[] time = in.numeric(timeColumn);
        int[] event = in.binary(eventColumn);
        if (java.util.Arrays.stream(event).noneMatch(e -> e == 1)) {
            throw new org.iopoutcomes.input.InputRejectedException(input + ": column '" + eventColumn
                    + "' has no event (no 1): a Cox model needs at least one");
        }
        double[][] x = new double[in.size()][terms.size()];
        for (int j = 0; j < terms.size(); j++) {
            double[] column = in.numeric(terms.get(j));
            for (int i = 0; i < column.length; i++) {
                x[i][j] = column[i];
            }
        }
        Object[] cluster = clusterColumn == null ? null : in.text(clusterColumn);
        CoxSubjects subjects = new CoxSubjects(time, event, x);
        String label = model != null ? model : String.join("_", terms);
        String formula = "Surv(" + timeColumn + "; " + eventColumn + ") ~ " + String.join(" + ", terms);
        CsvOutput coef = new CsvOutput(List.of("dataset", "model", "ties", "term", "coef", "hr", "se", "z", "p",
                "hr_lower95", "hr_upper95", "naive_se", "robust"));
        CsvOutput fit = new CsvOutput(List.of("dataset", "model", "ties", "formula", "n", "nevent", "loglik_null",
                "loglik", "lrt", "lrt_df", "lrt_p", "wald", "wald_df", "wald_p", "score", "score_df", "score_p",
                "concordance", "concordance_se", "iter", "converged", "cluster", "n_clusters", "n_excluded_missing"));
        for (CoxTies method : methods) {
            CoxFit f;
            try {
                f = CoxRegression.fit(subjects, terms, method, cluster);
            } catch (IllegalArgumentException e) {
                throw new org.iopoutcomes.input.InputRejectedException(input + ": " + e.getMessage());
            }
            String tiesName = method.name().toLowerCase(java.util.Locale.ROOT);
            for (CoxCoefficient c : f.coefficients()) {
                coef.row(in.dataset(), label, tiesName, c.term(), c.coef(), c.hr(), c.se(), c.z(), c.p(),
                        c.hrCi().lower(), c.hrCi().upper(), c.naiveSe(), f.robust());
            }
            long clusters = cluster == null ? 0 : java.util.Arrays.stream(cluster).distinct().count();
            fit.row(in.dataset(), label, tiesName, formula, f.n(), f.nevent(), f.loglikNull(), f.loglik(), f.lrt(),
                    f.df(), f.lrtP(), f.wald(), f.df(), f.waldP(), f.score(), f.df(), f.scoreP(), f.concordance(),
                    f.concordanceSe(), f.iterations(), f.converged(), clusterColumn,
                    cluster == null ? null : clusters, in.excludedMissing());
            if (!f.converged()) {
                err().println(commandName() + ": warning: " + tiesName + " fit did not converge in "
                        + f.iterations() + " iterations");
            }
        }
        Path coefFile = out.resolve("cox_coef.csv");
        Path fitFile = out.resolve("cox_fit.csv");
        coef.write(coefFile);
        fit.write(fitFile);
        wrote(coefFile, fitFile);
        return 0;
    }
}
