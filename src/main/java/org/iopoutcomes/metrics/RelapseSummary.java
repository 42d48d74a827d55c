package org.iopoutcomes.metrics;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.TableReader;
import org.iopoutcomes.publish.PublishedPrecision;
import org.iopoutcomes.relapse.LatticeOutcomes;
import org.iopoutcomes.relapse.PostTreatmentRelapse;
import org.iopoutcomes.relapse.RelapseDefinition;
import org.iopoutcomes.relapse.WeeklyLattice;
import org.iopoutcomes.publish.CurveGrid;
import org.iopoutcomes.spark.KeptDataset;
import org.iopoutcomes.stats.BandTest;
import org.iopoutcomes.stats.BandTestResult;
import org.iopoutcomes.stats.BinomialOneSample;
import org.iopoutcomes.stats.GrayTest;
import org.iopoutcomes.stats.GrayTestResult;
import org.iopoutcomes.stats.IncidenceScale;
import org.iopoutcomes.stats.Interval;
import org.iopoutcomes.stats.IntervalCount;
import org.iopoutcomes.stats.Turnbull;
import org.iopoutcomes.stats.TurnbullAtTime;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.KaplanMeier;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StateEstimate;
import org.iopoutcomes.stats.StatusCount;
import org.iopoutcomes.stats.PAdjust;
import org.iopoutcomes.stats.SurvivalAtTime;
import org.iopoutcomes.stats.TimeCounts;
import org.iopoutcomes.stats.WeightedStatusCount;

/**
 * relapse_summary and relapse_curve (SPEC section 3 "Relapse", section 5): per stratum, definition, clock and
 * horizon, Kaplan-Meier cumulative incidence with R's log CI, the crude and worst-case proportions (the worst case
 * with its Clopper-Pearson CI), follow-up completeness and, on the discharge clock at the band horizon, the verdict
 * against the baseline band with its one-sided p-values against each edge from the same estimate, standard error and
 * scale as the CI ({@link BandTest}), their Benjamini-Hochberg q-values, the exact binomial p-values of the crude
 * counts as a sensitivity, and whether the verdict holds under the worst case.
 *
 * <p>Row-level work is Spark's: the driver receives only counts per (stratum, definition, clock, day) for the
 * Kaplan-Meier fits and counts per (stratum, definition, clock, horizon) for the crude figures.
 */
public final class RelapseSummary {
    public static final String CLOCK_ADMISSION = "admission";
    public static final String CLOCK_DISCHARGE = "discharge";
    /** The discharge-clock definition (SPEC default): first use after discharge. */
    public static final String FIRST_USE = "first_use";
    public static final String OVERALL = "overall";
    /** Stratum value of episodes whose stratum column is empty. */
    public static final String MISSING_VALUE = "missing";
    public static final List<String> BUILT_IN_STRATA = List.of("program_id", "admission_month", "level_of_care",
            "primary_substance", "age_band", "sex");

    public static final String BELOW_BAND = "below_band";
    public static final String WITHIN_BAND = "within_band";
    public static final String ABOVE_BAND = "above_band";
    public static final String INCONCLUSIVE = "inconclusive";
    public static final String INSUFFICIENT_FOLLOW_UP = "insufficient_follow_up";
    /** Column of the unsuppressed summary: the horizon is off the stratum's publication grid. */
    public static final String OFF_GRID = "off_grid";
    /** True when any overdose after abstinence occurred: in the internal relapse_summary only (RelapseStage). */
    public static final String OVERDOSE_FLAG = "overdose_after_abstinence_flag";

    /** Gray's test of equal cumulative incidence of relapse across a stratum's values (discharge clock). */
    public static final String GRAY_P_RELAPSE = "gray_p_relapse";
    /** Gray's test of equal cumulative incidence of death before relapse across a stratum's values. */
    public static final String GRAY_P_DEATH = "gray_p_death";

    /** Columns that count people: what small-cell suppression looks at. */
    public static final List<String> SUMMARY_PEOPLE_COUNTS = List.of("episodes", "at_risk", "relapses", "eligible",
            "known_status", "relapsed_known", "known_relapse_free", "lost_before_horizon", "relapses_after_abstinence",
            "overdoses_after_abstinence", "followup_calls", "followup_reached", "followup_abstinent",
            "followup_participants");
    public static final List<String> CURVE_PEOPLE_COUNTS = List.of("at_risk", "relapses");

    public static final StructType TIMES_SCHEMA_KEYS = new StructType()
            .add("stratum", DataTypes.StringType, false)
            .add("stratum_value", DataTypes.StringType, false)
            .add("definition", DataTypes.StringType, false)
            .add("clock", DataTypes.StringType, false);

    public static final StructType SUMMARY_SCHEMA = TIMES_SCHEMA_KEYS
            .add("horizon_days", DataTypes.IntegerType, false)
            .add("episodes", DataTypes.LongType, false)
            .add("at_risk", DataTypes.LongType, false)
            .add("relapses", DataTypes.LongType, false)
            .add("cumulative_incidence", DataTypes.DoubleType, true)
            .add("ci_lower", DataTypes.DoubleType, true)
            .add("ci_upper", DataTypes.DoubleType, true)
            // discharge clock: the Aalen-Johansen cumulative incidence of death before relapse, beside the relapse's
            .add("death_incidence", DataTypes.DoubleType, true)
            .add("death_ci_lower", DataTypes.DoubleType, true)
            .add("death_ci_upper", DataTypes.DoubleType, true)
            // discharge clock, a sensitivity: Turnbull's estimate with the first use anywhere between the last
            // relapse-free contact and the first evidence of use (deaths censored), 1 - S(H), no CI
            .add("interval_censored_incidence", DataTypes.DoubleType, true)
            .add("eligible", DataTypes.LongType, false)
            .add("known_status", DataTypes.LongType, false)
            .add("relapsed_known", DataTypes.LongType, false)
            .add("known_relapse_free", DataTypes.LongType, false)
            .add("lost_before_horizon", DataTypes.LongType, false)
            .add("crude_proportion", DataTypes.DoubleType, true)
            .add("worst_case_proportion", DataTypes.DoubleType, true)
            .add("followup_completeness", DataTypes.DoubleType, true)
            .add("estimable", DataTypes.BooleanType, false)
            .add("verdict", DataTypes.StringType, true)
            .add("band_lower", DataTypes.DoubleType, true)
            .add("band_upper", DataTypes.DoubleType, true)
            .add("p_below_band", DataTypes.DoubleType, true)
            .add("p_above_band", DataTypes.DoubleType, true)
            .add("q_below_band", DataTypes.DoubleType, true)
            .add("q_above_band", DataTypes.DoubleType, true)
            // discharge clock, verdict rows of a stratum other than overall: Gray's test of equal cumulative
            // incidence of relapse (and of death before relapse) across the stratum's values, the whole curves (not
            // tied to the horizon); the same value on every row of the values it compares ({@link #grayTests})
            .add(GRAY_P_RELAPSE, DataTypes.DoubleType, true)
            .add(GRAY_P_DEATH, DataTypes.DoubleType, true)
            .add("p_below_band_crude", DataTypes.DoubleType, true)
            .add("p_above_band_crude", DataTypes.DoubleType, true)
            .add("worst_case_lower", DataTypes.DoubleType, true)
            .add("worst_case_upper", DataTypes.DoubleType, true)
            .add("verdict_robust_to_loss", DataTypes.BooleanType, true)
            .add("relapses_after_abstinence", DataTypes.LongType, true)
            .add("overdoses_after_abstinence", DataTypes.LongType, true)
            .add("overdose_after_abstinence_rate", DataTypes.DoubleType, true)
            .add("overdose_after_abstinence_lower", DataTypes.DoubleType, true)
            .add("overdose_after_abstinence_upper", DataTypes.DoubleType, true)
            .add(OVERDOSE_FLAG, DataTypes.BooleanType, true)
            .add("followup_calls", DataTypes.LongType, true)
            .add("followup_reached", DataTypes.LongType, true)
            .add("followup_abstinent", DataTypes.LongType, true)
            .add("followup_participants", DataTypes.LongType, true)
            .add("followup_response_rate", DataTypes.DoubleType, true)
            .add("followup_abstinence_among_reached", DataTypes.DoubleType, true)
            .add("followup_abstinence_worst_case", DataTypes.DoubleType, true)
            // the horizon is not a published day of the stratum's grid: the estimate there is not shown (the
            // relapse stage hides it and drops this column)
            .add(OFF_GRID, DataTypes.BooleanType, false);

