package org.iopoutcomes.continuity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.metrics.PublishedSuppression;
import org.iopoutcomes.metrics.SmallCellSuppression;
import org.iopoutcomes.publish.PublishedPrecision;
import org.iopoutcomes.stats.Interval;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TimeCounts;
import org.iopoutcomes.stats.TrendTest;

/**
 * dose_response (SPEC section 3): relapse after discharge by how much of the program an episode received. The
 * discharged episodes of the compared levels of care, on the discharge clock from day 0 (the dose is known at
 * discharge, so no landmark is needed), by two dimensions:
 * <ul>
 *   <li>{@code attendance_rate_quartile}: Q1 .. Q4 of attendance_rate, cut at its quartiles over all those
 *       episodes (R's quantile type 7, Spark's exact {@code percentile}); Q1 includes the lower quartile, each
 *       next level is (lower, upper]. Episodes without an attended or no-show session have no rate: level
 *       {@code not recorded} (level_order 0, left out of the trend test).</li>
 *   <li>{@code weekly_therapy_hours_band}: therapy_hours / ((days_in_care + 1) / 7), banded by the settings'
 *       limits (default "<9 h", "9-<12 h", ">=12 h").</li>
 * </ul>
 * Per level and horizon H: episodes, relapses by H, Kaplan-Meier cumulative incidence at H with R's log CI, and
 * a chi-square test for trend (Cochran-Armitage, R's prop.trend.test, scores 1, 2, ...) on the crude counts at
 * H among those whose status at H is known, the same p on every level row of a stratum value.
 */
public final class DoseResponse {
    public static final String TABLE = "dose_response";
    public static final String ATTENDANCE = "attendance_rate_quartile";
    public static final String HOURS = "weekly_therapy_hours_band";
    public static final String NOT_RECORDED = "not recorded";

    public static final StructType SCHEMA = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("stratum_value", DataTypes.StringType, false)
            .add("dimension", DataTypes.StringType, false)
            .add("level", DataTypes.StringType, false)
            .add("level_order", DataTypes.IntegerType, false)
            .add("horizon_days", DataTypes.IntegerType, false)
            .add("episodes", DataTypes.LongType, true)
            .add("relapses", DataTypes.LongType, true)
            .add("cumulative_incidence", DataTypes.DoubleType, true)
            .add("ci_lower", DataTypes.DoubleType, true)
            .add("ci_upper", DataTypes.DoubleType, true)
            .add("trend_p", DataTypes.DoubleType, true)
            // beyond the contract's columns: the crude counts of the trend test
            .add("known_status", DataTypes.LongType, true)
            .add("relapsed_known", DataTypes.LongType, true);

    /** The p-value of dose_response, published at 2 significant digits ({@link PublishedPrecision}). */
    public static final PublishedPrecision.Columns PRECISION = PublishedPrecision.Columns.pValues("trend_p");

    private static final List<String> KEYS = List.of("stratum", "stratum_value", "dimension", "level", "level_order",
            "horizon_days");
    public static final List<PublishedSuppression.ColumnGroup> GROUPS = List.of(
            new PublishedSuppression.ColumnGroup(List.of("episodes"), List.of()),
            new PublishedSuppression.ColumnGroup(List.of("relapses", "known_status", "relapsed_known"),
                    List.of("cumulative_incidence", "ci_lower", "ci_upper")));

    /**
     * The stratum values of a level add up to the overall level; the levels of a dimension add up to the stratum
     * value's population, which the other dimension (and the other tables) publish. A lone hidden cell on either
     * line would be a subtraction away.
     */
    static final List<List<String>> ADDITIVE_AXES = List.of(List.of("stratum_value"), List.of("level", "level_order"));

    /**
     * What dose_response declares to the disclosure layer: the stratum values of a level add up to the overall's
     * (every stratum's to the same), the levels of a dimension to the stratum value's compared population (the
     * same for both dimensions); inside a row relapses and known status are parts of the episodes; the trend test
     * is computed from every level of its line, so it is hidden when any level's relapse counts are (attack 2 of
     * issue 13: the shown levels and the p-value gave the hidden ones back).
     */
    public static final PublishedSuppression.Spec SPEC = new PublishedSuppression.Spec(TABLE, KEYS,
            List.of(new PublishedSuppression.Axis(List.of("stratum_value"), List.of("stratum")),
                    new PublishedSuppression.Axis(List.of("level", "level_order"), List.of("dimension"))),
            GROUPS, List.of(),
            List.of(PublishedSuppression.RowRelation.withRest("episodes", "not_relapsed", "relapses"),
                    PublishedSuppression.RowRelation.withRest("known_status", "known_relapse_free", "relapsed_known")),
            List.of(new PublishedSuppression.LineDerived("trend_p", 1, List.of(0, 1))),
            java.util.Map.of("episodes", List.of("horizon_days")));

