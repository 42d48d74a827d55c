package org.iopoutcomes.continuity;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.iopoutcomes.metrics.SignificantDigits.round10;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.input.TableReader;
import org.iopoutcomes.metrics.PublishedSuppression;
import org.iopoutcomes.metrics.SmallCellSuppression;
import org.iopoutcomes.publish.PublishedPrecision;
import org.iopoutcomes.retention.RetentionTables;
import org.iopoutcomes.stats.Interval;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.LogRank;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TimeCounts;
import org.iopoutcomes.stats.TwoByTwo;
import org.iopoutcomes.stats.TwoByTwoResult;

/**
 * continuity_effect (SPEC section 3 "Continuity of care"): per stratum, exposure and horizon H (days from
 * discharge), the landmark cohort of the exposure compared by exposure group.
 *
 * <p>The landmark cohort of an exposure with landmark L: the discharged episodes (of the compared levels of
 * care, with the exposure defined) still relapse-free and under follow-up at day L; those that relapsed on or
 * before day L, or whose follow-up ended before it, are left out and counted. Time at risk starts at the
 * landmark: the Kaplan-Meier curves, the log-rank test and the Cox model use days since the landmark, and the
 * figures at H are read at H - L days after it (so "relapsed by H" still means by day H after discharge).
 *
 * <p>Spark computes two aggregates: counts per (stratum, value, exposure) and per-day counts of the cohort per
 * (stratum, value, exposure, group, day since the landmark). Everything else (Kaplan-Meier, the crude 2x2 at H
 * among those whose status at H is known, log-rank with follow-up stopped at H) is computed on the driver from
 * those counts by the stats package. Adjusted models are fitted by an {@link AdjustedModels} on the cohort rows
 * (Spark-aggregated Cox and logistic regression), for the overall stratum and per program.
 */
public final class ContinuityEffect {
    public static final String TABLE = "continuity_effect";
    /** Strata for which the adjusted models are fitted (one Spark-aggregated fit per value, exposure, horizon). */
    public static final List<String> MODEL_STRATA = List.of(RetentionTables.OVERALL, "program_id");

    public static final StructType SCHEMA = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("stratum_value", DataTypes.StringType, false)
            .add("exposure", DataTypes.StringType, false)
            .add("horizon_days", DataTypes.IntegerType, false)
            .add("landmark_days", DataTypes.IntegerType, false)
            .add("discharged_episodes", DataTypes.LongType, true)
            .add("excluded_relapsed_before_landmark", DataTypes.LongType, true)
            .add("excluded_censored_before_landmark", DataTypes.LongType, true)
            .add("cohort_episodes", DataTypes.LongType, true)
            .add("exposed_n", DataTypes.LongType, true)
            .add("exposed_relapses", DataTypes.LongType, true)
            .add("unexposed_n", DataTypes.LongType, true)
            .add("unexposed_relapses", DataTypes.LongType, true)
            .add("exposed_cumulative_incidence", DataTypes.DoubleType, true)
            .add("exposed_ci_lower", DataTypes.DoubleType, true)
            .add("exposed_ci_upper", DataTypes.DoubleType, true)
            .add("unexposed_cumulative_incidence", DataTypes.DoubleType, true)
            .add("unexposed_ci_lower", DataTypes.DoubleType, true)
            .add("unexposed_ci_upper", DataTypes.DoubleType, true)
            .add("risk_difference", DataTypes.DoubleType, true)
            .add("risk_difference_lower", DataTypes.DoubleType, true)
            .add("risk_difference_upper", DataTypes.DoubleType, true)
            .add("risk_ratio", DataTypes.DoubleType, true)
            .add("risk_ratio_lower", DataTypes.DoubleType, true)
            .add("risk_ratio_upper", DataTypes.DoubleType, true)
            .add("odds_ratio", DataTypes.DoubleType, true)
            .add("odds_ratio_lower", DataTypes.DoubleType, true)
            .add("odds_ratio_upper", DataTypes.DoubleType, true)
            .add("chisq_yates_p", DataTypes.DoubleType, true)
            .add("fisher_p", DataTypes.DoubleType, true)
            .add("logrank_p", DataTypes.DoubleType, true)
            .add("adjusted_hr", DataTypes.DoubleType, true)
            .add("adjusted_hr_lower", DataTypes.DoubleType, true)
            .add("adjusted_hr_upper", DataTypes.DoubleType, true)
            .add("adjusted_hr_p", DataTypes.DoubleType, true)
            .add("hr_model_n", DataTypes.LongType, true)
            .add("hr_model_events", DataTypes.LongType, true)
            .add("hr_robust_se", DataTypes.BooleanType, true)
            .add("adjusted_or", DataTypes.DoubleType, true)
            .add("adjusted_or_lower", DataTypes.DoubleType, true)
            .add("adjusted_or_upper", DataTypes.DoubleType, true)
            .add("adjusted_or_p", DataTypes.DoubleType, true)
            .add("or_model_n", DataTypes.LongType, true)
            .add("or_model_events", DataTypes.LongType, true)
            .add("covariates_used", DataTypes.StringType, true)
            .add("covariates_left_out", DataTypes.StringType, true)
            .add("rows_left_out_missing", DataTypes.LongType, true)
            .add("estimable", DataTypes.BooleanType, false)
            .add("note", DataTypes.StringType, true)
            // beyond the contract's columns: the crude 2x2's known-status counts
            .add("exposed_known_status", DataTypes.LongType, true)
            .add("unexposed_known_status", DataTypes.LongType, true);

