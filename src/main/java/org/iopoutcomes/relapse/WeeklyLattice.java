package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.input.LoadedInput;
import org.iopoutcomes.input.Schemas;

/**
 * The weekly lattice of each episode on the admission clock (SPEC section 3, Relapse): week k holds days
 * 7(k-1) .. 7k-1 from admission, and is {@code +} (a positive screen or a use event: use, overdose, fatal
 * overdose), {@code -} (a negative screen), {@code *} (both), {@code o} (only missing, refused or invalid
 * screens) or {@code _} (no screen row and no use event). The lattice runs from week 1 to the last week
 * holding a screen row or use event before the participant's next admission or the data cut, discharge or
 * not, so scheduled screens missed after a dropout count. An episode with no such row has the empty lattice.
 */
public final class WeeklyLattice {
    public static final String LATTICE = "lattice";
    public static final String LATTICE_WEEKS = "lattice_weeks";

    private WeeklyLattice() {}

    public static Dataset<Row> build(LoadedInput input) {
        return build(input.episodes(), input.table(Schemas.SCREENS), input.table(Schemas.USE_EVENTS), input.dataCut());
    }

    /** One row per episode: episode_id, lattice (a string of + - * o _, one character a week), lattice_weeks. */
    public static Dataset<Row> build(Dataset<Row> episodes, Dataset<Row> screens, Dataset<Row> useEvents,
                                     LocalDate dataCut) {
        Dataset<Row> observations = screens.select(col("participant_id"), col("collected_date").as("observed_date"),
                        col("result").equalTo("positive").as("positive"),
                        col("result").equalTo("negative").as("negative"))
                .unionByName(useEvents.select(col("participant_id"), col("event_date").as("observed_date"),
                        lit(true).as("positive"), lit(false).as("negative")));

        Dataset<Row> spans = EpisodeSpans.of(episodes);
        Column week = floor(datediff(col("observed_date"), col("admission_date")).divide(7)).plus(1).cast("int");
        Dataset<Row> weeks = spans.join(observations, "participant_id")
                .where(EpisodeSpans.owns(col("observed_date"), dataCut))
                .groupBy(col("episode_id"), week.as("week"))
                .agg(max(col("positive")).as("positive"), max(col("negative")).as("negative"))
                .withColumn("symbol", when(col("positive").and(col("negative")), lit("*"))
                        .when(col("positive"), lit("+"))
                        .when(col("negative"), lit("-"))
                        .otherwise(lit("o")));

        // Weeks with no row are absent from the map and become '_' when the string is spelled out.
        Dataset<Row> lattices = weeks.groupBy(col("episode_id"))
                .agg(max(col("week")).as("last_week"),
                        map_from_entries(collect_list(struct(col("week"), col("symbol")))).as("symbol_by_week"))
                .select(col("episode_id"), array_join(transform(sequence(lit(1), col("last_week")),
                        k -> coalesce(try_element_at(col("symbol_by_week"), k), lit("_"))), "").as(LATTICE));

        return episodes.select(col("episode_id"))
                .join(lattices, "episode_id", "left")
                .withColumn(LATTICE, coalesce(col(LATTICE), lit("")))
                .withColumn(LATTICE_WEEKS, length(col(LATTICE)));
    }
}