    /** The p- and q-values of relapse_summary, published at 2 significant digits ({@link PublishedPrecision}). */
    public static final PublishedPrecision.Columns SUMMARY_PRECISION = PublishedPrecision.Columns.pValues(
            "p_below_band", "p_above_band", "q_below_band", "q_above_band", GRAY_P_RELAPSE, GRAY_P_DEATH,
            "p_below_band_crude", "p_above_band_crude");

    public static final StructType CURVE_SCHEMA = TIMES_SCHEMA_KEYS
            .add("day", DataTypes.IntegerType, false)
            .add("week", DataTypes.IntegerType, false)
            .add("at_risk", DataTypes.LongType, false)
            .add("relapses", DataTypes.LongType, false)
            .add("cumulative_incidence", DataTypes.DoubleType, false)
            .add("ci_lower", DataTypes.DoubleType, true)
            .add("ci_upper", DataTypes.DoubleType, true)
            .add("death_incidence", DataTypes.DoubleType, true)
            .add("death_ci_lower", DataTypes.DoubleType, true)
            .add("death_ci_upper", DataTypes.DoubleType, true);

    private static final int STATUS_CENSORED = PostTreatmentRelapse.STATUS_CENSORED;
    private static final int STATUS_RELAPSE = PostTreatmentRelapse.STATUS_RELAPSE;
    private static final int STATUS_DEATH = PostTreatmentRelapse.STATUS_DEATH;
    /** The states of a discharge-clock fit: relapse (a fatal overdose included) and death before relapse. */
    private static final int[] DISCHARGE_STATES = {STATUS_RELAPSE, STATUS_DEATH};
    /**
     * Kinds of exit on a discharge-clock grid: censored, relapses and deaths each a kind of their own (both
     * incidences are published), so no interval gives back 1 .. threshold-1 of either.
     */
    private static final int[] DISCHARGE_GRID_KINDS = {0, 1, 2};

    private static final Logger LOG = LoggerFactory.getLogger(RelapseSummary.class);
    /** Column of the per-episode times: the interval-censored left end of a relapse (discharge clock). */
    static final String INTERVAL_START = "interval_start_days";

    private RelapseSummary() {}

    /** One stratum, definition and clock: the unit of one Kaplan-Meier fit. */
    public record Group(String stratum, String stratumValue, String definition, String clock)
            implements Comparable<Group> {
        @Override
        public int compareTo(Group o) {
            int c = definition.compareTo(o.definition);
            c = c != 0 ? c : clock.compareTo(o.clock);
            c = c != 0 ? c : stratum.compareTo(o.stratum);
            return c != 0 ? c : stratumValue.compareTo(o.stratumValue);
        }
    }

    /** Crude counts of one group at one horizon, among episodes whose origin is at least H days before the cut. */
    public record CrudeCounts(long eligible, long relapsedKnown, long knownRelapseFree) {
        public long knownStatus() {
            return relapsedKnown + knownRelapseFree;
        }
    }

    /**
     * @param summary         estimates on the publication grids (to be suppressed before they are published)
     * @param curve           the curves at their grids' published days
     * @param internalSummary the daily estimates, for the director inside the program (nothing pooled)
     * @param internalCurve   the daily curves on the weekly lattice
     */
    public record Tables(Dataset<Row> summary, Dataset<Row> curve, Dataset<Row> dayCounts, Dataset<Row> internalSummary,
                         Dataset<Row> internalCurve, PublishedGray publishedGray) {}

    /**
     * What the published Gray's tests are computed from once the disclosure stage knows which stratum values are
     * shown ({@link #fill}): the summary's published estimates leave {@link #GRAY_P_RELAPSE} and
     * {@link #GRAY_P_DEATH} empty, since which values a test may compare is decided only by the suppression.
     *
     * <p>The counts are those the published curves are computed from, never the daily ones: each discharge-clock
     * group with a curve of its own (a stratum other than overall, its grid with a published day), its counts per
     * (day, status) pooled to its stratum's grid ({@link CurveGrid.Grid#coarsenStates}), and with a suppression
     * threshold above 1 everything after the grid's last day censored at that day (a test over the whole curves,
     * followed to the last day the grid publishes). So the test is a function of the relapses, deaths and censored of
     * each interval of the grid, each none or at least the threshold, and of the numbers at risk at the grid's days,
     * which the published curve shows: nothing inside an interval, and no day-level tail after the last published
     * day, enters it. With a threshold of 1 every day is a boundary and nothing is censored: the published test is
     * the internal one.
     *
     * @param counts          per group, the pooled counts as above
     * @param bandHorizonDays the horizon of the verdict rows, where the test is written
     */
    public record PublishedGray(Map<Group, List<StatusCount>> counts, int bandHorizonDays) {
        public PublishedGray {
            counts = Map.copyOf(counts);
        }

        /**
         * The published summary with Gray's tests over the groups {@code shown} accepts (the values whose curves
         * are published whole): per stratum, when at least two are, on each of their verdict rows; every other
         * row's Gray columns empty.
         */
        public Dataset<Row> fill(Dataset<Row> summary, java.util.function.Predicate<Group> shown) {
            Map<Group, List<StatusCount>> compared = new TreeMap<>();
            counts.forEach((g, c) -> {
                if (shown.test(g)) {
                    compared.put(g, c);
                }
            });
            return withGrayTests(summary, grayTests(compared), bandHorizonDays);
        }
    }

    /** Gray's p-values of one group's stratum: relapse and death before relapse (null: none). */
    public record GrayP(Double relapse, Double death) {}

    /** The strata of a run: the built-in ones and the extra columns (each once). */
    public static List<String> strata(RelapseSettings settings) {
        LinkedHashSet<String> strata = new LinkedHashSet<>(BUILT_IN_STRATA);
        strata.addAll(settings.extraStrata());
        return List.copyOf(strata);
    }

    /**
     * One row per episode, definition and clock with a time: episode_id, the strata columns, definition, clock,
     * origin_date (admission or discharge), time_days, event and status (0 censored, 1 relapse, 2 death before
     * relapse: only on the discharge clock). On the admission clock a definition's week k
     * (days 7(k-1) .. 7k-1 from admission) becomes day 7k-1, the last day of that week: an event found in week k
     * is known by then, so "relapsed by day H" only counts weeks that lie wholly within days 0 .. H.
     */
    public static Dataset<Row> episodeTimes(LoadedInput input, RelapseSettings settings) {
        return episodeTimes(input.episodes(), relapseColumns(input, settings), settings);
    }

    /**
     * One row per episode: episode_id, the lattice, per definition {@code <name>_time_weeks} and
     * {@code <name>_event} (flag definitions: the event only), and the discharge clock's columns of
     * {@link PostTreatmentRelapse} (null for episodes still in care).
     */
    public static Dataset<Row> relapseColumns(LoadedInput input, RelapseSettings settings) {
        return relapseColumns(input, settings, input.dataCut());
    }

