package org.iopoutcomes.input;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_csv;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.DataTypes;
import org.iopoutcomes.metrics.DeterministicPlan;
import org.iopoutcomes.spark.KeptDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, reads and validates every input table (SPEC section 2). Whole-input problems stop the load with an
 * {@link InputRejectedException} before anything is written; broken rows go to quarantine with a reason.
 * The driver sees only counts and maxima per table and reason.
 */
public final class InputLoader {
    private static final Logger LOG = LoggerFactory.getLogger(InputLoader.class);
    private static final String REASON = "_reason";
    private static final String AFTER_CUT = "_after_cut";

    /**
     * @param inputDir folder with the tables
     * @param asOf explicit data cut, or null for the latest date in the input that is not in the future
     * @param today the day the job runs: later dates are errors
     * @param maxRejectRate the share of a table's rows that may be quarantined before the run fails
     */
    public record Request(String inputDir, LocalDate asOf, LocalDate today, double maxRejectRate) {}

    private InputLoader() {}

    /** The tables present under {@code inputDir}; a missing required table is rejected here. */
    public static List<TableSource> locate(String inputDir, Configuration conf) {
        List<TableSource> sources = new ArrayList<>();
        for (TableSpec spec : Schemas.ALL) {
            Optional<TableSource> source = TableSource.locate(spec, inputDir, conf);
            if (source.isEmpty() && spec.required()) {
                throw new InputRejectedException(inputDir + "/" + spec.name() + ".csv: required table '" + spec.name()
                        + "' not found; expected " + spec.name() + ".csv, " + spec.name()
                        + ".parquet or a Parquet directory " + spec.name() + "/ in " + inputDir);
            }
            source.ifPresent(sources::add);
        }
        return sources;
    }

    public static LoadedInput load(SparkSession spark, Request request) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<TableSource> sources = locate(request.inputDir(), conf);
        // Every header is checked before a single row is validated, so a bad file stops the job early.
        Map<String, RawTable> raw = new LinkedHashMap<>();
        for (TableSource source : sources) {
            raw.put(source.spec().name(), TableReader.read(spark, source));
        }

        // Episodes are checked once and kept: every other table's reference rules read them. Keeping a table
        // with a shuffle runs its first stages at once, so this is where a bad episodes file can fail first.
        List<KeptDataset> kept = new ArrayList<>();
        RawTable rawEpisodes = raw.get(Schemas.EPISODES.name());
        Dataset<Row> checkedEpisodes;
        Dataset<Row> participants;
        Dataset<Row> episodeOwners;
        try {
            checkedEpisodes = keep(kept, RowChecks.check(rawEpisodes, request.today()), "checked episodes");
            participants = keep(kept, ReferenceChecks.knownParticipants(checkedEpisodes), "participants");
            episodeOwners = keep(kept, ReferenceChecks.knownEpisodes(checkedEpisodes), "episode owners");
        } catch (DeterministicPlan.NondeterministicPlanException e) { // a programming error, not a bad file
            kept.forEach(KeptDataset::close);
            throw e;
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            kept.forEach(KeptDataset::close);
            throw unreadable(rawEpisodes.source(), e);
        }

        Map<String, Dataset<Row>> checked = new LinkedHashMap<>();
        for (TableSpec spec : Schemas.ALL) {
            RawTable table = raw.get(spec.name());
            if (table == null) {
                continue;
            }
            Dataset<Row> rows = spec == Schemas.EPISODES
                    ? ReferenceChecks.flagDuplicateEpisodes(checkedEpisodes)
                    : ReferenceChecks.flagUnknownReferences(RowChecks.check(table, request.today()), spec,
                            participants, episodeOwners);
            if (spec == Schemas.DEATHS) {
                rows = ReferenceChecks.flagDuplicateParticipants(rows, spec);
            }
            Column reason = when(size(col(RowChecks.PROBLEMS)).gt(0),
                    element_at(col(RowChecks.PROBLEMS), 1).getField("reason"));
            Column afterCut = request.asOf() == null ? lit(false)
                    : col(spec.eventDateColumn()).gt(lit(request.asOf())).and(reason.isNull());
            // Not cached: for tens of millions of sessions, building the cache cost more than checking the rows
            // again in the two later passes (valid rows, quarantine), which are scans with a broadcast join.
            Dataset<Row> flagged = rows.withColumn(REASON, reason).withColumn(AFTER_CUT, afterCut);
            checked.put(spec.name(), spec == Schemas.EPISODES ? keep(kept, flagged, "flagged episodes") : flagged);
        }

