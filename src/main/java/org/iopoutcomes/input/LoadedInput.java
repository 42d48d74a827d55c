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

    /**
     * The valid death-registry rows (participant_id, death_date, cause), on or before the data cut; empty when the
     * optional table was not given. How far the table is complete is the run setting
     * {@code RunSettings#deathsCompleteThrough(LocalDate)}.
     */
    public Dataset<Row> deaths() {
        return table(Schemas.DEATHS);
    }

    /** Whether the input held a deaths table (an empty one counts: it says no participant is known to have died). */
    public boolean hasDeaths() {
        return sources.stream().anyMatch(s -> s.spec() == Schemas.DEATHS);
    }

    public TableCounts counts(String table) {
        return counts.stream().filter(c -> c.table().equals(table)).findFirst().orElseThrow();
    }
}