    private DoseResponse() {}

    /** The levels' limits, from one aggregate of the compared episodes. */
    public record Cuts(double min, double q1, double q2, double q3, double max, List<Double> hoursBands) {}

    /** The compared episodes: discharged, of the compared levels of care, with a discharge-clock time. */
    public static Dataset<Row> population(Dataset<Row> analysis, String timeColumn, String eventColumn,
                                          ContinuitySettings settings) {
        return analysis.where(col("discharge_date").isNotNull()
                        .and(col("level_of_care").isin(settings.levelsOfCare().toArray()))
                        .and(col(timeColumn).isNotNull()))
                .withColumn("time_days", col(timeColumn).cast("int"))
                .withColumn("event", col(eventColumn))
                .withColumn("weekly_therapy_hours",
                        col("therapy_hours").divide(col("days_in_care").plus(1).divide(7.0)));
    }

    public static Cuts cuts(Dataset<Row> population, ContinuitySettings settings) {
        Row r = population.agg(min(col("attendance_rate")), expr("percentile(attendance_rate, array(0.25, 0.5, 0.75))"),
                max(col("attendance_rate"))).first();
        if (r.isNullAt(0)) {
            return new Cuts(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, settings.therapyHoursBands());
        }
        List<Double> q = r.getList(1);
        return new Cuts(r.getDouble(0), q.get(0), q.get(1), q.get(2), r.getDouble(2), settings.therapyHoursBands());
    }

    /** The attendance level of each episode as a struct (label, order). */
    static Column attendanceLevel(Cuts c) {
        Column rate = col("attendance_rate");
        return when(rate.isNull(), level(NOT_RECORDED, 0))
                .when(rate.leq(c.q1()), level("Q1 [" + f(c.min()) + "-" + f(c.q1()) + "]", 1))
                .when(rate.leq(c.q2()), level("Q2 (" + f(c.q1()) + "-" + f(c.q2()) + "]", 2))
                .when(rate.leq(c.q3()), level("Q3 (" + f(c.q2()) + "-" + f(c.q3()) + "]", 3))
                .otherwise(level("Q4 (" + f(c.q3()) + "-" + f(c.max()) + "]", 4));
    }

    static Column hoursLevel(List<Double> bands) {
        Column hours = col("weekly_therapy_hours");
        Column level = level(">=" + h(bands.get(bands.size() - 1)) + " h", bands.size() + 1);
        for (int i = bands.size() - 1; i >= 0; i--) {
            String label = i == 0 ? "<" + h(bands.get(0)) + " h" : h(bands.get(i - 1)) + "-<" + h(bands.get(i)) + " h";
            level = when(hours.lt(bands.get(i)), level(label, i + 1)).otherwise(level);
        }
        return level;
    }

