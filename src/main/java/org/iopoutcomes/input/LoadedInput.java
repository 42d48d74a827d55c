package org.iopoutcomes.input;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.spark.KeptDataset;

/**
 * The validated input: typed rows per table (only rows on or before the data cut), the quarantined rows
 * (Quarantine.SCHEMA), what happened to every table, and the data cut. Close it when the run is done.
 */
public record LoadedInput(Map<String, Dataset<Row>> tables, Dataset<Row> quarantine, List<TableCounts> counts,
                          LocalDate dataCut, boolean dataCutExplicit, List<TableSource> sources,
                          List<KeptDataset> cached) implements AutoCloseable {

    /** Frees the validated rows kept in memory or on local disk. */
    @Override
    public void close() {
        cached.forEach(KeptDataset::close);
    }

    public Dataset<Row> table(TableSpec spec) {
        return tables.get(spec.name());
    }

    public Dataset<Row> episodes() {
        return table(Schemas.EPISODES);
    }

    public Dataset<Row> sessions() {
        return table(Schemas.SESSIONS);
    }

    public TableCounts counts(String table) {
        return counts.stream().filter(c -> c.table().equals(table)).findFirst().orElseThrow();
    }
}
