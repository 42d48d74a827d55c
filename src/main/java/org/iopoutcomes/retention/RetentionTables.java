package org.iopoutcomes.retention;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
import org.iopoutcomes.publish.CurveGrid;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.BinomialOneSample;
import org.iopoutcomes.stats.ConfType;
import org.iopoutcomes.stats.Interval;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.MedianSurvival;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StateEstimate;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.TimeCounts;

/**
 * retention_summary and retention_curve (SPEC sections 3 and 5) from three Spark aggregates of episode_outcomes:
 * totals per (stratum, stratum_value), counts per (stratum, stratum_value, day of retention time) for the length of
 * stay, and counts per (stratum, stratum_value, day of discharge, how the episode ended) for retention. Only those
 * aggregates reach the driver: their size grows with the number of strata values and distinct days, not with
 * episodes. The statistics come from the stats package; small cells are hidden before anything is published.
 *
 * <p>Retention is a competing-risks question (SPEC section 3, revised 2026-12): from admission, an episode ends by
 * dropout, by completion or by another discharge, on its discharge date, or is still open at the data cut
 * (censored). The published figures are the Aalen-Johansen probability of still being in care (no discharge yet:
 * "still in treatment") and the cumulative incidence of each way out. Kaplan-Meier of no dropout with completers
 * censored, the figure published before, treated completers as if they would go on to drop out like the others.
 */
public final class RetentionTables {
    public static final String OVERALL = "overall";
    /** Value of a stratum column that is empty for an episode. */
    public static final String NOT_RECORDED = "not_recorded";
    /** Status codes of the ways an episode ends on the discharge clock (0 = still open at the data cut). */
    public static final int STATE_DROPOUT = 1;
    public static final int STATE_COMPLETED = 2;
    public static final int STATE_OTHER_DISCHARGE = 3;
    private static final int[] STATES = {STATE_DROPOUT, STATE_COMPLETED, STATE_OTHER_DISCHARGE};
    /**
     * The kinds of exit the publication grid keeps apart: the still open, dropouts, and every other way out
     * together. Completion and other discharges apart (each its own kind) only hold where {@link #SPLIT_KINDS} is
     * safe; keeping them apart in the grid itself would leave no day between 0 and 90 for a program of a hundred
     * (7 completions and 13 other discharges by day 30 on the sample data).
     */
    private static final int[] GRID_KINDS = {0, 1, 2, 2};
    private static final int[] SPLIT_KINDS = {0, 1, 2, 3};

    /** The Aalen-Johansen estimates with their intervals, as retention_summary and retention_curve name them. */
    public static final List<String> ESTIMATE_COLUMNS = List.of("in_care", "in_care_lower", "in_care_upper",
            "dropout_incidence", "dropout_incidence_lower", "dropout_incidence_upper", "completion_incidence",
            "completion_incidence_lower", "completion_incidence_upper", "other_discharge_incidence",
            "other_discharge_incidence_lower", "other_discharge_incidence_upper");
    /** Step-down figures (declared before {@link #DISCLOSURE_SPEC}, which is built from them). */
    private static final List<String> IOP_AFTER_HIGHER_LEVEL_SHARE = List.of("iop_after_higher_level_share",
            "iop_after_higher_level_share_lower", "iop_after_higher_level_share_upper");
    private static final List<String> STEP_DOWN_CONTINUITY_RATE = List.of("step_down_continuity_rate",
            "step_down_continuity_rate_lower", "step_down_continuity_rate_upper");

    public static final List<String> BUILT_IN_STRATA = List.of("program_id", "admission_month", "level_of_care",
            "primary_substance", "age_band", "sex");

    /** retention_summary's columns before the estimates. */
    private static final StructType SUMMARY_COUNTS = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("stratum_value", DataTypes.StringType, false)
            .add("horizon_days", DataTypes.IntegerType, false)
            .add("episodes", DataTypes.LongType, true)
            .add("discharged", DataTypes.LongType, true)
            .add("completed", DataTypes.LongType, true)
            .add("completion_rate", DataTypes.DoubleType, true)
            .add("completion_rate_lower", DataTypes.DoubleType, true)
            .add("completion_rate_upper", DataTypes.DoubleType, true)
            .add("dropouts", DataTypes.LongType, true)
            .add("n_at_risk", DataTypes.LongType, true);