    /** As {@link #relapseColumns(LoadedInput, RelapseSettings)}, counting deaths through {@code deathsThrough}. */
    public static Dataset<Row> relapseColumns(LoadedInput input, RelapseSettings settings, LocalDate deathsThrough) {
        Dataset<Row> admission = LatticeOutcomes.apply(WeeklyLattice.build(input), settings.definitions());
        Dataset<Row> discharge = PostTreatmentRelapse.compute(input, deathsThrough).drop("participant_id",
                "program_id", "discharge_date");
        return admission.join(discharge, "episode_id", "left");
    }

    /** As {@link #episodeTimes(LoadedInput, RelapseSettings)}, from the episodes and their {@link #relapseColumns}. */
    public static Dataset<Row> episodeTimes(Dataset<Row> episodes, Dataset<Row> relapseColumns,
                                            RelapseSettings settings) {
        Dataset<Row> byEpisode = episodeStrata(episodes, settings);

        // One struct per definition and clock, exploded: a single pass over the per-episode table, no union.
        List<Column> outcomes = new ArrayList<>();
        for (RelapseDefinition definition : settings.timedDefinitions()) {
            outcomes.add(struct(lit(definition.name()).as("definition"), lit(CLOCK_ADMISSION).as("clock"),
                    col(LatticeOutcomes.timeColumn(definition)).multiply(7).minus(1).cast("int").as("time_days"),
                    col(LatticeOutcomes.eventColumn(definition)).as("event"),
                    when(col(LatticeOutcomes.eventColumn(definition)), lit(STATUS_RELAPSE))
                            .otherwise(lit(STATUS_CENSORED)).as("status"),
                    lit(null).cast("int").as(INTERVAL_START)));
        }
        outcomes.add(struct(lit(FIRST_USE).as("definition"), lit(CLOCK_DISCHARGE).as("clock"),
                col(PostTreatmentRelapse.TIME).cast("int").as("time_days"), col(PostTreatmentRelapse.EVENT).as("event"),
                col(PostTreatmentRelapse.STATUS).as("status"),
                col(PostTreatmentRelapse.INTERVAL_START).cast("int").as(INTERVAL_START)));
        Dataset<Row> times = relapseColumns
                .select(col("episode_id"), explode(array(outcomes.toArray(Column[]::new))).as("outcome"))
                // NA (a lattice shorter than the window) and episodes still in care have no time
                .where(col("outcome.event").isNotNull())
                .select(col("episode_id"), col("outcome.definition").as("definition"), col("outcome.clock").as("clock"),
                        col("outcome.time_days").as("time_days"), col("outcome.event").as("event"),
                        col("outcome.status").as("status"), col("outcome." + INTERVAL_START).as(INTERVAL_START));

        Column origin = when(col("clock").equalTo(CLOCK_ADMISSION), col("admission_date"))
                .otherwise(col("discharge_date"));
        return times.join(byEpisode, "episode_id")
                .withColumn("origin_date", origin)
                .drop("admission_date", "discharge_date");
    }

    /** episode_id, admission_date, discharge_date and one column per stratum (admission_month derived). */
    static Dataset<Row> episodeStrata(Dataset<Row> episodes, RelapseSettings settings) {
        List<Column> columns = new ArrayList<>(List.of(col("episode_id"), col("admission_date"),
                col("discharge_date")));
        for (String stratum : strata(settings)) {
            Column value = stratum.equals("admission_month")
                    ? date_format(col("admission_date"), "yyyy-MM")
                    : col(TableReader.quote(stratum)).cast("string");
            columns.add(value.as(stratum));
        }
        return episodes.select(columns.toArray(Column[]::new));
    }

    /** Each row once per stratum: the columns {@code keep}, with stratum and stratum_value in front. */
    static Dataset<Row> explodeStrata(Dataset<Row> rows, RelapseSettings settings, List<String> keep) {
        List<Column> strata = new ArrayList<>();
        strata.add(struct(lit(OVERALL).as("stratum"), lit(OVERALL).as("stratum_value")));
        for (String stratum : strata(settings)) {
            strata.add(struct(lit(stratum).as("stratum"),
                    coalesce(col(TableReader.quote(stratum)), lit(MISSING_VALUE)).as("stratum_value")));
        }
        List<Column> exploded = new ArrayList<>(List.of(explode(array(strata.toArray(Column[]::new))).as("s")));
        List<Column> out = new ArrayList<>(List.of(col("s.stratum").as("stratum"),
                col("s.stratum_value").as("stratum_value")));
        for (String column : keep) {
            exploded.add(col(column));
            out.add(col(column));
        }
        return rows.select(exploded.toArray(Column[]::new)).select(out.toArray(Column[]::new));
    }

    /** The per-episode times once per stratum: stratum, stratum_value, definition, clock, origin_date, time_days, event. */
    static Dataset<Row> byStratum(Dataset<Row> times, RelapseSettings settings) {
        List<String> keep = new ArrayList<>(List.of("definition", "clock", "origin_date", "time_days", "event",
                "status"));
        if (List.of(times.columns()).contains(INTERVAL_START)) {
            keep.add(INTERVAL_START); // absent from hand-made times: no interval-censored estimate then
        }
        return explodeStrata(times, settings, keep);
    }

    /**
     * Discharge clock, per group, the counts per (left, right] of the interval-censored reading of first use
     * (Turnbull's input): a relapse lies in (last relapse-free contact before it, relapse day], a censored episode
     * or a death before relapse is right-censored at its time. Empty when the times carry no interval start.
     */
    static Map<Group, List<IntervalCount>> intervalCounts(Dataset<Row> stratified) {
        Map<Group, List<IntervalCount>> out = new TreeMap<>();
        if (!List.of(stratified.columns()).contains(INTERVAL_START)) {
            return out;
        }
        Column relapse = col("status").equalTo(STATUS_RELAPSE);
        Dataset<Row> counts = stratified.where(col("clock").equalTo(CLOCK_DISCHARGE))
                .groupBy(col("stratum"), col("stratum_value"), col("definition"), col("clock"),
                        when(relapse, col(INTERVAL_START)).otherwise(col("time_days")).as("left"),
                        when(relapse, col("time_days")).as("right"))
                .agg(count(lit(1)).as("n"))
                .orderBy(col("definition"), col("clock"), col("stratum"), col("stratum_value"), col("left"),
                        col("right"));
        for (Row r : DeterministicPlan.require(counts, "relapse interval counts").collectAsList()) {
            double right = r.isNullAt(5) ? Double.NaN : r.getInt(5);
            out.computeIfAbsent(group(r), g -> new ArrayList<>()).add(new IntervalCount(r.getInt(4), right,
                    r.getLong(6)));
        }
        return out;
    }

    /**
     * Interval counts moved onto a publication grid, never narrowing what is known: a right end (or a
     * right-censoring) moves to the first boundary at or after it, as {@link CurveGrid.Grid#coarsen} moves events
     * and censorings, and a left end to the last boundary at or before it (0 when none), so the coarsened interval
     * holds the original one. Days after the last boundary stay as they are.
     */
    static List<IntervalCount> coarsenIntervals(List<IntervalCount> counts, CurveGrid.Grid grid) {
        List<Integer> boundaries = grid.boundaries();
        int last = boundaries.isEmpty() ? -1 : boundaries.get(boundaries.size() - 1);
        java.util.function.DoubleUnaryOperator up = t -> {
            for (int b : boundaries) {
                if (b >= t) {
                    return b;
                }
            }
            return t;
        };
        java.util.function.DoubleUnaryOperator down = t -> {
            if (t > last) {
                return t;
            }
            double at = 0;
            for (int b : boundaries) {
                if (b <= t) {
                    at = b;
                }
            }
            return at;
        };
        TreeMap<List<Double>, Long> pooled = new TreeMap<>((a, b) -> {
            int c = Double.compare(a.get(0), b.get(0));
            return c != 0 ? c : Double.compare(a.get(1), b.get(1));
        });
        for (IntervalCount c : counts) {
            double left;
            double right;
            switch (c.kind()) {
                case RIGHT_CENSORED -> {
                    left = up.applyAsDouble(c.left());
                    right = Double.NaN;
                }
                case EXACT -> {
                    left = up.applyAsDouble(c.right());
                    right = left;
                }
                case INTERVAL_CENSORED -> {
                    left = down.applyAsDouble(c.left());
                    right = up.applyAsDouble(c.right());
                }
                default -> {
                    left = c.left();
                    right = up.applyAsDouble(c.right());
                }
            }
            pooled.merge(List.of(left, right), c.count(), Long::sum);
        }
        List<IntervalCount> out = new ArrayList<>();
        pooled.forEach((k, n) -> out.add(new IntervalCount(k.get(0), k.get(1), n)));
        return out;
    }

