package org.iopoutcomes.input;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What happened to one input table's rows.
 *
 * @param table table name
 * @param source the file or folder read, empty when an optional table is absent
 * @param format how it was stored ("csv", "parquet", "parquet-directory"), or "absent"
 * @param rowsRead rows in the input
 * @param rowsLoaded rows that passed validation and are on or before the data cut
 * @param afterDataCut valid rows dated after an explicit --as-of (left out, not errors)
 * @param dischargesAfterDataCut episodes discharged after an explicit --as-of: still in care at the cut
 * @param rejectedByReason quarantined rows per reason code
 */
public record TableCounts(String table, Optional<String> source, String format, long rowsRead, long rowsLoaded,
                          long afterDataCut, long dischargesAfterDataCut, SortedMap<String, Long> rejectedByReason) {

    public long rowsRejected() {
        return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public double rejectRate() {
        return rowsRead == 0 ? 0.0 : (double) rowsRejected() / rowsRead;
    }

    /** The reasons as "reason: n" pairs, most frequent first, for messages. */
    public String reasonsText() {
        return rejectedByReason.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + ": " + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("none");
    }
}