    public static final StructType SUMMARY_SCHEMA = withEstimates(SUMMARY_COUNTS)
            .add("median_length_of_stay_days", DataTypes.DoubleType, true)
            .add("median_length_of_stay_lower", DataTypes.DoubleType, true)
            .add("median_length_of_stay_upper", DataTypes.DoubleType, true)
            .add("attendance_rate", DataTypes.DoubleType, true)
            .add("intensity_share", DataTypes.DoubleType, true)
            .add("initiated", DataTypes.LongType, true)
            .add("initiation_rate", DataTypes.DoubleType, true)
            .add("initiation_rate_lower", DataTypes.DoubleType, true)
            .add("initiation_rate_upper", DataTypes.DoubleType, true)
            .add("engaged", DataTypes.LongType, true)
            .add("engagement_rate", DataTypes.DoubleType, true)
            .add("engagement_rate_lower", DataTypes.DoubleType, true)
            .add("engagement_rate_upper", DataTypes.DoubleType, true)
            .add("iop_episodes", DataTypes.LongType, true)
            .add("iop_after_higher_level", DataTypes.LongType, true)
            .add("iop_after_higher_level_share", DataTypes.DoubleType, true)
            .add("iop_after_higher_level_share_lower", DataTypes.DoubleType, true)
            .add("iop_after_higher_level_share_upper", DataTypes.DoubleType, true)
            .add("higher_level_discharges", DataTypes.LongType, true)
            .add("followed_by_lower_level", DataTypes.LongType, true)
            .add("step_down_continuity_rate", DataTypes.DoubleType, true)
            .add("step_down_continuity_rate_lower", DataTypes.DoubleType, true)
            .add("step_down_continuity_rate_upper", DataTypes.DoubleType, true)
            .add("suppressed", DataTypes.BooleanType, false);

    /** retention_curve's columns before the estimates. */
    private static final StructType CURVE_KEYS = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("stratum_value", DataTypes.StringType, false)
            .add("day", DataTypes.IntegerType, false)
            .add("n_at_risk", DataTypes.LongType, true);

    public static final StructType CURVE_SCHEMA = withEstimates(CURVE_KEYS)
            .add("suppressed", DataTypes.BooleanType, false);

    /** The schema with {@link #ESTIMATE_COLUMNS} added, all nullable doubles, in their order. */
    private static StructType withEstimates(StructType schema) {
        for (String column : ESTIMATE_COLUMNS) {
            schema = schema.add(column, DataTypes.DoubleType, true);
        }
        return schema;
    }

    private RetentionTables() {}

    /** The published tables of one run. */
    public record Published(Dataset<Row> summary, Dataset<Row> curve) {}