        // One aggregation per table gives the counts, and the latest valid date for the default data cut.
        Map<String, Summary> summaries = new LinkedHashMap<>();
        for (Map.Entry<String, Dataset<Row>> entry : checked.entrySet()) {
            TableSource source = raw.get(entry.getKey()).source();
            try {
                summaries.put(entry.getKey(), summarize(source.spec(), entry.getValue(), request.asOf()));
            } catch (Exception e) { // Spark throws its checked SparkException undeclared
                // The first full pass is where a file that only looked readable (a corrupt footer, bad bytes) fails.
                kept.forEach(KeptDataset::close);
                throw unreadable(source, e);
            }
        }
        LocalDate dataCut = request.asOf() != null ? request.asOf() : latestDate(summaries, request.inputDir());

        List<TableCounts> counts = new ArrayList<>();
        for (TableSpec spec : Schemas.ALL) {
            Optional<TableSource> source = sources.stream().filter(s -> s.spec() == spec).findFirst();
            Summary summary = summaries.get(spec.name());
            counts.add(summary == null
                    ? new TableCounts(spec.name(), Optional.empty(), "absent", 0, 0, 0, 0, new TreeMap<>())
                    : new TableCounts(spec.name(), source.map(s -> s.path().toString()),
                            source.map(s -> s.format().label()).orElse("absent"), summary.rowsRead,
                            summary.rowsRead - summary.rejected() - summary.afterCut, summary.afterCut,
                            summary.dischargesAfterCut, summary.rejectedByReason));
        }
        for (TableCounts c : counts) {
            LOG.info("validate {}: {} rows read, {} loaded, {} after the data cut, {} quarantined ({})", c.table(),
                    c.rowsRead(), c.rowsLoaded(), c.afterDataCut(), c.rowsRejected(), c.reasonsText());
        }