    /** Turnbull's 1 - S at each horizon of one group's interval counts; null when there are none or no fit. */
    static Map<Integer, Double> intervalCensoredIncidence(List<IntervalCount> counts, List<Integer> horizons) {
        if (counts == null || counts.isEmpty()) {
            return Map.of();
        }
        try {
            Turnbull fit = Turnbull.fit(counts);
            Map<Integer, Double> out = new TreeMap<>();
            List<TurnbullAtTime> at = fit.at(horizons.stream().mapToDouble(Integer::doubleValue).toArray());
            for (int i = 0; i < horizons.size(); i++) {
                out.put(horizons.get(i), 1 - at.get(i).surv());
            }
            return out;
        } catch (RuntimeException e) {
            // a sensitivity column: an EM that does not settle leaves it empty, the run goes on
            LOG.warn("interval-censored estimate not computed: {}", e.getMessage());
            return Map.of();
        }
    }

    /** Horizons of the summary: the settings' horizons and the band horizon, sorted. */
    static List<Integer> horizons(RelapseSettings settings) {
        TreeSet<Integer> horizons = new TreeSet<>(settings.horizonsDays());
        horizons.add(settings.bandHorizonDays());
        return List.copyOf(horizons);
    }

    /**
     * @param followUp per stratum value, {@link RelapseFollowUp#perStratum}: shown on the verdict rows
     */
    public static Tables compute(SparkSession spark, Dataset<Row> episodeTimes, Dataset<Row> followUp,
                                 LocalDate dataCut, RelapseSettings settings) {
        return compute(spark, episodeTimes, followUp, dataCut, settings, 1);
    }

    /**
     * @param suppressionThreshold the published estimates are pooled to grids on which no interval holds 1 ..
     *                             threshold-1 of a kind of transition ({@link CurveGrid}); 1: the daily ones
     */
    public static Tables compute(SparkSession spark, Dataset<Row> episodeTimes, Dataset<Row> followUp,
                                 LocalDate dataCut, RelapseSettings settings, int suppressionThreshold) {
        // Cached: the day counts and the crude counts both read it.
        KeptDataset keptStrata = KeptDataset.of(byStratum(episodeTimes, settings), StorageLevel.MEMORY_AND_DISK(),
                "relapse episode times by stratum");
        Dataset<Row> stratified = keptStrata.rows();
        try {
            Dataset<Row> dayCounts = stratified
                    .groupBy(col("stratum"), col("stratum_value"), col("definition"), col("clock"), col("time_days"))
                    .agg(sum(when(col("status").equalTo(STATUS_RELAPSE), 1L).otherwise(0L)).as("events"),
                            sum(when(col("status").equalTo(STATUS_CENSORED), 1L).otherwise(0L)).as("censored"),
                            // deaths before relapse (discharge clock): the competing event, not a censoring
                            sum(when(col("status").equalTo(STATUS_DEATH), 1L).otherwise(0L)).as("deaths"))
                    .orderBy(col("definition"), col("clock"), col("stratum"), col("stratum_value"), col("time_days"));
            List<Row> dayRows = DeterministicPlan.require(dayCounts, "relapse day counts").collectAsList();
            Map<Group, List<StatusCount>> counts = new TreeMap<>();
            for (Row r : dayRows) {
                List<StatusCount> day = counts.computeIfAbsent(group(r), g -> new ArrayList<>());
                for (int status = STATUS_CENSORED; status <= STATUS_DEATH; status++) {
                    long n = r.getLong(status == STATUS_CENSORED ? 6 : status == STATUS_RELAPSE ? 5 : 7);
                    if (n > 0) {
                        day.add(new StatusCount(r.getInt(4), status, n));
                    }
                }
            }

            List<Integer> horizons = horizons(settings);
            Dataset<Row> horizonTable = spark.createDataset(horizons, Encoders.INT()).toDF("horizon_days");
            Column relapsedByH = col("event").and(col("time_days").leq(col("horizon_days")));
            List<Row> crudeRows = DeterministicPlan.require(stratified, "relapse episode times")
                    .crossJoin(broadcast(horizonTable))
                    // only episodes whose origin lies at least H days before the cut can be known at H
                    .where(datediff(lit(dataCut), col("origin_date")).geq(col("horizon_days")))
                    .groupBy(col("stratum"), col("stratum_value"), col("definition"), col("clock"), col("horizon_days"))
                    .agg(count(lit(1)).as("eligible"),
                            sum(when(relapsedByH, 1L).otherwise(0L)).as("relapsed_known"),
                            // relapse-free by H is known from a contact on or after H, or from a death before
                            // relapse (the estimand is relapse by H before death)
                            sum(when(relapsedByH.unary_$bang().and(col("time_days").geq(col("horizon_days"))
                                    .or(col("status").equalTo(STATUS_DEATH))), 1L)
                                    .otherwise(0L)).as("known_relapse_free"))
                    .collectAsList();
            Map<Group, Map<Integer, CrudeCounts>> crude = new TreeMap<>();
            for (Row r : crudeRows) {
                crude.computeIfAbsent(group(r), g -> new TreeMap<>())
                        .put(r.getInt(4), new CrudeCounts(r.getLong(5), r.getLong(6), r.getLong(7)));
            }

            Map<String, Row> followUpByStratum = new TreeMap<>();
            for (Row r : DeterministicPlan.require(followUp, "relapse follow-up counts").collectAsList()) {
                followUpByStratum.put(r.getAs("stratum") + "\u0000" + r.getAs("stratum_value"), r);
            }
            Map<Group, List<IntervalCount>> intervals = intervalCounts(stratified);
            Map<Group, CurveGrid.Grid> grids = gridsOfStates(counts, settings, suppressionThreshold);
            List<Row> summary = summaryRowsOfStates(counts, grids, crude, followUpByStratum, settings, intervals);
            List<Row> curve = curveRowsOfStates(counts, grids, settings);
            List<Row> internalSummary = summaryRowsOfStates(counts, null, crude, followUpByStratum, settings,
                    intervals);
            List<Row> internalCurve = curveRowsOfStates(counts, null, settings);
            return new Tables(spark.createDataFrame(summary, SUMMARY_SCHEMA),
                    spark.createDataFrame(curve, CURVE_SCHEMA), spark.createDataFrame(dayRows, dayCounts.schema()),
                    spark.createDataFrame(internalSummary, SUMMARY_SCHEMA),
                    spark.createDataFrame(internalCurve, CURVE_SCHEMA),
                    publishedGray(counts, grids, settings, suppressionThreshold));
        } finally {
            keptStrata.close();
        }
    }