    /** The p-values of continuity_effect, published at 2 significant digits ({@link PublishedPrecision}). */
    public static final PublishedPrecision.Columns PRECISION = PublishedPrecision.Columns.pValues("chisq_yates_p",
            "fisher_p", "logrank_p", "adjusted_hr_p", "adjusted_or_p");

    private static final List<String> KEYS = List.of("stratum", "stratum_value", "exposure", "horizon_days",
            "landmark_days");
    private static final List<String> COMPARISONS = List.of("risk_difference", "risk_difference_lower",
            "risk_difference_upper", "risk_ratio", "risk_ratio_lower", "risk_ratio_upper", "odds_ratio",
            "odds_ratio_lower", "odds_ratio_upper", "chisq_yates_p", "fisher_p", "logrank_p");
    private static final List<String> ADJUSTED = List.of("adjusted_hr", "adjusted_hr_lower", "adjusted_hr_upper",
            "adjusted_hr_p", "hr_robust_se", "adjusted_or", "adjusted_or_lower", "adjusted_or_upper", "adjusted_or_p");

    /**
     * Column groups of the published table: counts of people and what is built on them. The estimable flag and
     * the note say whether a group has enough relapses (a bound on hidden counts), and the covariate texts come
     * from the model's rows: hidden with the groups (issue 13, attack 4).
     */
    public static final List<PublishedSuppression.ColumnGroup> GROUPS = List.of(
            new PublishedSuppression.ColumnGroup(List.of("discharged_episodes"), List.of()),
            new PublishedSuppression.ColumnGroup(List.of("excluded_relapsed_before_landmark",
                    "excluded_censored_before_landmark", "cohort_episodes"), List.of()),
            new PublishedSuppression.ColumnGroup(List.of("exposed_n", "exposed_relapses", "exposed_known_status"),
                    concat(List.of("exposed_cumulative_incidence", "exposed_ci_lower", "exposed_ci_upper",
                            "estimable", "note", "covariates_used", "covariates_left_out"), COMPARISONS, ADJUSTED)),
            new PublishedSuppression.ColumnGroup(List.of("unexposed_n", "unexposed_relapses",
                    "unexposed_known_status"), concat(List.of("unexposed_cumulative_incidence", "unexposed_ci_lower",
                    "unexposed_ci_upper"), COMPARISONS, ADJUSTED)),
            new PublishedSuppression.ColumnGroup(List.of("hr_model_n", "hr_model_events", "or_model_n",
                    "or_model_events"), concat(List.of("covariates_used", "covariates_left_out"), ADJUSTED)),
            new PublishedSuppression.ColumnGroup(List.of("rows_left_out_missing"), List.of()));