    private static Column level(String label, int order) {
        return org.apache.spark.sql.functions.struct(lit(label).as("level"), lit(order).as("level_order"));
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    private static String h(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }

    /** Per (stratum, value, dimension, level, level_order, day): relapses and censorings. */
    public static Dataset<Row> dayCounts(Dataset<Row> population, Cuts cuts, List<String> strata) {
        Column dims = org.apache.spark.sql.functions.array(
                org.apache.spark.sql.functions.struct(lit(ATTENDANCE).as("dimension"), attendanceLevel(cuts).as("l")),
                org.apache.spark.sql.functions.struct(lit(HOURS).as("dimension"), hoursLevel(cuts.hoursBands()).as("l")));
        Dataset<Row> levels = population.withColumn("_d", org.apache.spark.sql.functions.explode(dims))
                .withColumn("dimension", col("_d.dimension"))
                .withColumn("level", col("_d.l.level"))
                .withColumn("level_order", col("_d.l.level_order"))
                .drop("_d");
        return ContinuityEffect.stratified(levels, strata, List.of("dimension", "level", "level_order", "time_days",
                        "event"))
                .groupBy(col("stratum"), col("stratum_value"), col("dimension"), col("level"), col("level_order"),
                        col("time_days").as("day"))
                .agg(sum(when(col("event"), 1L).otherwise(0L)).as("events"),
                        sum(when(col("event"), 0L).otherwise(1L)).as("censored"));
    }

    /** The table before suppression, from the collected per-day counts. */
    public static List<Row> rows(List<Row> dayCounts, List<String> strata, ContinuitySettings settings) {
        record Level(String stratum, String value, String dimension, String label, int order) {}
        Map<Level, List<TimeCounts>> counts = new LinkedHashMap<>();
        for (Row r : dayCounts) {
            Level l = new Level(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getInt(4));
            counts.computeIfAbsent(l, k -> new ArrayList<>())
                    .add(new TimeCounts(((Number) r.get(5)).doubleValue(), r.getLong(6), r.getLong(7)));
        }
        List<Level> levels = new ArrayList<>(counts.keySet());
        levels.sort(Comparator.<Level>comparingInt(l -> strata.indexOf(l.stratum())).thenComparing(Level::value)
                .thenComparing(Level::dimension).thenComparingInt(Level::order));
        List<Row> out = new ArrayList<>();
        for (int horizon : settings.horizonsDays()) {
            // the trend test of each stratum value and dimension at this horizon
            Map<String, List<long[]>> trendCounts = new LinkedHashMap<>();
            Map<Level, ContinuityEffect.Crude> crude = new LinkedHashMap<>();
            for (Level l : levels) {
                ContinuityEffect.Crude c = ContinuityEffect.Crude.of(counts.get(l), horizon);
                crude.put(l, c);
                if (l.order() > 0) {
                    trendCounts.computeIfAbsent(l.stratum() + "\u0000" + l.value() + "\u0000" + l.dimension(),
                            k -> new ArrayList<>()).add(new long[] {c.relapsedByH(), c.known(), l.order()});
                }
            }
            Map<String, Double> trendP = new LinkedHashMap<>();
            trendCounts.forEach((k, list) -> {
                long[] x = list.stream().mapToLong(a -> a[0]).toArray();
                long[] n = list.stream().mapToLong(a -> a[1]).toArray();
                double[] score = list.stream().mapToDouble(a -> a[2]).toArray();
                double p = list.size() < 2 ? Double.NaN : TrendTest.propTrend(x, n, score).p();
                trendP.put(k, Double.isNaN(p) ? null : p);
            });
            for (Level l : levels) {
                List<TimeCounts> c = counts.get(l);
                c.sort(Comparator.comparingDouble(TimeCounts::time));
                KaplanMeier km = KaplanMeier.fit(c);
                SurvivalAtTime at = km.at(horizon);
                Interval ci = at.cumIncidenceLog();
                ContinuityEffect.Crude cr = crude.get(l);
                out.add(RowFactory.create(l.stratum(), l.value(), l.dimension(), l.label(), l.order(), horizon,
                        km.n(), at.nEventCumByT(), value(at.cumIncidence()), value(ci.lower()), value(ci.upper()),
                        trendP.get(l.stratum() + "\u0000" + l.value() + "\u0000" + l.dimension()),
                        cr.known(), cr.relapsedByH()));
            }
        }
        out.sort(Comparator.<Row>comparingInt(r -> strata.indexOf(r.getString(0))).thenComparing(r -> r.getString(1))
                .thenComparing(r -> r.getString(2)).thenComparingInt(r -> r.getInt(5)).thenComparingInt(r -> r.getInt(4)));
        return out;
    }

    public static Dataset<Row> publish(SparkSession spark, List<Row> rows, int threshold) {
        return inPublishedOrder(PublishedSuppression.apply(spark.createDataFrame(rows, SCHEMA), SPEC,
                new SmallCellSuppression(threshold)));
    }

    /** The suppressed flag where the contract has it, after trend_p. */
    public static Dataset<Row> inPublishedOrder(Dataset<Row> hidden) {
        List<Column> order = new ArrayList<>();
        for (String c : SCHEMA.fieldNames()) {
            order.add(col(c));
            if (c.equals("trend_p")) {
                order.add(col("suppressed"));
            }
        }
        return hidden.select(order.toArray(Column[]::new));
    }

    private static Double value(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
