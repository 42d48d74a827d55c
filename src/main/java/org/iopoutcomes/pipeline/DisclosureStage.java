package org.iopoutcomes.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.iopoutcomes.continuity.ContinuityEffect;
import org.iopoutcomes.continuity.DoseResponse;
import org.iopoutcomes.metrics.PointPrevalence;
import org.iopoutcomes.metrics.PublishedSuppression;
import org.iopoutcomes.metrics.RelapseSummary;
import org.iopoutcomes.publish.PublishedPrecision;
import org.iopoutcomes.publish.Disclosure;
import org.iopoutcomes.retention.RetentionTables;

/**
 * The one disclosure-control pass of a run (SPEC section 5, issue 13): every published summary table is registered
 * in one {@link Disclosure} with the relations it declares, the relations between tables are declared here (the
 * same people counted in two tables), the counts the curves already publish are taken as known, and primary and
 * complementary suppression run over all of them together. A count hidden in one table can then not be read from
 * another.
 */
public final class DisclosureStage {
    private DisclosureStage() {}

    /** The summary tables before disclosure control: every count as it is, with their not-published flags. */
    public record Input(Dataset<Row> retentionSummary, Dataset<Row> retentionCurve, Dataset<Row> relapseSummary,
                        Dataset<Row> relapseCurve, RelapseSummary.PublishedGray relapseGray,
                        Dataset<Row> continuityEffect, Dataset<Row> doseResponse, Dataset<Row> pointPrevalence) {}

    /** The published tables. */
    public record Output(Dataset<Row> retentionSummary, Dataset<Row> retentionCurve, Dataset<Row> relapseSummary,
                         Dataset<Row> relapseCurve,
                         Dataset<Row> continuityEffect, Dataset<Row> doseResponse, Dataset<Row> pointPrevalence) {}

    /** Writes the published tables and returns their row counts by name. */
    public static Map<String, Long> run(Input input, int threshold, OutputFiles files,
                                        Path published) {
        Output out = protect(input, threshold);
        files.parquetAndCsv(out.retentionSummary(), published, "retention_summary");
        files.parquetAndCsv(out.retentionCurve(), published, "retention_curve");
        // p- and q-values at 2 significant digits in the published copies only
        files.parquetAndCsv(PublishedPrecision.apply(out.relapseSummary(), RelapseSummary.SUMMARY_PRECISION),
                published, RelapseStage.SUMMARY_TABLE);
        files.parquetAndCsv(out.relapseCurve(), published, RelapseStage.CURVE_TABLE);
        files.parquetAndCsv(PublishedPrecision.apply(out.continuityEffect(), ContinuityEffect.PRECISION), published,
                ContinuityEffect.TABLE);
        files.parquetAndCsv(PublishedPrecision.apply(out.doseResponse(), DoseResponse.PRECISION), published,
                DoseResponse.TABLE);
        files.parquetAndCsv(out.pointPrevalence(), published, PointPrevalence.TABLE);
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("retention_summary", out.retentionSummary().count());
        rows.put("retention_curve", out.retentionCurve().count());
        rows.put(RelapseStage.SUMMARY_TABLE, out.relapseSummary().count());
        rows.put(RelapseStage.CURVE_TABLE, out.relapseCurve().count());
        rows.put(ContinuityEffect.TABLE, out.continuityEffect().count());
        rows.put(DoseResponse.TABLE, out.doseResponse().count());
        rows.put(PointPrevalence.TABLE, out.pointPrevalence().count());
        return rows;
    }

    /** The tables as they may be published. */
    public static Output protect(Input input, int threshold) {
        // propagation only in the nightly; the test suite's attacker audits the result with linear programmes
        Disclosure d = new Disclosure().linearProgrammes(false);
        PublishedSuppression.Registered retention = PublishedSuppression.register(d, input.retentionSummary(),
                RetentionTables.DISCLOSURE_SPEC);
        PublishedSuppression.Registered relapse = PublishedSuppression.register(d, input.relapseSummary(),
                RelapseStage.SUMMARY_SPEC);
        PublishedSuppression.Registered effect = PublishedSuppression.register(d, input.continuityEffect(),
                ContinuityEffect.SPEC);
        PublishedSuppression.Registered dose = PublishedSuppression.register(d, input.doseResponse(),
                DoseResponse.SPEC);
        PublishedSuppression.Registered prevalence = PublishedSuppression.register(d, input.pointPrevalence(),
                PointPrevalence.DISCLOSURE_SPEC);
        acrossTables(d, retention, relapse, effect, dose);
        List<PublishedSuppression.Registered> all = List.of(retention, relapse, effect, dose, prevalence);
        Disclosure.Protection protection = d.protect(threshold, hidden -> {
            for (PublishedSuppression.Registered table : all) {
                table.close(hidden);
            }
        });
        boolean[] hidden = protection.hidden();
        // the overdose flag is for the staff, in the internal copy only (a safety count is a number or "fewer than
        // the threshold (may be 0)", never a flag)
        Dataset<Row> relapseSummary = relapse.finish(hidden.clone())
                .drop(RelapseStage.INTERNAL_ONLY_COLUMNS.toArray(String[]::new));
        List<String> retentionKey = List.of("stratum", "stratum_value");
        List<String> relapseKey = List.of("stratum", "stratum_value", "definition", "clock");
        Dataset<Row> retentionCurve = cut(input.retentionCurve(), curveCuts(retention, hidden, retentionKey,
                RetentionTables.OFF_GRID, List.of("n_at_risk")), retentionKey);
        Map<String, Integer> relapseCuts = curveCuts(relapse, hidden, relapseKey, RelapseSummary.OFF_GRID,
                List.of("at_risk", "relapses"));
        Dataset<Row> relapseCurve = cut(RelapseStage.publishedCurve(input.relapseCurve(), relapseSummary, threshold),
                relapseCuts, relapseKey);
        relapseSummary = grayTests(relapseSummary, input.relapseGray(), relapseCuts);
        return new Output(retention.finish(hidden.clone()), retentionCurve, relapseSummary, relapseCurve,
                ContinuityEffect.inPublishedOrder(effect.finish(hidden.clone())),
                DoseResponse.inPublishedOrder(dose.finish(hidden.clone())), prevalence.finish(hidden.clone()));
    }