    /**
     * Within a row cohort_episodes = exposed_n + unexposed_n, and a model's event count is both groups' relapses
     * (less rows left out for a missing covariate): the exposed group, the unexposed group and the model counts
     * are hidden together.
     */
    static final List<List<Integer>> PARTS_OF_ONE_TOTAL = List.of(List.of(2, 3, 4));

    /**
     * What continuity_effect declares to the disclosure layer: the stratum values add up to the overall row; the
     * discharged episodes are the landmark cohort and the two exclusions, the cohort is the exposed and the
     * unexposed, and each group's relapses and known status are parts of it.
     */
    public static final PublishedSuppression.Spec SPEC = new PublishedSuppression.Spec(TABLE, KEYS,
            List.of(new PublishedSuppression.Axis(List.of("stratum_value"), List.of("stratum"))), GROUPS,
            PARTS_OF_ONE_TOTAL,
            List.of(PublishedSuppression.RowRelation.exact("discharged_episodes", "cohort_episodes",
                            "excluded_relapsed_before_landmark", "excluded_censored_before_landmark"),
                    PublishedSuppression.RowRelation.exact("cohort_episodes", "exposed_n", "unexposed_n"),
                    PublishedSuppression.RowRelation.withRest("exposed_n", "exposed_not_relapsed", "exposed_relapses"),
                    PublishedSuppression.RowRelation.withRest("unexposed_n", "unexposed_not_relapsed",
                            "unexposed_relapses"),
                    PublishedSuppression.RowRelation.withRest("exposed_known_status", "exposed_known_free",
                            "exposed_relapses"),
                    PublishedSuppression.RowRelation.withRest("unexposed_known_status", "unexposed_known_free",
                            "unexposed_relapses")),
            List.of(), java.util.Map.of("discharged_episodes", List.of("horizon_days"),
                    "excluded_relapsed_before_landmark", List.of("horizon_days"),
                    "excluded_censored_before_landmark", List.of("horizon_days"),
                    "cohort_episodes", List.of("horizon_days"), "exposed_n", List.of("horizon_days"),
                    "unexposed_n", List.of("horizon_days")));

    private ContinuityEffect() {}

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    /** Adjusted Cox and logistic models of one cohort (implemented on Spark aggregates by the pipeline). */
    public interface AdjustedModels {
        /**
         * @param cohort the landmark cohort's episodes of one stratum value: {@link #cohortRows} columns
         * @param horizonDays H: follow-up is stopped at H days after discharge
         */
        Adjusted fit(Dataset<Row> cohort, String exposure, int landmarkDays, int horizonDays);

        /**
         * The fits of one cohort at several horizons, each equal to {@link #fit} at that horizon; an implementation
         * can share work between them (one pass over the cohort for all).
         */
        default Map<Integer, Adjusted> fitHorizons(Dataset<Row> cohort, String exposure, int landmarkDays,
                                                   List<Integer> horizonsDays) {
            Map<Integer, Adjusted> fits = new LinkedHashMap<>();
            for (int horizon : horizonsDays) {
                fits.put(horizon, fit(cohort, exposure, landmarkDays, horizon));
            }
            return fits;
        }
    }

    /** What an adjusted fit gives; {@code note} says why a part is empty. */
    public record Adjusted(Double hr, Double hrLower, Double hrUpper, Double hrP, Long hrN, Long hrEvents,
                           Boolean robustSe, Double or, Double orLower, Double orUpper, Double orP, Long orN,
                           Long orEvents, String covariatesUsed, String covariatesLeftOut, Long rowsLeftOutMissing,
                           String note) {
        public static Adjusted none(String note) {
            return new Adjusted(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, note);
        }
    }