        Map<String, Dataset<Row>> valid = new LinkedHashMap<>();
        List<Dataset<Row>> quarantined = new ArrayList<>();
        for (TableSpec spec : Schemas.ALL) {
            Dataset<Row> rows = checked.get(spec.name());
            if (rows == null) {
                valid.put(spec.name(), spark.createDataFrame(List.of(), spec.typedSchema()));
                continue;
            }
            RawTable table = raw.get(spec.name());
            List<Column> columns = new ArrayList<>();
            spec.columnNames().forEach(c -> columns.add(col(TableReader.quote(c))));
            table.extraColumns().forEach(c -> columns.add(col(TableReader.quote(c))));
            Dataset<Row> good = rows.where(col(REASON).isNull().and(col(AFTER_CUT).unary_$bang()))
                    .select(columns.toArray(Column[]::new));
            if (spec == Schemas.EPISODES && request.asOf() != null) {
                good = censorDischargesAfter(good, request.asOf());
            }
            valid.put(spec.name(), good);
            if (summaries.get(spec.name()).rejected() > 0) {
                // A table with nothing rejected needs no second pass to look for its rejected rows.
                quarantined.add(quarantineRows(rows, table, dataCut));
            }
        }
        Dataset<Row> quarantine = quarantined.stream().reduce(Dataset::unionAll)
                .orElseGet(() -> spark.createDataFrame(List.of(), Quarantine.SCHEMA));
        return new LoadedInput(valid, quarantine, counts, dataCut, request.asOf() != null, sources, List.copyOf(kept));
    }

    private static InputRejectedException unreadable(TableSource source, Exception e) {
        return new InputRejectedException(source.path() + ": cannot be read as " + source.format().label()
                + " (" + TableReader.firstLine(e) + "); expected " + TableReader.expectation(source), e);
    }

    private static Dataset<Row> keep(List<KeptDataset> kept, Dataset<Row> table, String what) {
        KeptDataset k = KeptDataset.of(table, StorageLevel.MEMORY_AND_DISK(), what);
        kept.add(k);
        return k.rows();
    }

    /** Fails the run when a table's quarantined share is above the limit (SPEC: default 5%). */
    public static void enforceRejectRate(List<TableCounts> counts, double maxRejectRate) {
        for (TableCounts c : counts) {
            if (c.rejectRate() > maxRejectRate) {
                throw new InputRejectedException(c.source().orElse(c.table()) + ": " + c.rowsRejected() + " of "
                        + c.rowsRead() + " rows (" + String.format(java.util.Locale.ROOT, "%.2f%%", 100 * c.rejectRate())
                        + ") broke a rule, more than --max-reject-rate " + maxRejectRate + " allows; reasons: "
                        + c.reasonsText());
            }
        }
    }

    /** An episode discharged after the cut was still in care at the cut. */
    static Dataset<Row> censorDischargesAfter(Dataset<Row> episodes, LocalDate cut) {
        Column after = col("discharge_date").gt(lit(cut));
        return episodes
                .withColumn("discharge_reason", when(after, lit(null).cast(DataTypes.StringType))
                        .otherwise(col("discharge_reason")))
                .withColumn("discharge_date", when(after, lit(null).cast(DataTypes.DateType))
                        .otherwise(col("discharge_date")));
    }

    private static Dataset<Row> quarantineRows(Dataset<Row> rows, RawTable table, LocalDate runDate) {
        TableSpec spec = table.spec();
        String file = table.file();
        // A row refused by a reference rule was valid on its own: its values as loaded are the row as written.
        List<Column> values = new ArrayList<>();
        table.columns().forEach(c -> values.add(col(TableReader.quote(c)).cast(DataTypes.StringType).as(c)));
        Column asStruct = struct(values.toArray(Column[]::new));
        Column rebuilt = table.source().format() == InputFormat.CSV ? to_csv(asStruct) : to_json(asStruct);
        Column first = element_at(col(RowChecks.PROBLEMS), 1);
        Column detail = array_join(
                transform(col(RowChecks.PROBLEMS), p -> p.getField("detail")), "; ");
        return rows.where(col(REASON).isNotNull()).select(
                lit(runDate).as("run_date"),
                lit(spec.name()).as("table_name"),
                lit(file).as("source_file"),
                first.getField("reason").as("reason"),
                first.getField("column_name").as("column_name"),
                first.getField("value").as("value"),
                detail.as("detail"),
                coalesce(col(TableReader.RAW_TEXT), rebuilt).as("raw_row"));
    }

    private record Summary(long rowsRead, long afterCut, long dischargesAfterCut, LocalDate latestValidDate,
                           TreeMap<String, Long> rejectedByReason) {
        long rejected() {
            return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Summary summarize(TableSpec spec, Dataset<Row> rows, LocalDate asOf) {
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)).as("rows"));
        aggregates.add(sum(when(col(AFTER_CUT), 1).otherwise(0)).cast("long").as("after_cut"));
        Column dischargeAfter = spec == Schemas.EPISODES && asOf != null
                ? when(col("discharge_date").gt(lit(asOf)).and(col(AFTER_CUT).unary_$bang()), 1).otherwise(0)
                : lit(0);
        aggregates.add(sum(dischargeAfter).cast("long").as("discharges_after_cut"));
        List<String> dateColumns = spec.columns().stream().filter(c -> c.type() == ColumnType.DATE)
                .map(ColumnSpec::name).toList();
        for (String date : dateColumns) {
            aggregates.add(max(col(date)).as("max_" + date));
        }
        List<Row> groups = rows.groupBy(col(REASON))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .collectAsList();
        long read = 0;
        long afterCut = 0;
        long dischargesAfter = 0;
        LocalDate latest = null;
        TreeMap<String, Long> rejected = new TreeMap<>();
        for (Row group : groups) {
            long n = group.getLong(group.fieldIndex("rows"));
            read += n;
            String reason = group.getString(group.fieldIndex(REASON));
            if (reason != null) {
                rejected.merge(reason, n, Long::sum);
                continue;
            }
            afterCut += group.getLong(group.fieldIndex("after_cut"));
            dischargesAfter += group.getLong(group.fieldIndex("discharges_after_cut"));
            for (String date : dateColumns) {
                java.sql.Date value = group.getDate(group.fieldIndex("max_" + date));
                if (value != null && (latest == null || value.toLocalDate().isAfter(latest))) {
                    latest = value.toLocalDate();
                }
            }
        }
        return new Summary(read, afterCut, dischargesAfter, latest, rejected);
    }

    private static LocalDate latestDate(Map<String, Summary> summaries, String inputDir) {
        return summaries.values().stream().map(Summary::latestValidDate).filter(java.util.Objects::nonNull)
                .max(LocalDate::compareTo)
                .orElseThrow(() -> new InputRejectedException(inputDir + ": no valid dated row in any table, so "
                        + "there is no data cut; expected at least one valid episode"));
    }
}