    /**
     * Whether a group's grid holds every boundary of its overall's grid through day {@code h} (always, with no grids
     * or for an overall group). Only then is the interval-censored sensitivity published at h: the Turnbull estimate
     * of intervals widened onto a coarser grid counts those censored inside a long interval as followed to its end,
     * which biases it towards no relapse (sample-data, prog-a by 365 days: 32.5% where the daily one is 45.3%), and
     * unlike the Aalen-Johansen estimate ({@link CurveGrid.Grid#spread}) it has no correction here. Depends on the
     * grids only, never on the counts.
     */
    static boolean asFineAsTheOverall(Group g, Map<Group, CurveGrid.Grid> grids, int h) {
        if (grids == null || g.stratum().equals(OVERALL)) {
            return true;
        }
        CurveGrid.Grid grid = grids.get(g);
        CurveGrid.Grid overall = grids.get(new Group(OVERALL, OVERALL, g.definition(), g.clock()));
        if (grid == null || overall == null) {
            return grid == null;
        }
        Set<Integer> mine = Set.copyOf(grid.boundaries());
        return overall.boundaries().stream().filter(b -> b <= h).allMatch(mine::contains);
    }

    /** The counts the published Gray's tests are computed from ({@link PublishedGray}). */
    public static PublishedGray publishedGray(Map<Group, List<StatusCount>> counts, Map<Group, CurveGrid.Grid> grids,
                                              RelapseSettings settings, int suppressionThreshold) {
        Map<Group, List<StatusCount>> pooled = new TreeMap<>();
        for (Map.Entry<Group, List<StatusCount>> e : counts.entrySet()) {
            Group g = e.getKey();
            CurveGrid.Grid grid = grids.get(g);
            if (!g.clock().equals(CLOCK_DISCHARGE) || g.stratum().equals(OVERALL) || grid == null
                    || grid.published().isEmpty()) {
                continue; // overall: nothing to compare; no published day: no curve of its own ("not shown")
            }
            List<StatusCount> coarse = grid.coarsenStates(e.getValue());
            pooled.put(g, suppressionThreshold <= 1 ? coarse
                    : censoredAfter(coarse, grid.boundaries().get(grid.boundaries().size() - 1)));
        }
        return new PublishedGray(pooled, settings.bandHorizonDays());
    }

    /** Every transition after {@code last} turned into a censoring at {@code last}: follow-up ends there. */
    static List<StatusCount> censoredAfter(List<StatusCount> counts, int last) {
        TreeMap<Double, TreeMap<Integer, Long>> byTime = new TreeMap<>();
        for (StatusCount c : counts) {
            boolean after = c.time() > last;
            byTime.computeIfAbsent(after ? (double) last : c.time(), t -> new TreeMap<>())
                    .merge(after ? STATUS_CENSORED : c.status(), c.count(), Long::sum);
        }
        List<StatusCount> out = new ArrayList<>();
        byTime.forEach((t, byStatus) -> byStatus.forEach((status, n) -> out.add(new StatusCount(t, status, n))));
        return out;
    }

    /**
     * Gray's test across the values of each stratum other than overall, per definition, on the discharge clock:
     * for each stratum with at least two of the given groups, the p-values of equal cumulative incidence of relapse
     * (status 1) and of death before relapse (status 2) between its values, as {@code cmprsk::cuminc(ftime,
     * fstatus, group)$Tests[, "pv"]} ({@link GrayTest}). The whole curves are compared, not their values at a
     * horizon. A state no group enters has no test, and neither has one whose variance is singular (cuminc prints
     * stat -1 and p 1 there, which is not a p-value): both are empty.
     *
     * @param counts per group, counts per (time, status): only the groups to compare
     * @return per group compared, its stratum's p-values
     */
    public static Map<Group, GrayP> grayTests(Map<Group, List<StatusCount>> counts) {
        Map<String, Map<Group, List<StatusCount>>> strata = new TreeMap<>();
        for (Map.Entry<Group, List<StatusCount>> e : new TreeMap<>(counts).entrySet()) {
            Group g = e.getKey();
            if (g.clock().equals(CLOCK_DISCHARGE) && !g.stratum().equals(OVERALL) && total(e.getValue()) > 0) {
                strata.computeIfAbsent(g.definition() + "\u0000" + g.stratum(), k -> new LinkedHashMap<>())
                        .put(g, e.getValue());
            }
        }
        Map<Group, GrayP> out = new TreeMap<>();
        for (Map<Group, List<StatusCount>> stratum : strata.values()) {
            if (stratum.size() < 2) {
                continue;
            }
            Map<String, List<StatusCount>> byValue = new LinkedHashMap<>();
            stratum.forEach((g, c) -> byValue.put(g.stratumValue(), c));
            Double relapse = null;
            Double death = null;
            for (GrayTestResult r : GrayTest.test(byValue)) {
                Double p = r.singular() ? null : value(r.pValue());
                if (r.state() == STATUS_RELAPSE) {
                    relapse = p;
                } else if (r.state() == STATUS_DEATH) {
                    death = p;
                }
            }
            GrayP p = new GrayP(relapse, death);
            stratum.keySet().forEach(g -> out.put(g, p));
        }
        return out;
    }

    /** The summary with each compared group's Gray's p-values on its verdict row, every other Gray cell empty. */
    static Dataset<Row> withGrayTests(Dataset<Row> summary, Map<Group, GrayP> tests, int bandHorizonDays) {
        StructType schema = summary.schema();
        int relapseField = schema.fieldIndex(GRAY_P_RELAPSE);
        int deathField = schema.fieldIndex(GRAY_P_DEATH);
        List<Row> out = new ArrayList<>();
        for (Row row : summary.collectAsList()) {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            Group g = new Group(row.getAs("stratum"), row.getAs("stratum_value"), row.getAs("definition"),
                    row.getAs("clock"));
            Object horizon = row.getAs("horizon_days");
            GrayP p = horizon != null && ((Number) horizon).intValue() == bandHorizonDays ? tests.get(g) : null;
            values[relapseField] = p == null ? null : p.relapse();
            values[deathField] = p == null ? null : p.death();
            out.add(new GenericRowWithSchema(values, schema));
        }
        return summary.sparkSession().createDataFrame(out, schema);
    }

    private static Group group(Row r) {
        return new Group(r.getString(0), r.getString(1), r.getString(2), r.getString(3));
    }

    /**
     * The publication grid of every group ({@link CurveGrid}): per definition and clock, the overall's from the
     * weekly lattice and the horizons, each other stratum's from the overall's published days, the values whose
     * episode count is hidden (as the summary's suppression hides it) pooled into one more curve of their stratum.
     */
    public static Map<Group, CurveGrid.Grid> grids(Map<Group, List<TimeCounts>> counts, RelapseSettings settings,
                                                   int suppressionThreshold) {
        return gridsOfStates(statusCounts(counts), settings, suppressionThreshold);
    }