    /**
     * The discharged episodes compared, one row per episode and exposure (exposures whose value is empty are
     * not compared): the episode's columns with {@code exposure}, {@code landmark_days}, {@code exposed},
     * {@code landmark_status}, {@code time_days} and {@code event} (the discharge-clock relapse time and event).
     *
     * @param analysis episode_outcomes with the exposures, and the relapse columns named by timeColumn/eventColumn
     */
    public static Dataset<Row> byExposure(Dataset<Row> analysis, String timeColumn, String eventColumn,
                                          ContinuitySettings settings) {
        List<Column> structs = new ArrayList<>();
        for (String exposure : settings.exposures()) {
            int landmark = settings.landmarkDays(exposure);
            structs.add(struct(lit(exposure).as("exposure"), lit(landmark).as("landmark_days"),
                    col(exposure).as("exposed"),
                    ContinuityExposures.landmarkStatus(col(exposure), col(timeColumn), col(eventColumn), landmark)
                            .as("landmark_status")));
        }
        List<Column> out = new ArrayList<>();
        for (String c : analysis.columns()) {
            out.add(col(TableReader.quote(c)));
        }
        out.add(col("_x.exposure").as("exposure"));
        out.add(col("_x.landmark_days").as("landmark_days"));
        out.add(col("_x.exposed").as("exposed"));
        out.add(col("_x.landmark_status").as("landmark_status"));
        out.add(col(timeColumn).cast("int").as("time_days"));
        out.add(col(eventColumn).as("event"));
        return analysis
                .where(col("discharge_date").isNotNull().and(col("level_of_care").isin(settings.levelsOfCare().toArray())))
                .withColumn("_x", explode(array(structs.toArray(Column[]::new))))
                .select(out.toArray(Column[]::new))
                .where(col("landmark_status").isNotNull());
    }

    /** The cohort of one exposure: landmark status cohort. */
    public static Dataset<Row> cohortRows(Dataset<Row> byExposure, String exposure) {
        return byExposure.where(col("exposure").equalTo(exposure).and(col("landmark_status")
                .equalTo(ContinuityExposures.COHORT)));
    }

    /** Each row once per stratum, with stratum and stratum_value in front (empty values: not_recorded). */
    static Dataset<Row> stratified(Dataset<Row> rows, List<String> strata, List<String> keep) {
        List<Column> values = new ArrayList<>();
        for (String stratum : strata) {
            Column value = stratum.equals(RetentionTables.OVERALL) ? lit(RetentionTables.OVERALL)
                    : coalesce(col(TableReader.quote(stratum)).cast("string"), lit(RetentionTables.NOT_RECORDED));
            values.add(struct(lit(stratum).as("stratum"), value.as("stratum_value")));
        }
        List<Column> select = new ArrayList<>(List.of(col("_s.stratum").as("stratum"),
                col("_s.stratum_value").as("stratum_value")));
        for (String k : keep) {
            select.add(col(k));
        }
        return rows.withColumn("_s", explode(array(values.toArray(Column[]::new))))
                .select(select.toArray(Column[]::new));
    }

    /** Per (stratum, value, exposure): landmark_days, discharged, relapsed before, censored before. */
    public static Dataset<Row> stratumCounts(Dataset<Row> byExposure, List<String> strata) {
        return stratified(byExposure, strata, List.of("exposure", "landmark_days", "landmark_status"))
                .groupBy(col("stratum"), col("stratum_value"), col("exposure"), col("landmark_days"))
                .agg(count(lit(1)).as("discharged_episodes"),
                        sum(when(col("landmark_status").equalTo(ContinuityExposures.RELAPSED_BEFORE), 1L)
                                .otherwise(0L)).as("relapsed_before"),
                        sum(when(col("landmark_status").equalTo(ContinuityExposures.CENSORED_BEFORE), 1L)
                                .otherwise(0L)).as("censored_before"));
    }

