package org.iopoutcomes.input;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input table as read, before validation: every column as a string (so a bad value can be quarantined
 * as it was written), plus {@link TableReader#RAW_TEXT} (the row as text) and {@link TableReader#MALFORMED}
 * (true when the parser could not split the line into the header's columns).
 *
 * @param source where it was read from
 * @param columns the file's own columns, in file order
 * @param rows the rows
 */
public record RawTable(TableSource source, List<String> columns, Dataset<Row> rows) {
    public TableSpec spec() {
        return source.spec();
    }

    public String file() {
        return source.path().toString();
    }

    /** Columns beyond the contract's (kept, usable as strata). */
    public List<String> extraColumns() {
        List<String> contract = spec().columnNames();
        return columns.stream().filter(c -> !contract.contains(c)).toList();
    }
}