    /**
     * As {@link #grids} from counts per (day, status): on the discharge clock every interval holds none or at least
     * the threshold of relapses, of deaths and of censored ({@link CurveGrid#buildStates}); on the admission clock
     * of events and censored, as for a Kaplan-Meier curve.
     */
    public static Map<Group, CurveGrid.Grid> gridsOfStates(Map<Group, List<StatusCount>> counts,
                                                           RelapseSettings settings, int suppressionThreshold) {
        CurveGrid curveGrid = new CurveGrid(suppressionThreshold);
        // per definition and clock, then per stratum (overall first), the groups in value order
        Map<String, Map<String, List<Group>>> families = new TreeMap<>();
        for (Group g : new TreeMap<>(counts).keySet()) {
            families.computeIfAbsent(g.definition() + "\u0000" + g.clock(), k -> new TreeMap<>(
                            (a, b) -> a.equals(OVERALL) ? (b.equals(OVERALL) ? 0 : -1) : b.equals(OVERALL) ? 1
                                    : a.compareTo(b)))
                    .computeIfAbsent(g.stratum(), k -> new ArrayList<>()).add(g);
        }
        Map<Group, CurveGrid.Grid> grids = new TreeMap<>();
        for (Map<String, List<Group>> family : families.values()) {
            List<Integer> overallDays = null;
            for (Map.Entry<String, List<Group>> stratum : family.entrySet()) {
                List<Group> groups = stratum.getValue();
                boolean competing = groups.get(0).clock().equals(CLOCK_DISCHARGE);
                boolean[] hidden = stratum.getKey().equals(OVERALL) ? new boolean[groups.size()]
                        : CurveGrid.notShown(groups.stream().mapToLong(g -> total(counts.get(g))).toArray(),
                                suppressionThreshold);
                List<List<StatusCount>> curves = new ArrayList<>();
                List<StatusCount> notShown = new ArrayList<>();
                for (int i = 0; i < groups.size(); i++) {
                    if (hidden[i]) {
                        notShown.addAll(counts.get(groups.get(i)));
                    } else {
                        curves.add(counts.get(groups.get(i)));
                    }
                }
                curves.add(notShown);
                TreeSet<Integer> candidates;
                if (overallDays == null) {
                    candidates = new TreeSet<>(horizons(settings));
                    double last = curves.stream().flatMap(List::stream).mapToDouble(StatusCount::time).max()
                            .orElse(0);
                    for (int day = 0; day <= last; day += 7) {
                        candidates.add(day);
                    }
                } else {
                    candidates = new TreeSet<>(overallDays);
                }
                CurveGrid.Grid grid = competing
                        ? curveGrid.buildStates(curves, DISCHARGE_GRID_KINDS, candidates,
                                Set.copyOf(horizons(settings)), settings.bandHorizonDays(), false)
                        : curveGrid.build(curves.stream().map(RelapseSummary::timeCounts).toList(), candidates,
                                Set.copyOf(horizons(settings)), settings.bandHorizonDays());
                if (overallDays == null) {
                    overallDays = grid.published();
                }
                for (int i = 0; i < groups.size(); i++) {
                    grids.put(groups.get(i), hidden[i] ? grid.notShown() : grid);
                }
            }
        }
        return grids;
    }

    /** Events (status 1) and censorings (status 0) as counts per (time, status). */
    static Map<Group, List<StatusCount>> statusCounts(Map<Group, List<TimeCounts>> counts) {
        Map<Group, List<StatusCount>> out = new TreeMap<>();
        counts.forEach((g, list) -> {
            List<StatusCount> states = new ArrayList<>();
            for (TimeCounts c : list) {
                if (c.nEvent() > 0) {
                    states.add(new StatusCount(c.time(), STATUS_RELAPSE, c.nEvent()));
                }
                if (c.nCensor() > 0) {
                    states.add(new StatusCount(c.time(), STATUS_CENSORED, c.nCensor()));
                }
            }
            out.put(g, states);
        });
        return out;
    }

    /** Counts per (time, status) of a curve without competing events as Kaplan-Meier's events and censorings. */
    static List<TimeCounts> timeCounts(List<StatusCount> counts) {
        TreeMap<Double, long[]> byTime = new TreeMap<>();
        for (StatusCount c : counts) {
            if (c.status() == STATUS_DEATH) {
                throw new IllegalArgumentException("a death on the admission clock at day " + c.time());
            }
            byTime.computeIfAbsent(c.time(), t -> new long[2])[c.status() == STATUS_RELAPSE ? 0 : 1] += c.count();
        }
        List<TimeCounts> out = new ArrayList<>(byTime.size());
        byTime.forEach((t, n) -> out.add(new TimeCounts(t, n[0], n[1])));
        return out;
    }

    private static long total(List<StatusCount> counts) {
        return counts.stream().mapToLong(StatusCount::count).sum();
    }

    /**
     * One group's curve at any day: Kaplan-Meier 1 - S with R's log CI on S (admission clock) or the
     * Aalen-Johansen cumulative incidence of relapse with death a competing event, its infinitesimal-jackknife
     * standard error and R's multi-state log CI on F (discharge clock), beside the incidence of death. On a
     * publication grid the numbers at risk and the relapses come from the counts pooled to the grid, and the
     * estimates from those counts spread over the overall curve's finer grid ({@link CurveGrid.Grid#spread}).
     */
    private static final class Fit {
        /** The counts: daily, or pooled to the grid. */
        private final KaplanMeier km;
        private final AalenJohansen aj;
        /** The estimates: the same fits, or on a grid those of the spread counts. */
        private final KaplanMeier kmEstimate;
        private final AalenJohansen ajEstimate;

        /** The daily fit: nothing pooled. */
        Fit(Group g, List<StatusCount> counts) {
            this(g, counts, null, null, null);
        }

        /**
         * @param grid            the group's grid (null: daily)
         * @param reference       the grid of the overall curve of the group's definition and clock (null: the
         *                        group is that overall, or there is none)
         * @param referenceCounts its counts
         */
        Fit(Group g, List<StatusCount> counts, CurveGrid.Grid grid, CurveGrid.Grid reference,
            List<StatusCount> referenceCounts) {
            List<StatusCount> pooled = grid == null ? counts : grid.coarsenStates(counts);
            boolean spread = grid != null && reference != null && referenceCounts != null;
            // a life table over the finest grid the counts are on: the reference's, or the group's own
            List<WeightedStatusCount> weighted = grid == null ? null
                    : grid.spread(counts, spread ? reference : null, referenceCounts);
            CurveGrid.Grid finest = spread ? reference : grid;
            // admission-clock times are the last days of lattice weeks: a week holds one possible time, not seven
            int periodDays = g.clock().equals(CLOCK_DISCHARGE) ? 1 : 7;
            DoubleUnaryOperator censoredAtRisk = finest == null ? t -> 1.0
                    : t -> finest.censoredAtRisk(t, periodDays);
            if (g.clock().equals(CLOCK_DISCHARGE)) {
                aj = AalenJohansen.fit(pooled, DISCHARGE_STATES, Normal.Z95);
                ajEstimate = grid == null ? aj
                        : AalenJohansen.fitWeighted(weighted, DISCHARGE_STATES, Normal.Z95, censoredAtRisk);
                km = null;
                kmEstimate = null;
            } else {
                km = KaplanMeier.fit(timeCounts(pooled));
                kmEstimate = grid == null ? km : KaplanMeier.fitWeighted(weighted, Normal.Z95, censoredAtRisk);
                aj = null;
                ajEstimate = null;
            }
        }

        /** On a grid: the fit of a group other than overall, its estimates spread by the overall's grid. */
        static Fit of(Group g, Map<Group, List<StatusCount>> counts, Map<Group, CurveGrid.Grid> grids) {
            CurveGrid.Grid grid = grids == null ? null : grids.get(g);
            Group overall = new Group(OVERALL, OVERALL, g.definition(), g.clock());
            boolean reference = grid != null && !g.equals(overall) && grids.get(overall) != null
                    && counts.get(overall) != null;
            return new Fit(g, counts.get(g), grid, reference ? grids.get(overall) : null,
                    reference ? counts.get(overall) : null);
        }

        long n() {
            return km != null ? km.n() : aj.n();
        }

        double maxTime() {
            if (km != null) {
                return km.maxTime();
            }
            List<AalenJohansenRow> rows = aj.rows();
            return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).time();
        }