    /**
     * Where a curve may go, decided after suppression (the curves follow the summaries, never the other way round):
     * a curve starts at its stratum value's episodes and, at a horizon on its grid, shows the number at risk (and
     * the relapses so far). So a curve whose episodes are hidden is not published, and one whose number at risk or
     * relapses at an on-grid horizon are hidden stops before that horizon. Between its grid days each interval
     * holds none or at least the threshold of each transition (CurveGrid), so what a curve shows beyond those cells
     * cannot split one; and a value whose curve is dropped joins the values pooled as "not shown", whose intervals
     * keep that property (a sum of counts each 0 or at least the threshold is one too).
     *
     * @return per curve key, the first day not published (0: no curve at all); keys absent are published whole
     */
    static Map<String, Integer> curveCuts(PublishedSuppression.Registered table, boolean[] hidden,
                                          List<String> keyColumns, String offGrid, List<String> horizonCells) {
        Map<String, Integer> cuts = new LinkedHashMap<>();
        for (int i = 0; i < table.rows().size(); i++) {
            Row row = table.rows().get(i);
            String key = key(row, keyColumns);
            Integer episodes = table.cell(i, "episodes");
            if (episodes != null && hidden[episodes]) {
                cuts.put(key, 0);
                continue;
            }
            if (row.<Boolean>getAs(offGrid)) {
                continue;
            }
            for (String column : horizonCells) {
                Integer cell = table.cell(i, column);
                if (cell != null && hidden[cell]) {
                    int horizon = ((Number) row.getAs("horizon_days")).intValue();
                    cuts.merge(key, horizon, Math::min);
                }
            }
        }
        return cuts;
    }

    /**
     * Gray's tests of the published relapse_summary, decided after suppression like the curves: per stratum, over
     * the values whose curves are published whole (no cut: the episodes, and the number at risk and the relapses at
     * every horizon on the grid, shown), and only when at least two are; else empty. The test is computed from
     * their curves' counts pooled per interval of the grid ({@link RelapseSummary.PublishedGray}), so it rests
     * only on counts the published curves give, each none or at least the threshold, never on a hidden one nor on
     * a value left out (a test over fewer values is a function of theirs alone).
     */
    static Dataset<Row> grayTests(Dataset<Row> publishedSummary, RelapseSummary.PublishedGray gray,
                                  Map<String, Integer> cuts) {
        return gray.fill(publishedSummary, g -> !cuts.containsKey(String.join("\u0001", g.stratum(),
                g.stratumValue(), g.definition(), g.clock()) + "\u0001"));
    }

    /** The curve without the days {@link #curveCuts} leaves out. */
    static Dataset<Row> cut(Dataset<Row> curve, Map<String, Integer> cuts, List<String> keyColumns) {
        if (cuts.isEmpty()) {
            return curve;
        }
        List<Row> rows = new ArrayList<>();
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
        for (String c : keyColumns) {
            schema = schema.add(c, org.apache.spark.sql.types.DataTypes.StringType, false);
        }
        schema = schema.add("cut_day", org.apache.spark.sql.types.DataTypes.IntegerType, false);
        for (Map.Entry<String, Integer> e : cuts.entrySet()) {
            String[] parts = e.getKey().split("\u0001", -1);
            Object[] values = new Object[keyColumns.size() + 1];
            System.arraycopy(parts, 0, values, 0, keyColumns.size());
            values[keyColumns.size()] = e.getValue();
            rows.add(org.apache.spark.sql.RowFactory.create(values));
        }
        Dataset<Row> cutDays = curve.sparkSession().createDataFrame(rows, schema);
        org.apache.spark.sql.Column[] order = keyColumns.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
        return curve.join(org.apache.spark.sql.functions.broadcast(cutDays),
                        scala.jdk.javaapi.CollectionConverters.asScala(keyColumns).toSeq(), "left")
                .where(org.apache.spark.sql.functions.col("cut_day").isNull()
                        .or(org.apache.spark.sql.functions.col("day").lt(org.apache.spark.sql.functions.col("cut_day"))))
                .drop("cut_day")
                .select(java.util.Arrays.stream(curve.columns()).map(org.apache.spark.sql.functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new))
                .orderBy(java.util.stream.Stream.concat(java.util.Arrays.stream(order),
                        java.util.stream.Stream.of(org.apache.spark.sql.functions.col("day")))
                        .toArray(org.apache.spark.sql.Column[]::new));
    }