    /** Per (stratum, value, exposure, exposed, day since the landmark): relapses and censorings of the cohort. */
    public static Dataset<Row> dayCounts(Dataset<Row> byExposure, List<String> strata) {
        Dataset<Row> cohort = byExposure.where(col("landmark_status").equalTo(ContinuityExposures.COHORT))
                .withColumn("day", col("time_days").minus(col("landmark_days")));
        return stratified(cohort, strata, List.of("exposure", "exposed", "day", "event"))
                .groupBy(col("stratum"), col("stratum_value"), col("exposure"), col("exposed"), col("day"))
                .agg(sum(when(col("event"), 1L).otherwise(0L)).as("events"),
                        sum(when(col("event"), 0L).otherwise(1L)).as("censored"));
    }

    /** One stratum value and exposure: its counts and the per-day counts of each group. */
    static final class Cell {
        final String stratum;
        final String value;
        final String exposure;
        final int landmark;
        final long discharged;
        final long relapsedBefore;
        final long censoredBefore;
        final List<TimeCounts> exposed = new ArrayList<>();
        final List<TimeCounts> unexposed = new ArrayList<>();

        Cell(String stratum, String value, String exposure, int landmark, long discharged, long relapsedBefore,
             long censoredBefore) {
            this.stratum = stratum;
            this.value = value;
            this.exposure = exposure;
            this.landmark = landmark;
            this.discharged = discharged;
            this.relapsedBefore = relapsedBefore;
            this.censoredBefore = censoredBefore;
        }
    }

    /** Crude counts of one group at H (days since the landmark h = H - L). */
    record Crude(long n, long relapsedByH, long knownFreeAtH) {
        static Crude of(List<TimeCounts> counts, double h) {
            long n = 0;
            long relapsed = 0;
            long free = 0;
            for (TimeCounts t : counts) {
                n += t.nEvent() + t.nCensor();
                if (t.time() <= h) {
                    relapsed += t.nEvent();
                }
                if (t.time() >= h) {
                    free += t.nCensor() + (t.time() > h ? t.nEvent() : 0);
                }
            }
            return new Crude(n, relapsed, free);
        }

        long known() {
            return relapsedByH + knownFreeAtH;
        }
    }

    /** Follow-up stopped at h: later times become censorings at h (for the log-rank test up to H). */
    static List<TimeCounts> stoppedAt(List<TimeCounts> counts, double h) {
        List<TimeCounts> out = new ArrayList<>();
        long later = 0;
        for (TimeCounts t : counts) {
            if (t.time() <= h) {
                out.add(t);
            } else {
                later += t.nEvent() + t.nCensor();
            }
        }
        if (later > 0) {
            out.add(new TimeCounts(h, 0, later));
        }
        return merge(out);
    }

    private static List<TimeCounts> merge(List<TimeCounts> counts) {
        TreeMap<Double, long[]> byTime = new TreeMap<>();
        for (TimeCounts t : counts) {
            long[] c = byTime.computeIfAbsent(t.time(), k -> new long[2]);
            c[0] += t.nEvent();
            c[1] += t.nCensor();
        }
        List<TimeCounts> out = new ArrayList<>();
        byTime.forEach((time, c) -> out.add(new TimeCounts(time, c[0], c[1])));
        return out;
    }