        At at(int day, RelapseSettings settings) {
            if (km != null) {
                SurvivalAtTime at = km.at(day);
                SurvivalAtTime estimate = kmEstimate.at(day);
                return new At(at.nRisk(), at.nEventCumByT(), estimate(estimate, settings),
                        estimate.cumIncidenceLog(), null);
            }
            AalenJohansenRow at = aj.at(day).get(0);
            AalenJohansenRow estimate = ajEstimate.at(day).get(0);
            StateEstimate relapse = estimate.state(1);
            return new At(at.nRisk(), at.state(1).nEvent(), BandTest.test(relapse.estimate(), relapse.stdErr(),
                    IncidenceScale.LOG_INCIDENCE, settings.bandLower(), settings.bandUpper()), relapse.log(),
                    estimate.state(2));
        }
    }

    /** A fit at one day: number at risk, relapses by then, the relapse estimate and (discharge clock) death. */
    private record At(long nRisk, long relapses, BandTestResult relapse, Interval curveCi, StateEstimate death) {}

    private static void putDeath(Object[] row, StructType schema, StateEstimate death) {
        if (death != null) {
            row[schema.fieldIndex("death_incidence")] = value(death.estimate());
            row[schema.fieldIndex("death_ci_lower")] = value(death.log().lower());
            row[schema.fieldIndex("death_ci_upper")] = value(death.log().upper());
        }
    }

    /** The summary rows from the daily aggregates (driver side, plain Java), nothing pooled. */
    public static List<Row> summaryRows(Map<Group, List<TimeCounts>> counts, Map<Group, Map<Integer, CrudeCounts>> crude,
                                        Map<String, Row> followUp, RelapseSettings settings) {
        return summaryRows(counts, null, crude, followUp, settings);
    }

    /**
     * The summary rows, each group's estimates from its counts pooled to its grid (null: daily, nothing pooled);
     * a horizon off the grid is marked {@link #OFF_GRID}.
     */
    public static List<Row> summaryRows(Map<Group, List<TimeCounts>> counts, Map<Group, CurveGrid.Grid> grids,
                                        Map<Group, Map<Integer, CrudeCounts>> crude,
                                        Map<String, Row> followUp, RelapseSettings settings) {
        return summaryRowsOfStates(statusCounts(counts), grids, crude, followUp, settings);
    }

    /**
     * As {@link #summaryRows(Map, Map, Map, Map, RelapseSettings)} from counts per (day, status): discharge-clock
     * groups are Aalen-Johansen fits with relapse and death ({@link Fit}), admission-clock groups Kaplan-Meier.
     */
    public static List<Row> summaryRowsOfStates(Map<Group, List<StatusCount>> counts,
                                                Map<Group, CurveGrid.Grid> grids,
                                                Map<Group, Map<Integer, CrudeCounts>> crude,
                                                Map<String, Row> followUp, RelapseSettings settings) {
        return summaryRowsOfStates(counts, grids, crude, followUp, settings, Map.of());
    }

    /**
     * As {@link #summaryRowsOfStates(Map, Map, Map, Map, RelapseSettings)}, with each discharge-clock group's
     * interval counts ({@link #intervalCounts}) for the interval-censored sensitivity, moved onto the group's grid
     * when there is one ({@link #coarsenIntervals}).
     */
    static List<Row> summaryRowsOfStates(Map<Group, List<StatusCount>> counts, Map<Group, CurveGrid.Grid> grids,
                                         Map<Group, Map<Integer, CrudeCounts>> crude, Map<String, Row> followUp,
                                         RelapseSettings settings, Map<Group, List<IntervalCount>> intervals) {
        List<Integer> horizons = horizons(settings);
        List<Object[]> rows = new ArrayList<>();
        // p-values of the verdict rows, per stratum, for the BH adjustment across that stratum's values
        Map<String, List<Object[]>> verdictRows = new LinkedHashMap<>();
        for (Map.Entry<Group, List<StatusCount>> entry : new TreeMap<>(counts).entrySet()) {
            Group g = entry.getKey();
            CurveGrid.Grid grid = grids == null ? null : grids.get(g);
            Fit km = Fit.of(g, counts, grids);
            List<IntervalCount> groupIntervals = intervals.get(g);
            Map<Integer, Double> turnbull = intervalCensoredIncidence(groupIntervals == null || grid == null
                    ? groupIntervals : coarsenIntervals(groupIntervals, grid), horizons);
            for (int h : horizons) {
                At at = km.at(h, settings);
                CrudeCounts c = crude.getOrDefault(g, Map.of()).getOrDefault(h, new CrudeCounts(0, 0, 0));
                double completeness = c.eligible() == 0 ? Double.NaN : (double) c.knownStatus() / c.eligible();
                boolean estimable = at.nRisk() >= settings.minAtRisk()
                        && completeness >= settings.minCompleteness();
                boolean verdictRow = g.clock().equals(CLOCK_DISCHARGE) && h == settings.bandHorizonDays();
                // the estimate, its CI, and on the verdict row the verdict and its p-values: one estimate, one
                // standard error, one scale (Kaplan-Meier's 1 - S with R's log CI on S; on the discharge clock the
                // Aalen-Johansen incidence with R's multi-state log CI on F)
                BandTestResult test = at.relapse();
                Interval ci = test.ci();
                long worstRelapsed = c.eligible() - c.knownRelapseFree();
                Interval worstCi = c.eligible() == 0 ? null
                        : BinomialOneSample.test(worstRelapsed, c.eligible(), 0.5).clopperPearson();

                Object[] row = new Object[SUMMARY_SCHEMA.size()];
                put(row, "stratum", g.stratum());
                put(row, "stratum_value", g.stratumValue());
                put(row, "definition", g.definition());
                put(row, "clock", g.clock());
                put(row, "horizon_days", h);
                put(row, "episodes", km.n());
                put(row, "at_risk", at.nRisk());
                put(row, "relapses", at.relapses());
                if (estimable) {
                    put(row, "cumulative_incidence", value(test.estimate()));
                    put(row, "ci_lower", value(ci.lower()));
                    put(row, "ci_upper", value(ci.upper()));
                    putDeath(row, SUMMARY_SCHEMA, at.death());
                    if (asFineAsTheOverall(g, grids, h)) {
                        put(row, "interval_censored_incidence", turnbull.get(h));
                    }
                }
                put(row, "eligible", c.eligible());
                put(row, "known_status", c.knownStatus());
                put(row, "relapsed_known", c.relapsedKnown());
                put(row, "known_relapse_free", c.knownRelapseFree());
                put(row, "lost_before_horizon", c.eligible() - c.knownStatus());
                if (estimable && c.knownStatus() > 0) {
                    put(row, "crude_proportion", (double) c.relapsedKnown() / c.knownStatus());
                }
                if (worstCi != null) {
                    put(row, "worst_case_proportion", (double) worstRelapsed / c.eligible());
                    put(row, "worst_case_lower", worstCi.lower());
                    put(row, "worst_case_upper", worstCi.upper());
                }
                put(row, "followup_completeness", value(completeness));
                put(row, "estimable", estimable);
                if (verdictRow) {
                    String verdict = estimable ? bandVerdict(ci, settings.bandLower(), settings.bandUpper())
                            : INSUFFICIENT_FOLLOW_UP;
                    put(row, "verdict", verdict);
                    put(row, "band_lower", settings.bandLower());
                    put(row, "band_upper", settings.bandUpper());
                    if (estimable) {
                        put(row, "p_below_band", value(test.pBelow()));
                        put(row, "p_above_band", value(test.pAbove()));
                        if (worstCi != null) {
                            put(row, "verdict_robust_to_loss",
                                    bandVerdict(worstCi, settings.bandLower(), settings.bandUpper()).equals(verdict));
                        }
                    }
                    if (estimable && c.knownStatus() > 0) {
                        // sensitivity: exact binomial tests of the crude known-status proportion (biased upwards:
                        // relapse-free status at H needs a contact on or after H)
                        put(row, "p_below_band_crude", BinomialOneSample.test(c.relapsedKnown(), c.knownStatus(),
                                settings.bandLower()).exactLess());
                        put(row, "p_above_band_crude", BinomialOneSample.test(c.relapsedKnown(), c.knownStatus(),
                                settings.bandUpper()).exactGreater());
                    }
                    followUpColumns(followUp.get(g.stratum() + "\u0000" + g.stratumValue()), row);
                }
                put(row, OFF_GRID, grid != null && !grid.isPublished(h));
                rows.add(row);
                if (verdictRow) {
                    verdictRows.computeIfAbsent(g.definition() + "\u0000" + g.stratum(), k -> new ArrayList<>())
                            .add(row);
                }
            }
        }
        for (List<Object[]> family : verdictRows.values()) {
            adjust(family, "p_below_band", "q_below_band");
            adjust(family, "p_above_band", "q_above_band");
        }
        if (grids == null) {
            // daily counts, every value: the internal copy's Gray's tests. On grids the published ones are left to
            // the disclosure stage, which alone knows which values are shown (PublishedGray)
            Map<Group, GrayP> gray = grayTests(counts);
            for (List<Object[]> family : verdictRows.values()) {
                for (Object[] row : family) {
                    GrayP p = gray.get(new Group((String) get(row, "stratum"), (String) get(row, "stratum_value"),
                            (String) get(row, "definition"), (String) get(row, "clock")));
                    if (p != null) {
                        put(row, GRAY_P_RELAPSE, p.relapse());
                        put(row, GRAY_P_DEATH, p.death());
                    }
                }
            }
        }
        return rows.stream().map(values -> (Row) new GenericRowWithSchema(values, SUMMARY_SCHEMA)).toList();
    }

    /**
     * The cumulative incidence 1 - S(t) of a Kaplan-Meier fit with its CI against the band: R's log CI on S
     * ({@link IncidenceScale#LOG_SURVIVAL}) from summary.survfit's std.err of S, and the one-sided p-values against
     * each band edge on the same scale ({@link BandTest}).
     */
    public static BandTestResult estimate(SurvivalAtTime at, RelapseSettings settings) {
        return BandTest.test(at.cumIncidence(), at.seSurv(), IncidenceScale.LOG_SURVIVAL, settings.bandLower(),
                settings.bandUpper());
    }

    private static void put(Object[] row, String column, Object value) {
        row[SUMMARY_SCHEMA.fieldIndex(column)] = value;
    }

    private static Object get(Object[] row, String column) {
        return row[SUMMARY_SCHEMA.fieldIndex(column)];
    }

    /**
     * Overdose after abstinence and follow-up calls, beside the verdict: counts, the overdose share of relapses
     * after abstinence with its Clopper-Pearson 95% CI, flagged when any occurred, and the call response rate,
     * the abstinence among those reached and the worst case (not reached = not abstinent).
     */
    private static void followUpColumns(Row f, Object[] row) {
        long relapses = f == null || f.isNullAt(f.fieldIndex("relapses_after_abstinence")) ? 0
                : f.getAs("relapses_after_abstinence");
        long overdoses = f == null || f.isNullAt(f.fieldIndex("overdoses_after_abstinence")) ? 0
                : f.getAs("overdoses_after_abstinence");
        long calls = f == null || f.isNullAt(f.fieldIndex("followup_calls")) ? 0 : f.getAs("followup_calls");
        long reached = calls == 0 ? 0 : f.getAs("followup_reached");
        long abstinent = calls == 0 ? 0 : f.getAs("followup_abstinent");
        long participants = calls == 0 ? 0 : f.getAs("followup_participants");
        put(row, "relapses_after_abstinence", relapses);
        put(row, "overdoses_after_abstinence", overdoses);
        if (relapses > 0) {
            Interval cp = BinomialOneSample.test(overdoses, relapses, 0.5).clopperPearson();
            put(row, "overdose_after_abstinence_rate", (double) overdoses / relapses);
            put(row, "overdose_after_abstinence_lower", cp.lower());
            put(row, "overdose_after_abstinence_upper", cp.upper());
        }
        put(row, OVERDOSE_FLAG, overdoses > 0);
        put(row, "followup_calls", calls);
        put(row, "followup_reached", reached);
        put(row, "followup_abstinent", abstinent);
        put(row, "followup_participants", participants);
        put(row, "followup_response_rate", calls == 0 ? null : (double) reached / calls);
        put(row, "followup_abstinence_among_reached", reached == 0 ? null : (double) abstinent / reached);
        put(row, "followup_abstinence_worst_case", calls == 0 ? null : (double) abstinent / calls);
    }

    /** BH q-values across one stratum's values (for program_id: across the programs of the run). */
    private static void adjust(List<Object[]> family, String pColumn, String qColumn) {
        double[] p = new double[family.size()];
        for (int i = 0; i < p.length; i++) {
            Object v = get(family.get(i), pColumn);
            p[i] = v == null ? Double.NaN : (Double) v;
        }
        double[] q = PAdjust.adjust(p, PAdjust.Method.BH);
        for (int i = 0; i < p.length; i++) {
            put(family.get(i), qColumn, value(q[i]));
        }
    }

    /**
     * The baseline band verdict from the 95% CI of the cumulative incidence: below when the whole interval is
     * under the band, above when it is over it, within when it lies inside, else inconclusive.
     */
    public static String bandVerdict(Interval ci, double bandLower, double bandUpper) {
        if (Double.isNaN(ci.lower()) || Double.isNaN(ci.upper())) {
            return INCONCLUSIVE;
        }
        if (ci.upper() < bandLower) {
            return BELOW_BAND;
        }
        if (ci.lower() > bandUpper) {
            return ABOVE_BAND;
        }
        if (ci.lower() >= bandLower && ci.upper() <= bandUpper) {
            return WITHIN_BAND;
        }
        return INCONCLUSIVE;
    }

    /**
     * Curve rows on the weekly grid (day 0, 7, 14, ...), stopping before the first day with fewer than the
     * minimum at risk, and after the last observed time.
     */
    public static List<Row> curveRows(Map<Group, List<TimeCounts>> counts, RelapseSettings settings) {
        return curveRows(counts, null, settings);
    }

    /**
     * Curve rows at the published days of each group's grid, from its pooled counts (grids null: the daily
     * estimate on the weekly lattice), stopping before the first day with fewer than the minimum at risk, and
     * after the last observed time. The week is the day's week from the origin (day 30 is in week 4).
     */
    public static List<Row> curveRows(Map<Group, List<TimeCounts>> counts, Map<Group, CurveGrid.Grid> grids,
                                      RelapseSettings settings) {
        return curveRowsOfStates(statusCounts(counts), grids, settings);
    }

    /** As {@link #curveRows(Map, Map, RelapseSettings)} from counts per (day, status) ({@link Fit}). */
    public static List<Row> curveRowsOfStates(Map<Group, List<StatusCount>> counts, Map<Group, CurveGrid.Grid> grids,
                                              RelapseSettings settings) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Group, List<StatusCount>> entry : new TreeMap<>(counts).entrySet()) {
            Group g = entry.getKey();
            CurveGrid.Grid grid = grids == null ? null : grids.get(g);
            Fit km = Fit.of(g, counts, grids);
            double last = km.maxTime();
            List<Integer> days = new ArrayList<>();
            if (grid == null) {
                for (int day = 0; day <= last; day += 7) {
                    days.add(day);
                }
            } else {
                days.addAll(grid.published());
            }
            for (int day : days) {
                At at = km.at(day, settings);
                if (day > last || at.nRisk() < settings.minAtRisk()) {
                    break;
                }
                Interval ci = at.curveCi();
                Object[] values = new Object[CURVE_SCHEMA.size()];
                Object[] head = {g.stratum(), g.stratumValue(), g.definition(), g.clock(), day, day / 7, at.nRisk(),
                        at.relapses(), at.relapse().estimate(), value(ci.lower()), value(ci.upper())};
                System.arraycopy(head, 0, values, 0, head.length);
                putDeath(values, CURVE_SCHEMA, at.death());
                rows.add(new GenericRowWithSchema(values, CURVE_SCHEMA));
            }
        }
        return rows;
    }

    /** NaN (and R's NA) as an empty value. */
    private static Double value(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
