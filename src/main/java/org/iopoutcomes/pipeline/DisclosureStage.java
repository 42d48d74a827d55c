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
import org.iopoutcomes.metrics.PublishedSuppression;
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
                        Dataset<Row> relapseCurve, Dataset<Row> continuityEffect, Dataset<Row> doseResponse) {}

    /** The published tables. */
    public record Output(Dataset<Row> retentionSummary, Dataset<Row> relapseSummary, Dataset<Row> relapseCurve,
                         Dataset<Row> continuityEffect, Dataset<Row> doseResponse) {}

    /** Writes the published tables and returns their row counts by name. */
    public static Map<String, Long> run(Input input, int threshold, int minAtRisk, OutputFiles files,
                                        Path published) {
        Output out = protect(input, threshold, minAtRisk);
        files.parquetAndCsv(out.retentionSummary(), published, "retention_summary");
        files.parquetAndCsv(out.relapseSummary(), published, RelapseStage.SUMMARY_TABLE);
        files.parquetAndCsv(out.relapseCurve(), published, RelapseStage.CURVE_TABLE);
        files.parquetAndCsv(out.continuityEffect(), published, ContinuityEffect.TABLE);
        files.parquetAndCsv(out.doseResponse(), published, DoseResponse.TABLE);
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("retention_summary", out.retentionSummary().count());
        rows.put(RelapseStage.SUMMARY_TABLE, out.relapseSummary().count());
        rows.put(RelapseStage.CURVE_TABLE, out.relapseCurve().count());
        rows.put(ContinuityEffect.TABLE, out.continuityEffect().count());
        rows.put(DoseResponse.TABLE, out.doseResponse().count());
        return rows;
    }

    /** The tables as they may be published. */
    public static Output protect(Input input, int threshold, int minAtRisk) {
        Disclosure d = new Disclosure();
        PublishedSuppression.Registered retention = PublishedSuppression.register(d, input.retentionSummary(),
                RetentionTables.DISCLOSURE_SPEC);
        PublishedSuppression.Registered relapse = PublishedSuppression.register(d, input.relapseSummary(),
                RelapseStage.SUMMARY_SPEC);
        PublishedSuppression.Registered effect = PublishedSuppression.register(d, input.continuityEffect(),
                ContinuityEffect.SPEC);
        PublishedSuppression.Registered dose = PublishedSuppression.register(d, input.doseResponse(),
                DoseResponse.SPEC);
        curvesPublish(d, retention, relapse, withCurve(input.retentionCurve(), List.of("stratum", "stratum_value")),
                withCurve(input.relapseCurve(), List.of("stratum", "stratum_value", "definition", "clock")),
                threshold, minAtRisk);
        acrossTables(d, retention, relapse, effect, dose);
        List<PublishedSuppression.Registered> all = List.of(retention, relapse, effect, dose);
        Disclosure.Protection protection = d.protect(threshold, hidden -> {
            for (PublishedSuppression.Registered table : all) {
                table.close(hidden);
            }
        });
        boolean[] hidden = protection.hidden();
        Dataset<Row> relapseSummary = relapse.finish(hidden.clone());
        return new Output(retention.finish(hidden.clone()), relapseSummary,
                RelapseStage.publishedCurve(input.relapseCurve(), relapseSummary),
                ContinuityEffect.inPublishedOrder(effect.finish(hidden.clone())),
                DoseResponse.inPublishedOrder(dose.finish(hidden.clone())));
    }

    /**
     * The counts the published curves show are known to every reader: a stratum value's curve starts at its
     * episodes (a value with a small episode count has none), and a horizon on its grid, before the curve stops,
     * shows the number at risk and the relapses so far. They are never chosen to protect another cell.
     */
    private static void curvesPublish(Disclosure d, PublishedSuppression.Registered retention,
                                      PublishedSuppression.Registered relapse, java.util.Set<String> retentionCurves,
                                      java.util.Set<String> relapseCurves, int threshold, int minAtRisk) {
        for (int i = 0; i < retention.rows().size(); i++) {
            Row row = retention.rows().get(i);
            if (retentionCurves.contains(key(row, List.of("stratum", "stratum_value")))) {
                fixIfShown(d, retention.cell(i, "episodes"), threshold);
            }
            if (!row.<Boolean>getAs(RetentionTables.OFF_GRID)) {
                fixIfShown(d, retention.cell(i, "n_at_risk"), threshold);
            }
        }
        for (int i = 0; i < relapse.rows().size(); i++) {
            Row row = relapse.rows().get(i);
            if (relapseCurves.contains(key(row, List.of("stratum", "stratum_value", "definition", "clock")))) {
                fixIfShown(d, relapse.cell(i, "episodes"), threshold);
            }
            Integer atRisk = relapse.cell(i, "at_risk");
            if (!row.<Boolean>getAs(org.iopoutcomes.metrics.RelapseSummary.OFF_GRID) && atRisk != null
                    && d.value(atRisk) >= Math.max(minAtRisk, threshold)) {
                fixIfShown(d, atRisk, threshold);
                fixIfShown(d, relapse.cell(i, "relapses"), threshold);
            }
        }
    }

    /** The stratum values (and definitions) that have a published curve: a few hundred keys. */
    private static java.util.Set<String> withCurve(Dataset<Row> curve, List<String> columns) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Row row : curve.select(columns.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)).distinct().collectAsList()) {
            keys.add(key(row, columns));
        }
        return keys;
    }

    private static String key(Row row, List<String> columns) {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            b.append(String.valueOf(row.<Object>getAs(c))).append('\u0001');
        }
        return b.toString();
    }

    private static void fixIfShown(Disclosure d, Integer cell, int threshold) {
        if (cell != null && (d.value(cell) == 0 || d.value(cell) >= threshold)) {
            d.fix(cell);
        }
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