    /** overall, the built-in strata, then the extra columns (each once, in that order). */
    public static List<String> strata(List<String> extra) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add(OVERALL);
        all.addAll(BUILT_IN_STRATA);
        all.addAll(extra);
        return List.copyOf(all);
    }

    /** One row per episode and stratum: the episode's measures with the stratum name and its value. */
    static Dataset<Row> stratified(Dataset<Row> outcomes, List<String> strata) {
        Dataset<Row> union = null;
        for (String stratum : strata) {
            Column value = stratum.equals(OVERALL) ? lit(OVERALL)
                    : coalesce(col(TableReader.quote(stratum)).cast("string"), lit(NOT_RECORDED));
            Dataset<Row> part = outcomes.select(lit(stratum).as("stratum"), value.as("stratum_value"),
                    col("retention_time_days"), col("days_in_care"), col("dropout"), col("discharged"),
                    col("completed"),
                    col("initiated"), col("engaged"), col("sessions_attended"), col("sessions_no_show"),
                    col("intensive_weeks"), col("complete_weeks"),
                    col("level_of_care").equalTo("iop").as("_iop"),
                    col("level_of_care").equalTo("iop").and(col("stepped_down_from").isNotNull())
                            .as("_iop_after_higher_level"),
                    col("followed_by_lower_level").isNotNull().as("_higher_level_discharge"),
                    coalesce(col("followed_by_lower_level"), lit(false)).as("_followed_by_lower_level"));
            union = union == null ? part : union.unionAll(part);
        }
        return union;
    }

    private static Column countTrue(String column) {
        return sum(when(col(column), 1L).otherwise(0L));
    }

    /**
     * Per (stratum, stratum_value, day of retention time): episodes, dropouts (the retention event), discharges
     * (the length-of-stay event) and the censored of each. The restricted table retention_counts.
     */
    public static Dataset<Row> dayCounts(Dataset<Row> outcomes, List<String> strata) {
        return stratified(outcomes, strata)
                .groupBy(col("stratum"), col("stratum_value"), col("retention_time_days").as("day"))
                .agg(count(lit(1)).as("episodes"), countTrue("dropout").as("dropouts"),
                        countTrue("discharged").as("discharges"))
                .withColumn("censored_for_retention", col("episodes").minus(col("dropouts")))
                .withColumn("censored_for_length_of_stay", col("episodes").minus(col("discharges")))
                .orderBy("stratum", "stratum_value", "day");
    }

    /**
     * Per (stratum, stratum_value, day from admission to discharge, or to the data cut for an open episode): the
     * episodes ending that day by dropout, by completion, by another discharge, and those still open (censored). The
     * restricted table discharge_counts, from which retention (Aalen-Johansen) is computed.
     */
    public static Dataset<Row> dischargeCounts(Dataset<Row> outcomes, List<String> strata) {
        Column other = col("discharged").and(not(col("dropout"))).and(not(col("completed")));
        return stratified(outcomes, strata)
                .groupBy(col("stratum"), col("stratum_value"), col("days_in_care").as("day"))
                .agg(count(lit(1)).as("episodes"), countTrue("dropout").as("dropouts"),
                        countTrue("completed").as("completions"),
                        sum(when(other, 1L).otherwise(0L)).as("other_discharges"),
                        sum(when(col("discharged"), 0L).otherwise(1L)).as("censored"))
                .orderBy("stratum", "stratum_value", "day");
    }

    /** Per (stratum, stratum_value): the counts the summary's proportions and pooled rates are built from. */
    public static Dataset<Row> stratumTotals(Dataset<Row> outcomes, List<String> strata) {
        return stratified(outcomes, strata).groupBy(col("stratum"), col("stratum_value")).agg(
                count(lit(1)).as("episodes"), countTrue("discharged").as("discharged"),
                countTrue("completed").as("completed"), countTrue("dropout").as("dropouts"),
                countTrue("initiated").as("initiated"), countTrue("engaged").as("engaged"),
                countTrue("_iop").as("iop_episodes"), countTrue("_iop_after_higher_level").as("iop_after_higher_level"),
                countTrue("_higher_level_discharge").as("higher_level_discharges"),
                countTrue("_followed_by_lower_level").as("followed_by_lower_level"),
                sum(col("sessions_attended").cast("long")).as("sessions_attended"),
                sum(col("sessions_no_show").cast("long")).as("sessions_no_show"),
                sum(col("intensive_weeks").cast("long")).as("intensive_weeks"),
                sum(col("complete_weeks").cast("long")).as("complete_weeks"));
    }

    /** Both published tables from episode_outcomes, collecting only the three aggregates. */
    public static Published build(SparkSession spark, Dataset<Row> outcomes, List<String> extraStrata,
                                  RetentionSettings settings, int suppressionThreshold) {
        List<String> strata = strata(extraStrata);
        return publish(spark, stratumTotals(outcomes, strata).collectAsList(),
                dayCounts(outcomes, strata).collectAsList(), dischargeCounts(outcomes, strata).collectAsList(),
                strata, settings, suppressionThreshold);
    }

    /** One stratum value: its totals, its retention (Aalen-Johansen) and length-of-stay fits and what was hidden. */
    private static final class Cell {
        final String stratum;
        final String value;
        final long episodes;
        final long discharged;
        final long completed;
        final long dropouts;
        final long initiated;
        final long engaged;
        final long iopEpisodes;
        final long iopAfterHigherLevel;
        final long higherLevelDischarges;
        final long followedByLowerLevel;
        final long sessionsAttended;
        final long sessionsNoShow;
        final long intensiveWeeks;
        final long completeWeeks;
        /** Length-of-stay clock: discharges (the event) by day of the last attended session. */
        final List<TimeCounts> dischargeCounts = new ArrayList<>();
        /** Discharge clock: episodes ending per (day, {@link #STATES} or 0 for still open). */
        final List<StatusCount> endings = new ArrayList<>();
        /** Aalen-Johansen of the ways out of care on the counts pooled to the stratum's publication grid. */
        AalenJohansen retention;
        /**
         * The estimates: the same fit, or for a stratum other than overall the fit of its pooled counts spread over
         * the overall's finer grid ({@link CurveGrid.Grid#spread}).
         */
        AalenJohansen retentionEstimate;
        CurveGrid.Grid grid;
        /**
         * The last published day through which completion and other discharges may be shown apart (null: none);
         * with a threshold of 1, every day.
         */
        Integer splitThrough;
        KaplanMeier lengthOfStay;
        boolean episodesHidden;
        boolean dischargedHidden;

        /**
         * The fit at a day: the numbers at risk and of endings of the pooled counts, the estimates, standard errors
         * and intervals of {@link #retentionEstimate}.
         */
        AalenJohansenRow at(int day) {
            AalenJohansenRow counted = retention.at(day).get(0);
            if (retentionEstimate == retention) {
                return counted;
            }
            AalenJohansenRow estimated = retentionEstimate.at(day).get(0);
            List<StateEstimate> states = new ArrayList<>(counted.states().size());
            for (int k = 0; k < counted.states().size(); k++) {
                StateEstimate n = counted.state(k);
                StateEstimate e = estimated.state(k);
                states.add(new StateEstimate(n.nRisk(), n.nEvent(), e.estimate(), e.stdErr(), e.log(), e.logLog(),
                        e.plain()));
            }
            return new AalenJohansenRow(counted.time(), counted.nCensor(), states);
        }
        boolean completedHidden;
        boolean dropoutsHidden;
        boolean initiatedHidden;
        boolean engagedHidden;
        boolean iopEpisodesHidden;
        boolean iopAfterHigherLevelHidden;
        boolean higherLevelDischargesHidden;
        boolean followedByLowerLevelHidden;

        Cell(Row totals) {
            stratum = totals.getAs("stratum");
            value = totals.getAs("stratum_value");
            episodes = totals.getAs("episodes");
            discharged = totals.getAs("discharged");
            completed = totals.getAs("completed");
            dropouts = totals.getAs("dropouts");
            initiated = totals.getAs("initiated");
            engaged = totals.getAs("engaged");
            iopEpisodes = totals.getAs("iop_episodes");
            iopAfterHigherLevel = totals.getAs("iop_after_higher_level");
            higherLevelDischarges = totals.getAs("higher_level_discharges");
            followedByLowerLevel = totals.getAs("followed_by_lower_level");
            sessionsAttended = totals.getAs("sessions_attended");
            sessionsNoShow = totals.getAs("sessions_no_show");
            intensiveWeeks = totals.getAs("intensive_weeks");
            completeWeeks = totals.getAs("complete_weeks");
        }

        boolean anyHidden() {
            return episodesHidden || dischargedHidden || completedHidden || dropoutsHidden || initiatedHidden
                    || engagedHidden || iopEpisodesHidden || iopAfterHigherLevelHidden || higherLevelDischargesHidden
                    || followedByLowerLevelHidden;
        }
    }

    /** A horizon row of one cell, with its own at-risk count (a count of people, suppressed like the others). */
    private record HorizonCell(Cell cell, int horizon, AalenJohansenRow at) {}


    /** The stratum values in a fixed order, each with its totals and per-day counts. */
    private static List<Cell> cells(List<Row> totals, List<Row> dayCounts, List<Row> dischargeCounts,
                                    List<String> strata) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        List<Cell> ordered = new ArrayList<>();
        for (Row row : totals) {
            ordered.add(new Cell(row));
        }
        // strata in their declared order, values in text order: the same rows in the same order on every run
        ordered.sort(Comparator.<Cell>comparingInt(c -> strata.indexOf(c.stratum)).thenComparing(c -> c.value));
        for (Cell cell : ordered) {
            cells.put(cell.stratum + "\u0000" + cell.value, cell);
        }
        for (Row row : dayCounts) {
            Cell cell = cells.get(row.<String>getAs("stratum") + "\u0000" + row.<String>getAs("stratum_value"));
            double day = ((Number) row.getAs("day")).doubleValue();
            long episodes = row.getAs("episodes");
            long discharges = row.getAs("discharges");
            cell.dischargeCounts.add(new TimeCounts(day, discharges, episodes - discharges));
        }
        for (Row row : dischargeCounts) {
            Cell cell = cells.get(row.<String>getAs("stratum") + "\u0000" + row.<String>getAs("stratum_value"));
            double day = ((Number) row.getAs("day")).doubleValue();
            String[] columns = {"censored", "dropouts", "completions", "other_discharges"};
            for (int status = 0; status < columns.length; status++) {
                long n = row.getAs(columns[status]);
                if (n > 0) {
                    cell.endings.add(new StatusCount(day, status, n));
                }
            }
        }
        for (Cell cell : ordered) {
            cell.lengthOfStay = KaplanMeier.fit(cell.dischargeCounts);
        }
        return ordered;
    }

    /** Not published: set on a horizon row whose horizon is off its stratum's grid or past its curve's end. */
    public static final String OFF_GRID = "off_grid";

    /**
     * For the disclosure layer ({@link #DISCLOSURE_SPEC}): retention_summary with every count as it is, the
     * estimates on the threshold's curve grids, and {@link #OFF_GRID}; and the published retention_curve (a stratum
     * value with a small episode count has no curve of its own: it is pooled into its stratum's grid).
     */
    public static Published forDisclosure(SparkSession spark, List<Row> totals, List<Row> dayCounts,
                                          List<Row> dischargeCounts, List<String> strata,
                                          RetentionSettings settings, int threshold) {
        SmallCellSuppression suppression = new SmallCellSuppression(threshold);
        List<Cell> ordered = cells(totals, dayCounts, dischargeCounts, strata);
        Map<String, List<Cell>> byStratum = new LinkedHashMap<>();
        for (Cell cell : ordered) {
            byStratum.computeIfAbsent(cell.stratum, k -> new ArrayList<>()).add(cell);
        }
        for (List<Cell> values : byStratum.values()) {
            boolean[] notShown = CurveGrid.notShown(values.stream().mapToLong(c -> c.episodes).toArray(), threshold);
            for (int i = 0; i < values.size(); i++) {
                values.get(i).episodesHidden = notShown[i] && !values.get(i).stratum.equals(OVERALL);
            }
        }
        poolToGrids(ordered, settings, threshold);
        List<Row> curveRows = curveRows(ordered, suppression);
        List<Row> summaryRows = new ArrayList<>();
        for (Cell cell : ordered) {
            boolean curveShown = !cell.episodesHidden;
            cell.episodesHidden = false;
            for (int horizon : settings.horizonsDays()) {
                AalenJohansenRow at = cell.at(horizon);
                boolean onCurve = curveShown && cell.grid.isPublished(horizon) && at.nRisk() >= threshold;
                Row row = summaryRow(new HorizonCell(cell, horizon, at), false, new SmallCellSuppression(1));
                Object[] values = new Object[row.size() + 1];
                for (int f = 0; f < row.size(); f++) {
                    values[f] = row.get(f);
                }
                values[row.size()] = !onCurve;
                summaryRows.add(RowFactory.create(values));
            }
        }
        return new Published(spark.createDataFrame(summaryRows, SUMMARY_SCHEMA.add(OFF_GRID, DataTypes.BooleanType,
                false)).drop("suppressed"), spark.createDataFrame(curveRows, CURVE_SCHEMA));
    }

    /**
     * What retention_summary declares to the disclosure layer: the stratum values add up to the overall row; a
     * stratum value's counts repeat on its horizon rows; inside a row, the episodes are the discharged and those
     * still in care, the discharged are the completers, the dropouts and the other discharges, the episodes are the
     * initiated and the others, the engaged and the others, and those at risk at the horizon and those gone before
     * it. Rates and intervals are hidden with the counts they are computed from; the retention estimate with the
     * number at risk, and off its stratum's grid.
     */
    public static final PublishedSuppression.Spec DISCLOSURE_SPEC = disclosureSpec();


    private static PublishedSuppression.Spec disclosureSpec() {
        List<String> completion = List.of("completion_rate", "completion_rate_lower", "completion_rate_upper");
        List<String> discharged = new ArrayList<>(completion);
        discharged.addAll(List.of("median_length_of_stay_days", "median_length_of_stay_lower",
                "median_length_of_stay_upper"));
        List<PublishedSuppression.ColumnGroup> groups = List.of(
                new PublishedSuppression.ColumnGroup(List.of("episodes"), List.of("attendance_rate", "intensity_share")),
                new PublishedSuppression.ColumnGroup(List.of("discharged"), discharged),
                new PublishedSuppression.ColumnGroup(List.of("completed"), completion),
                new PublishedSuppression.ColumnGroup(List.of("dropouts"), List.of()),
                new PublishedSuppression.ColumnGroup(List.of("n_at_risk"), ESTIMATE_COLUMNS, OFF_GRID),
                new PublishedSuppression.ColumnGroup(List.of("initiated"),
                        List.of("initiation_rate", "initiation_rate_lower", "initiation_rate_upper")),
                new PublishedSuppression.ColumnGroup(List.of("engaged"),
                        List.of("engagement_rate", "engagement_rate_lower", "engagement_rate_upper")),
                new PublishedSuppression.ColumnGroup(List.of("iop_episodes"), IOP_AFTER_HIGHER_LEVEL_SHARE),
                new PublishedSuppression.ColumnGroup(List.of("iop_after_higher_level"), IOP_AFTER_HIGHER_LEVEL_SHARE),
                new PublishedSuppression.ColumnGroup(List.of("higher_level_discharges"), STEP_DOWN_CONTINUITY_RATE),
                new PublishedSuppression.ColumnGroup(List.of("followed_by_lower_level"), STEP_DOWN_CONTINUITY_RATE));
        Map<String, List<String>> same = new LinkedHashMap<>();
        for (String c : List.of("episodes", "discharged", "completed", "dropouts", "initiated", "engaged",
                "iop_episodes", "iop_after_higher_level", "higher_level_discharges", "followed_by_lower_level")) {
            same.put(c, List.of("horizon_days"));
        }
        return new PublishedSuppression.Spec("retention_summary", List.of("stratum", "stratum_value", "horizon_days"),
                List.of(new PublishedSuppression.Axis(List.of("stratum_value"), List.of("stratum"))), groups, List.of(),
                List.of(PublishedSuppression.RowRelation.withRest("episodes", "in_care", "discharged"),
                        PublishedSuppression.RowRelation.withRest("discharged", "other_discharges", "completed",
                                "dropouts"),
                        PublishedSuppression.RowRelation.withRest("episodes", "not_initiated", "initiated"),
                        PublishedSuppression.RowRelation.withRest("episodes", "not_engaged", "engaged"),
                        PublishedSuppression.RowRelation.withRest("episodes", "gone_by_horizon", "n_at_risk"),
                        // IOP episodes and discharges from a higher level are disjoint sets of the row's episodes
                        PublishedSuppression.RowRelation.withRest("episodes", "other_episodes", "iop_episodes",
                                "higher_level_discharges"),
                        PublishedSuppression.RowRelation.withRest("iop_episodes", "iop_not_after_higher_level",
                                "iop_after_higher_level"),
                        PublishedSuppression.RowRelation.withRest("higher_level_discharges", "not_followed_by_lower_level",
                                "followed_by_lower_level")),
                List.of(), same);
    }

    public static Published publish(SparkSession spark, List<Row> totals, List<Row> dayCounts,
                                    List<Row> dischargeCounts, List<String> strata, RetentionSettings settings,
                                    int suppressionThreshold) {
        SmallCellSuppression suppression = new SmallCellSuppression(suppressionThreshold);
        List<Cell> ordered = cells(totals, dayCounts, dischargeCounts, strata);
        // Each count column is a cell of its stratum: primary and complementary suppression per column.
        boolean[] episodesHidden = suppression.hide(ordered, c -> c.stratum, c -> c.episodes, c -> false);
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).episodesHidden = episodesHidden[i];
        }
        boolean[] discharged = suppression.hide(ordered, c -> c.stratum, c -> c.discharged, c -> c.episodesHidden);
        boolean[] completed = suppression.hide(ordered, c -> c.stratum, c -> c.completed, c -> c.episodesHidden);
        boolean[] dropouts = suppression.hide(ordered, c -> c.stratum, c -> c.dropouts, c -> c.episodesHidden);
        boolean[] initiated = suppression.hide(ordered, c -> c.stratum, c -> c.initiated, c -> c.episodesHidden);
        boolean[] engaged = suppression.hide(ordered, c -> c.stratum, c -> c.engaged, c -> c.episodesHidden);
        boolean[] iop = suppression.hide(ordered, c -> c.stratum, c -> c.iopEpisodes, c -> c.episodesHidden);
        boolean[] iopAfter = suppression.hide(ordered, c -> c.stratum, c -> c.iopAfterHigherLevel,
                c -> c.episodesHidden);
        boolean[] higher = suppression.hide(ordered, c -> c.stratum, c -> c.higherLevelDischarges,
                c -> c.episodesHidden);
        boolean[] followed = suppression.hide(ordered, c -> c.stratum, c -> c.followedByLowerLevel,
                c -> c.episodesHidden);
        for (int i = 0; i < ordered.size(); i++) {
            Cell cell = ordered.get(i);
            cell.dischargedHidden = discharged[i];
            cell.completedHidden = completed[i];
            cell.dropoutsHidden = dropouts[i];
            cell.initiatedHidden = initiated[i];
            cell.engagedHidden = engaged[i];
            cell.iopEpisodesHidden = iop[i];
            cell.iopAfterHigherLevelHidden = iopAfter[i];
            cell.higherLevelDischargesHidden = higher[i];
            cell.followedByLowerLevelHidden = followed[i];
        }

        poolToGrids(ordered, settings, suppression.threshold());

        List<HorizonCell> horizonCells = new ArrayList<>();
        for (int horizon : settings.horizonsDays()) {
            for (Cell cell : ordered) {
                horizonCells.add(new HorizonCell(cell, horizon, cell.at(horizon)));
            }
        }
        // A horizon off the stratum's grid would split an interval: hidden there for every value of the stratum.
        boolean[] atRiskHidden = suppression.hide(horizonCells, h -> h.cell.stratum + "\u0000" + h.horizon,
                h -> h.at.nRisk(), h -> h.cell.episodesHidden || !h.cell.grid.isPublished(h.horizon));
        List<Row> summaryRows = new ArrayList<>();
        for (Cell cell : ordered) {
            for (int k = 0; k < settings.horizonsDays().size(); k++) {
                int index = k * ordered.size() + ordered.indexOf(cell);
                summaryRows.add(summaryRow(horizonCells.get(index), atRiskHidden[index], suppression));
            }
        }

        List<Row> curveRows = curveRows(ordered, suppression);
        return new Published(spark.createDataFrame(summaryRows, SUMMARY_SCHEMA),
                spark.createDataFrame(curveRows, CURVE_SCHEMA));
    }

    /**
     * Puts each cell's endings (discharge clock) on its stratum's publication grid ({@link CurveGrid}): the overall's
     * from the weekly lattice and the horizons, each other stratum's from the overall's published days, with the
     * stratum values whose episode count is hidden pooled into one more curve of that stratum. Every interval holds
     * none or at least the threshold of dropouts, of completions, of other discharges and of the still open.
     */
    private static void poolToGrids(List<Cell> ordered, RetentionSettings settings, int threshold) {
        CurveGrid curveGrid = new CurveGrid(threshold);
        Map<String, List<Cell>> byStratum = new LinkedHashMap<>();
        for (Cell cell : ordered) {
            byStratum.computeIfAbsent(cell.stratum, s -> new ArrayList<>()).add(cell);
        }
        TreeSet<Integer> lattice = new TreeSet<>(settings.horizonsDays());
        int lastDay = ordered.stream().flatMap(c -> c.endings.stream()).mapToInt(t -> (int) t.time()).max()
                .orElse(0);
        for (int day = 0; day <= lastDay; day += settings.curveStepDays()) {
            lattice.add(day);
        }
        List<Integer> overallDays = List.of();
        Cell overallCell = null;
        for (Map.Entry<String, List<Cell>> stratum : byStratum.entrySet()) {
            List<List<StatusCount>> curves = new ArrayList<>();
            List<StatusCount> notShown = new ArrayList<>();
            for (Cell cell : stratum.getValue()) {
                if (cell.episodesHidden) {
                    notShown.addAll(cell.endings);
                } else {
                    curves.add(cell.endings);
                }
            }
            curves.add(notShown);
            boolean overall = stratum.getKey().equals(OVERALL);
            CurveGrid.Grid grid = curveGrid.buildStates(curves, GRID_KINDS,
                    overall ? lattice : new TreeSet<>(overallDays), Set.copyOf(settings.horizonsDays()),
                    headlineHorizon(settings.horizonsDays()));
            Integer splitThrough = curveGrid.safeThrough(curves, SPLIT_KINDS, grid);
            if (overall) {
                overallDays = grid.published();
            }
            for (Cell cell : stratum.getValue()) {
                cell.grid = grid;
                cell.splitThrough = splitThrough;
                cell.retention = AalenJohansen.fit(grid.coarsenStates(cell.endings), STATES, Normal.Z95);
                if (overall) {
                    overallCell = cell;
                }
                cell.retentionEstimate = estimateOnGrid(cell.endings, grid, overall || overallCell == null ? null
                        : overallCell.grid, overallCell == null ? null : overallCell.endings);
            }
        }
    }

    /**
     * The estimates of one stratum value on its grid: a life table over the finest grid the counts are on (the
     * overall's, spread by its pooled counts, or the value's own; {@link CurveGrid.Grid#spread}). The censored of the
     * grid's last interval, which may be 1 to threshold-1 (the grid lets the episodes still open there be few), are
     * at risk for all of its events and not spread ({@link CurveGrid.Grid#censoredAtRiskSparingTheLast}): otherwise
     * the estimates at its end with the number at risk there gave them back.
     *
     * @param overallGrid    the overall's grid (null: the value is the overall, or there is none)
     * @param overallEndings its endings
     */
    static AalenJohansen estimateOnGrid(List<StatusCount> endings, CurveGrid.Grid grid, CurveGrid.Grid overallGrid,
                                        List<StatusCount> overallEndings) {
        CurveGrid.Grid finest = overallGrid == null || overallEndings == null ? grid : overallGrid;
        // completions and other discharges spread alike: the grid keeps only their sum safe
        return AalenJohansen.fitWeighted(grid.spread(endings, finest == grid ? null : finest, overallEndings, true,
                GRID_KINDS), STATES, Normal.Z95, grid.censoredAtRiskSparingTheLast(finest));
    }

    private static Row summaryRow(HorizonCell h, boolean atRiskHidden, SmallCellSuppression suppression) {
        Cell c = h.cell;
        boolean all = c.episodesHidden;
        boolean completionHidden = all || c.dischargedHidden || c.completedHidden;
        // Retention at H is built on the episodes still in care at H and on the endings of each kind by H: hidden
        // when the number at risk is, when a way out's count by H is small (the grid makes it none or at least the
        // threshold where it is published), and a way out's incidence with that way's total.
        long[] endedBy = endedBy(c, h.horizon);
        boolean retentionHidden = all || atRiskHidden || c.dischargedHidden
                || suppression.isSmall(endedBy[STATE_DROPOUT])
                || suppression.isSmall(endedBy[STATE_COMPLETED] + endedBy[STATE_OTHER_DISCHARGE])
                || suppression.isSmall(endedBy[0]);
        boolean retentionNotEstimable = h.at.nRisk() == 0;
        boolean medianHidden = all || c.dischargedHidden;
        Double completionRate = null;
        Interval completionCi = null;
        if (!completionHidden && c.discharged > 0) {
            completionRate = (double) c.completed / c.discharged;
            completionCi = wilson(c.completed, c.discharged);
        }
        MedianSurvival median = c.lengthOfStay.median(ConfType.LOG);
        boolean showRetention = !retentionHidden && !retentionNotEstimable;
        boolean showDropout = showRetention && !c.dropoutsHidden;
        boolean split = c.splitThrough != null && h.horizon <= c.splitThrough;
        boolean showCompletion = showRetention && split && !completionHidden;
        boolean showOther = showRetention && split && !c.dropoutsHidden && !completionHidden;
        Interval initiationCi = c.episodes > 0 ? wilson(c.initiated, c.episodes) : null;
        Interval engagementCi = c.episodes > 0 ? wilson(c.engaged, c.episodes) : null;
        boolean initiationHidden = all || c.initiatedHidden;
        boolean engagementHidden = all || c.engagedHidden;
        boolean iopShareHidden = all || c.iopEpisodesHidden || c.iopAfterHigherLevelHidden;
        boolean continuityHidden = all || c.higherLevelDischargesHidden || c.followedByLowerLevelHidden;
        long attendedOrNoShow = c.sessionsAttended + c.sessionsNoShow;
        boolean suppressed = c.anyHidden() || atRiskHidden || retentionHidden;
        List<Object> estimates = new ArrayList<>();
        estimates.addAll(estimate(h.at.initial(), showRetention));
        estimates.addAll(estimate(h.at.state(1), showDropout));
        estimates.addAll(estimate(h.at.state(2), showCompletion));
        estimates.addAll(estimate(h.at.state(3), showOther));
        return RowFactory.create(c.stratum, c.value, h.horizon,
                all ? null : c.episodes,
                all || c.dischargedHidden ? null : c.discharged,
                completionHidden ? null : c.completed,
                completionRate, completionCi == null ? null : completionCi.lower(),
                completionCi == null ? null : completionCi.upper(),
                all || c.dropoutsHidden ? null : c.dropouts,
                all || atRiskHidden ? null : h.at.nRisk(),
                estimates.get(0), estimates.get(1), estimates.get(2), estimates.get(3), estimates.get(4),
                estimates.get(5), estimates.get(6), estimates.get(7), estimates.get(8), estimates.get(9),
                estimates.get(10), estimates.get(11),
                medianHidden ? null : orNull(median.median()),
                medianHidden ? null : orNull(median.ci().lower()),
                medianHidden ? null : orNull(median.ci().upper()),
                all || attendedOrNoShow == 0 ? null : (double) c.sessionsAttended / attendedOrNoShow,
                all || c.completeWeeks == 0 ? null : (double) c.intensiveWeeks / c.completeWeeks,
                initiationHidden ? null : c.initiated,
                initiationHidden || c.episodes == 0 ? null : (double) c.initiated / c.episodes,
                initiationHidden || initiationCi == null ? null : initiationCi.lower(),
                initiationHidden || initiationCi == null ? null : initiationCi.upper(),
                engagementHidden ? null : c.engaged,
                engagementHidden || c.episodes == 0 ? null : (double) c.engaged / c.episodes,
                engagementHidden || engagementCi == null ? null : engagementCi.lower(),
                engagementHidden || engagementCi == null ? null : engagementCi.upper(),
                all || c.iopEpisodesHidden ? null : c.iopEpisodes,
                all || c.iopAfterHigherLevelHidden ? null : c.iopAfterHigherLevel,
                shareOrNull(c.iopAfterHigherLevel, c.iopEpisodes, iopShareHidden, 0),
                shareOrNull(c.iopAfterHigherLevel, c.iopEpisodes, iopShareHidden, 1),
                shareOrNull(c.iopAfterHigherLevel, c.iopEpisodes, iopShareHidden, 2),
                all || c.higherLevelDischargesHidden ? null : c.higherLevelDischarges,
                all || c.followedByLowerLevelHidden ? null : c.followedByLowerLevel,
                shareOrNull(c.followedByLowerLevel, c.higherLevelDischarges, continuityHidden, 0),
                shareOrNull(c.followedByLowerLevel, c.higherLevelDischarges, continuityHidden, 1),
                shareOrNull(c.followedByLowerLevel, c.higherLevelDischarges, continuityHidden, 2),
                suppressed);
    }

    /**
     * Each shown stratum value at its stratum's published days ({@link CurveGrid}), while at least the threshold
     * are at risk. A value whose episode count is hidden gets no curve (its day-0 number at risk is that count).
     */
    private static List<Row> curveRows(List<Cell> ordered, SmallCellSuppression suppression) {
        List<Row> rows = new ArrayList<>();
        for (Cell cell : ordered) {
            if (cell.episodesHidden) {
                continue;
            }
            for (int day : cell.grid.published()) {
                AalenJohansenRow at = cell.at(day);
                if (at.nRisk() < suppression.threshold()) {
                    break;
                }
                // a total hidden: the estimates built on it are too (the curve could run to it)
                boolean completionHidden = cell.dischargedHidden || cell.completedHidden || cell.splitThrough == null
                        || day > cell.splitThrough;
                boolean inCareShown = !cell.dischargedHidden;
                List<Object> values = new ArrayList<>(List.of(cell.stratum, cell.value, day, at.nRisk()));
                values.addAll(estimate(at.initial(), inCareShown));
                values.addAll(estimate(at.state(1), inCareShown && !cell.dropoutsHidden));
                values.addAll(estimate(at.state(2), inCareShown && !completionHidden));
                values.addAll(estimate(at.state(3), inCareShown && !cell.dropoutsHidden && !completionHidden));
                values.add(!inCareShown || cell.dropoutsHidden || completionHidden);
                rows.add(RowFactory.create(values.toArray()));
            }
        }
        return rows;
    }

    /**
     * Estimate, lower and upper (R's default log interval of a multi-state curve), or three empty cells. Before the
     * first transition (standard error 0) the interval is the estimate itself: R's summary prints lower = upper = 0
     * there, which under an estimate of 1 would read as a misprint.
     */
    private static List<Object> estimate(StateEstimate state, boolean shown) {
        if (!shown) {
            return java.util.Arrays.asList(null, null, null);
        }
        if (state.stdErr() == 0) {
            return java.util.Arrays.asList(state.estimate(), state.estimate(), state.estimate());
        }
        Interval ci = state.log();
        return java.util.Arrays.asList(state.estimate(), orNull(ci.lower()), orNull(ci.upper()));
    }

    /** Endings by day H (daily counts, as they are before pooling), per status: 0 still open, then the states. */
    private static long[] endedBy(Cell cell, int horizon) {
        long[] by = new long[STATES.length + 1];
        for (StatusCount c : cell.endings) {
            if (c.time() <= horizon) {
                by[c.status()] += c.count();
            }
        }
        return by;
    }

    /** x / n (part 0), or the lower (1) or upper (2) limit of its Wilson 95% CI; empty when hidden or n = 0. */
    private static Double shareOrNull(long x, long n, boolean hidden, int part) {
        if (hidden || n == 0) {
            return null;
        }
        if (part == 0) {
            return (double) x / n;
        }
        Interval ci = wilson(x, n);
        return part == 1 ? ci.lower() : ci.upper();
    }

    private static Interval wilson(long x, long n) {
        return BinomialOneSample.test(x, n, 0.5).wilson();
    }

    /** R's NA and NaN (a curve that never reaches 0.5, an undefined interval) are empty cells. */
    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    /** The horizon report.html leads with (report.Summary#headlineRetentionHorizon): 90 days, else the longest. */
    static int headlineHorizon(List<Integer> horizons) {
        return horizons.contains(90) ? 90 : horizons.stream().mapToInt(Integer::intValue).max().orElse(90);
    }
}
