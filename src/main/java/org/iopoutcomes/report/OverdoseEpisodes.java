package org.iopoutcomes.report;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The overdose-after-abstinence episodes the internal page lists for clinical follow-up (SPEC section 5, two
 * audiences): participant-level safety events, so they go on report_internal.html in the restricted tree and
 * nowhere else. They are a handful per night, but the list is capped all the same: at most {@code cap} rows are
 * collected from Spark, and {@code total} says how many there were when the list is cut.
 *
 * @param rows  the listed events, the latest relapse first (then by episode and participant): when the list is cut,
 *              the oldest events are left out
 * @param total every such event of the run (equal to {@code rows.size()} unless capped)
 * @param cap   the most rows listed
 */
public record OverdoseEpisodes(List<Event> rows, long total, int cap) {
    /** Rows listed at most on the page. */
    public static final int DEFAULT_CAP = 500;

    /** One relapse after abstinence followed by an overdose, with the episode it is attributed to. */
    public record Event(String episodeId, String participantId, String programId, LocalDate relapseDate,
                        LocalDate overdoseDate) {}

    public OverdoseEpisodes {
        rows = List.copyOf(rows);
        if (total < rows.size() || rows.size() > cap) {
            throw new IllegalArgumentException(rows.size() + " rows listed of " + total + ", cap " + cap);
        }
    }

    /** The list was cut at the cap: more events than rows. */
    public boolean capped() {
        return total > rows.size();
    }

    /**
     * Collects at most {@code cap} rows of {@code events} (the columns of
     * {@link org.iopoutcomes.metrics.RelapseFollowUp#overdosesAfterAbstinence}), the latest relapse first; counts
     * them in Spark only when there are more.
     */
    public static OverdoseEpisodes collect(Dataset<Row> events, int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap " + cap + ": expected 1 or more");
        }
        Dataset<Row> ordered = events.select("episode_id", "participant_id", "program_id", "relapse_date",
                        "overdose_date")
                .orderBy(col("relapse_date").desc(), col("episode_id"), col("participant_id"), col("overdose_date"));
        List<Event> rows = new ArrayList<>();
        for (Row r : ordered.limit(cap + 1).collectAsList()) {
            rows.add(new Event(r.getString(0), r.getString(1), r.getString(2), date(r.get(3)), date(r.get(4))));
        }
        if (rows.size() <= cap) {
            return new OverdoseEpisodes(rows, rows.size(), cap);
        }
        return new OverdoseEpisodes(rows.subList(0, cap), events.count(), cap);
    }

    private static LocalDate date(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate d) {
            return d;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return LocalDate.parse(value.toString());
    }
}
