package org.iopoutcomes.relapse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Which episode owns a participant-level row (a screen, a use event, a follow-up, a session): the episode
 * whose admission is the latest one on or before the row's date. So an episode owns the rows from its
 * admission up to the day before the participant's next admission, and none after the data cut.
 * Two episodes of one participant admitted the same day: the one with the greater episode_id owns the rows
 * (a fixed order, so reruns agree); the other owns none.
 */
final class EpisodeSpans {
    static final String NEXT_ADMISSION = "next_admission_date";

    private EpisodeSpans() {}

    /** episode_id, participant_id, program_id, admission_date, discharge_date and the next admission (or null). */
    static Dataset<Row> of(Dataset<Row> episodes) {
        WindowSpec byAdmission = Window.partitionBy(col("participant_id"))
                .orderBy(col("admission_date"), col("episode_id"));
        return episodes.select(col("episode_id"), col("participant_id"), col("program_id"), col("admission_date"),
                        col("discharge_date"))
                .withColumn(NEXT_ADMISSION, lead(col("admission_date"), 1).over(byAdmission));
    }

    /** True where a row dated {@code date} (of the span's participant) belongs to the span's episode. */
    static Column owns(Column date, LocalDate dataCut) {
        return date.geq(col("admission_date"))
                .and(col(NEXT_ADMISSION).isNull().or(date.lt(col(NEXT_ADMISSION))))
                .and(date.leq(lit(dataCut)));
    }
}
