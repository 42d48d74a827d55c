package org.iopoutcomes.cli.stats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iopoutcomes.cli.BadSettingsException;
import org.iopoutcomes.stats.ConfType;
import org.iopoutcomes.stats.Interval;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.KaplanMeierRow;
import org.iopoutcomes.stats.MedianSurvival;
import org.iopoutcomes.stats.RestrictedMean;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TimeCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "km", mixinStandardHelpOptions = true, versionProvider = org.iopoutcomes.cli.BuildInfo.VersionProvider.class,
        description = {"Kaplan-Meier curves as R survfit: km_curves.csv, km_at_times.csv, km_median.csv.",
                "Greenwood SE, log/log-log/plain CIs, Nelson-Aalen cumulative hazard, median with CI,"
                        + " restricted mean up to the largest time in the data (rmean = \"common\")."})
public class KmCommand extends DataSubcommand {
    @Option(names = "--time", required = true, paramLabel = "COLUMN", description = "Time column (numeric).")
    String timeColumn;

    @Option(names = "--event", required = true, paramLabel = "COLUMN", description = "Event column: 1 = event, 0 = censored.")
    String eventColumn;

    @Option(names = "--group", paramLabel = "COLUMN", description = "Group column: one curve per value (strata G=value); without it one curve (strata all).")
    String groupColumn;

    @Option(names = "--times", paramLabel = "T1,T2,...", defaultValue = "30,90,180,365",
            description = "Times for km_at_times.csv (summary.survfit(times, extend = TRUE)). Default: ${DEFAULT-VALUE}.")
    String times;

    @Option(names = "--conf-type", paramLabel = "TYPE", defaultValue = "log",
            description = "CI type of the lower/upper and median_lcl/median_ucl columns: log, log-log or plain"
                    + " (the files also hold the log and log-log columns of the reference). Default: ${DEFAULT-VALUE}.")
    String confType;

    @Override
    public Integer call() {
        ConfType type;
        try {
            type = ConfType.fromRName(confType);
        } catch (IllegalArgumentException e) {
            throw BadSettingsException.of("--conf-type", confType, "log, log-log or plain");
        }
        double[] horizons = numbers("--times", times);
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {"--time", timeColumn});
        columns.add(new String[] {"--event", eventColumn});
        if (groupColumn != null) {
            columns.add(new String[] {"--group", groupColumn});
        }
        StatsInput in = StatsInput.open(input, columns);
        reportExcluded(in);
        double[] time = in.numeric(timeColumn);
        int[] event = in.binary(eventColumn);
        Map<String, List<TimeCounts>> strata = strata(in, groupColumn, time, event);
        double commonLimit = Double.NEGATIVE_INFINITY;
        for (double t : time) {
            commonLimit = Math.max(commonLimit, t);
        }
        String group = groupColumn == null ? "" : groupColumn;
        List<String> keys = List.of("dataset", "time_col", "event_col", "group_col", "strata");
        CsvOutput curves = new CsvOutput(concat(keys, List.of("time", "n_risk", "n_event", "n_censor", "surv",
                "se_cumhaz_greenwood", "se_surv_greenwood", "lower_log", "upper_log", "lower_loglog", "upper_loglog",
                "lower_plain", "upper_plain", "cumhaz_nelson_aalen", "se_cumhaz_nelson_aalen", "conf_type", "lower",
                "upper")));
        CsvOutput atTimes = new CsvOutput(concat(keys, List.of("t", "n_risk", "n_event_cum_by_t", "surv",
                "se_surv_greenwood", "lower_log", "upper_log", "lower_loglog", "upper_loglog", "cum_incidence",
                "cum_incidence_lower_log", "cum_incidence_upper_log", "conf_type", "lower", "upper")));
        CsvOutput medians = new CsvOutput(concat(keys, List.of("n", "events", "median", "median_lcl_log",
                "median_ucl_log", "median_lcl_loglog", "median_ucl_loglog", "rmean", "se_rmean", "rmean_upper_limit",
                "conf_type", "median_lcl", "median_ucl", "n_excluded_missing")));
        for (var stratum : strata.entrySet()) {
            KaplanMeier km = KaplanMeier.fit(stratum.getValue());
            Object[] key = {in.dataset(), timeColumn, eventColumn, group, stratum.getKey()};
            for (KaplanMeierRow r : km.rows()) {
                Interval chosen = r.interval(type);
                curves.row(concat(key, r.time(), r.nRisk(), r.nEvent(), r.nCensor(), r.surv(), r.seCumhaz(),
                        r.seSurv(), r.log().lower(), r.log().upper(), r.logLog().lower(), r.logLog().upper(),
                        r.plain().lower(), r.plain().upper(), r.cumhaz(), r.seCumhazNa(), type.rName(),
                        chosen.lower(), chosen.upper()));
            }
            for (double t : horizons) {
                SurvivalAtTime s = km.at(t);
                Interval chosen = s.interval(type);
                atTimes.row(concat(key, t, s.nRisk(), s.nEventCumByT(), s.surv(), s.seSurv(), s.log().lower(),
                        s.log().upper(), s.logLog().lower(), s.logLog().upper(), s.cumIncidence(),
                        s.cumIncidenceLog().lower(), s.cumIncidenceLog().upper(), type.rName(), chosen.lower(),
                        chosen.upper()));
            }
            MedianSurvival log = km.median(ConfType.LOG);
            MedianSurvival logLog = km.median(ConfType.LOG_LOG);
            MedianSurvival chosen = km.median(type);
            RestrictedMean rmean = km.restrictedMean(commonLimit);
            medians.row(concat(key, km.n(), km.events(), log.median(), log.ci().lower(), log.ci().upper(),
                    logLog.ci().lower(), logLog.ci().upper(), rmean.rmean(), rmean.se(), rmean.upperLimit(),
                    type.rName(), chosen.ci().lower(), chosen.ci().upper(), in.excludedMissing()));
        }
        Path curvesFile = out.resolve("km_curves.csv");
        Path atTimesFile = out.resolve("km_at_times.csv");
        Path medianFile = out.resolve("km_median.csv");
        curves.write(curvesFile);
        atTimes.write(atTimesFile);
        medians.write(medianFile);
        wrote(curvesFile, atTimesFile, medianFile);
        return 0;
    }

    /** Counts per time for each stratum: "all", or "G=value" in R's factor order. */
    static Map<String, List<TimeCounts>> strata(StatsInput in, String groupColumn, double[] time, int[] event) {
        Map<String, List<TimeCounts>> strata = new LinkedHashMap<>();
        if (groupColumn == null) {
            strata.put("all", new ArrayList<>());
        } else {
            String[] group = in.text(groupColumn);
            for (String value : groupOrder(group)) {
                strata.put(groupColumn + "=" + value, new ArrayList<>());
            }
        }
        String[] group = groupColumn == null ? null : in.text(groupColumn);
        for (int i = 0; i < time.length; i++) {
            String key = group == null ? "all" : groupColumn + "=" + group[i];
            strata.get(key).add(new TimeCounts(time[i], event[i], 1 - event[i]));
        }
        return strata;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static Object[] concat(Object[] key, Object... values) {
        Object[] all = new Object[key.length + values.length];
        System.arraycopy(key, 0, all, 0, key.length);
        System.arraycopy(values, 0, all, key.length, values.length);
        return all;
    }
}