    /**
     * The table before suppression, from the two collected aggregates.
     *
     * @param models fits the adjusted models of a cohort; null = no adjusted models
     * @param cohortOf the cohort rows of (stratum, value, exposure) for the models
     */
    public static List<Row> rows(List<Row> stratumCounts, List<Row> dayCounts, List<String> strata,
                                 ContinuitySettings settings, AdjustedModels models,
                                 java.util.function.Function<String[], Dataset<Row>> cohortOf) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        List<Cell> ordered = new ArrayList<>();
        for (Row r : stratumCounts) {
            Cell cell = new Cell(r.getString(0), r.getString(1), r.getString(2), r.getInt(3), r.getLong(4),
                    r.getLong(5), r.getLong(6));
            ordered.add(cell);
        }
        ordered.sort(Comparator.<Cell>comparingInt(c -> strata.indexOf(c.stratum)).thenComparing(c -> c.value)
                .thenComparingInt(c -> settings.exposures().indexOf(c.exposure)));
        for (Cell c : ordered) {
            cells.put(key(c.stratum, c.value, c.exposure), c);
        }
        for (Row r : dayCounts) {
            Cell cell = cells.get(key(r.getString(0), r.getString(1), r.getString(2)));
            TimeCounts t = new TimeCounts(((Number) r.get(4)).doubleValue(), r.getLong(5), r.getLong(6));
            (r.getBoolean(3) ? cell.exposed : cell.unexposed).add(t);
        }
        List<Row> out = new ArrayList<>();
        for (Cell cell : ordered) {
            cell.exposed.sort(Comparator.comparingDouble(TimeCounts::time));
            cell.unexposed.sort(Comparator.comparingDouble(TimeCounts::time));
            // the adjusted models of every horizon where they are fitted, from one call (one pass over the cohort)
            List<Integer> fitted = new ArrayList<>();
            if (models != null && MODEL_STRATA.contains(cell.stratum)) {
                for (int horizon : settings.horizonsDays()) {
                    if (notEstimable(cell, horizon, settings) == null) {
                        fitted.add(horizon);
                    }
                }
            }
            Map<Integer, Adjusted> fits = fitted.isEmpty() ? Map.of() : models.fitHorizons(
                    cohortOf.apply(new String[] {cell.stratum, cell.value, cell.exposure}), cell.exposure,
                    cell.landmark, fitted);
            for (int horizon : settings.horizonsDays()) {
                out.add(row(cell, horizon, settings, fits.get(horizon)));
            }
        }
        return out;
    }

    private static String key(String stratum, String value, String exposure) {
        return stratum + "\u0000" + value + "\u0000" + exposure;
    }

    /** Why the comparison of a cell at a horizon is not estimable, or null when it is. */
    static String notEstimable(Cell cell, int horizon, ContinuitySettings settings) {
        double h = horizon - cell.landmark;
        Crude exposed = Crude.of(cell.exposed, h);
        Crude unexposed = Crude.of(cell.unexposed, h);
        if (h <= 0) {
            return "horizon " + horizon + " is not after the landmark (day " + cell.landmark + ")";
        }
        if (exposed.n() == 0 || unexposed.n() == 0) {
            return "no " + (exposed.n() == 0 ? "exposed" : "unexposed") + " episodes in the landmark cohort";
        }
        if (Math.min(exposed.relapsedByH(), unexposed.relapsedByH()) < settings.minEventsPerGroup()) {
            return "fewer than " + settings.minEventsPerGroup() + " relapses by day " + horizon + " in a group";
        }
        return null;
    }

    /** @param a the adjusted models at this horizon, or null when they are not fitted */
    private static Row row(Cell cell, int horizon, ContinuitySettings settings, Adjusted a) {
        Object[] v = new Object[SCHEMA.size()];
        v[0] = cell.stratum;
        v[1] = cell.value;
        v[2] = cell.exposure;
        v[3] = horizon;
        v[4] = cell.landmark;
        v[5] = cell.discharged;
        v[6] = cell.relapsedBefore;
        v[7] = cell.censoredBefore;
        long cohort = cell.discharged - cell.relapsedBefore - cell.censoredBefore;
        v[8] = cohort;
        double h = horizon - cell.landmark;
        Crude exposed = Crude.of(cell.exposed, h);
        Crude unexposed = Crude.of(cell.unexposed, h);
        v[9] = exposed.n();
        v[10] = exposed.relapsedByH();
        v[11] = unexposed.n();
        v[12] = unexposed.relapsedByH();
        v[SCHEMA.fieldIndex("exposed_known_status")] = exposed.known();
        v[SCHEMA.fieldIndex("unexposed_known_status")] = unexposed.known();
        String note = notEstimable(cell, horizon, settings);
        if (h > 0) {
            km(cell.exposed, h, v, 13);
            km(cell.unexposed, h, v, 16);
        }
        boolean estimable = note == null;
        v[SCHEMA.fieldIndex("estimable")] = estimable;
        if (estimable) {
            TwoByTwoResult t = TwoByTwo.analyse(exposed.relapsedByH(), exposed.knownFreeAtH(),
                    unexposed.relapsedByH(), unexposed.knownFreeAtH());
            v[19] = value(t.rd());
            v[20] = value(t.rdCi().lower());
            v[21] = value(t.rdCi().upper());
            v[22] = value(t.rr());
            v[23] = value(t.rrCi().lower());
            v[24] = value(t.rrCi().upper());
            v[25] = value(t.or());
            v[26] = value(t.orCi().lower());
            v[27] = value(t.orCi().upper());
            v[28] = value(t.chisqYatesP());
            v[29] = value(t.fisherTwoSided());
            Map<String, List<TimeCounts>> groups = new LinkedHashMap<>();
            groups.put("exposed", stoppedAt(cell.exposed, h));
            groups.put("unexposed", stoppedAt(cell.unexposed, h));
            v[30] = value(LogRank.test(groups, 0).p());
            if (a != null) {
                Object[] adjusted = {round10(a.hr()), round10(a.hrLower()), round10(a.hrUpper()), round10(a.hrP()),
                        a.hrN(), a.hrEvents(), a.robustSe(), round10(a.or()), round10(a.orLower()),
                        round10(a.orUpper()), round10(a.orP()), a.orN(), a.orEvents(), a.covariatesUsed(),
                        a.covariatesLeftOut(), a.rowsLeftOutMissing()};
                System.arraycopy(adjusted, 0, v, 31, adjusted.length);
                note = a.note();
            }
        }
        v[SCHEMA.fieldIndex("note")] = note;
        return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, SCHEMA);
    }

    /**
     * Kaplan-Meier cumulative incidence of one group at h days after the landmark, with R's log CI flipped; empty
     * when nobody of the group is still followed at h (no figure is carried past the follow-up).
     */
    private static void km(List<TimeCounts> counts, double h, Object[] v, int at) {
        if (counts.isEmpty()) {
            return;
        }
        SurvivalAtTime s = KaplanMeier.fit(counts).at(h);
        if (s.nRisk() == 0) {
            return;
        }
        Interval ci = s.cumIncidenceLog();
        v[at] = value(s.cumIncidence());
        v[at + 1] = value(ci.lower());
        v[at + 2] = value(ci.upper());
    }

    /** Suppresses small cells and puts the suppressed flag where the contract has it, before the extra columns. */
    public static Dataset<Row> publish(SparkSession spark, List<Row> rows, int threshold) {
        Dataset<Row> table = spark.createDataFrame(rows, SCHEMA);
        return inPublishedOrder(PublishedSuppression.apply(table, SPEC, new SmallCellSuppression(threshold)));
    }

    /** The suppressed flag where the contract has it, before the extra columns. */
    public static Dataset<Row> inPublishedOrder(Dataset<Row> hidden) {
        List<Column> order = new ArrayList<>();
        for (String c : SCHEMA.fieldNames()) {
            order.add(col(c));
            if (c.equals("note")) {
                order.add(col("suppressed"));
            }
        }
        return hidden.select(order.toArray(Column[]::new));
    }

    private static Double value(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? null : x;
    }
}