    private static String key(Row row, List<String> columns) {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            b.append(String.valueOf(row.<Object>getAs(c))).append('\u0001');
        }
        return b.toString();
    }

    /**
     * The same people in two tables, per stratum value: the discharge clock's episodes of relapse_summary are
     * retention_summary's discharged; an admission-clock definition's episodes are some of its episodes (those
     * with a whole lattice); continuity_effect's discharged episodes of an exposure (the IOP discharges) and the
     * episodes dose_response compares are some of its discharged.
     */
    private static void acrossTables(Disclosure d, PublishedSuppression.Registered retention,
                                     PublishedSuppression.Registered relapse, PublishedSuppression.Registered effect,
                                     PublishedSuppression.Registered dose) {
        Map<String, Integer> episodes = new LinkedHashMap<>();
        Map<String, Integer> discharged = new LinkedHashMap<>();
        for (int i = 0; i < retention.rows().size(); i++) {
            String value = stratumValue(retention.rows().get(i));
            putIfPresent(episodes, value, retention.cell(i, "episodes"));
            putIfPresent(discharged, value, retention.cell(i, "discharged"));
        }
        java.util.Set<String> declared = new java.util.HashSet<>();
        for (int i = 0; i < relapse.rows().size(); i++) {
            Row row = relapse.rows().get(i);
            String value = stratumValue(row);
            Integer cell = relapse.cell(i, "episodes");
            String key = value + "|" + row.getAs("definition") + "|" + row.getAs("clock");
            if (cell == null || !declared.add("relapse|" + key)) {
                continue;
            }
            if ("discharge".equals(row.getAs("clock"))) {
                Integer total = discharged.get(value);
                if (total != null) {
                    d.same(total, cell);
                }
            } else {
                partOf(d, episodes.get(value), List.of(cell), "relapse_summary", key, "episodes_without_lattice");
            }
        }
        for (int i = 0; i < effect.rows().size(); i++) {
            Row row = effect.rows().get(i);
            String value = stratumValue(row);
            Integer cell = effect.cell(i, "discharged_episodes");
            String key = value + "|" + row.getAs("exposure");
            if (cell != null && declared.add("effect|" + key)) {
                partOf(d, discharged.get(value), List.of(cell), "continuity_effect", key, "discharges_not_compared");
            }
        }
        // dose_response: the levels of the first dimension at the first horizon (every line adds up to the same)
        Map<String, List<Integer>> levels = new LinkedHashMap<>();
        Map<String, String> firstLine = new LinkedHashMap<>();
        for (int i = 0; i < dose.rows().size(); i++) {
            Row row = dose.rows().get(i);
            String value = stratumValue(row);
            String line = row.getAs("dimension") + "|" + row.getAs("horizon_days");
            if (!firstLine.computeIfAbsent(value, v -> line).equals(line)) {
                continue;
            }
            Integer cell = dose.cell(i, "episodes");
            if (cell != null) {
                levels.computeIfAbsent(value, v -> new ArrayList<>()).add(cell);
            }
        }
        for (Map.Entry<String, List<Integer>> e : levels.entrySet()) {
            partOf(d, discharged.get(e.getKey()), e.getValue(), "dose_response", e.getKey(),
                    "discharges_not_compared");
        }
    }

    /** total = parts + a count never published (the rest); nothing when the total has no cell. */
    private static void partOf(Disclosure d, Integer total, List<Integer> parts, String table, String key,
                               String rest) {
        if (total == null) {
            return;
        }
        long value = d.value(total);
        for (int p : parts) {
            value -= d.value(p);
        }
        if (value < 0) {
            throw new IllegalStateException(table + " " + key + ": its counts exceed retention_summary's ("
                    + d.value(total) + "); the declared relation is wrong");
        }
        List<Integer> all = new ArrayList<>(parts);
        all.add(d.implied(table, key, rest, value));
        d.sum(total, all);
    }

    private static void putIfPresent(Map<String, Integer> map, String key, Integer cell) {
        if (cell != null) {
            map.put(key, cell);
        }
    }

    private static String stratumValue(Row row) {
        return row.getAs("stratum") + "|" + row.getAs("stratum_value");
    }
}
