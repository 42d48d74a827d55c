package org.iopoutcomes.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iopoutcomes.publish.Disclosure;

/**
 * Small-cell suppression of a long summary table (one row per stratum value and key), by column groups: a group
 * is a set of people counts and the values computed from them, hidden together. The table declares its relations
 * ({@link Spec}): the additive axes along which rows add up to a line total (the stratum values of a stratum add up
 * to the overall row), the counts inside a row that add up (episodes = discharged + still in care), the groups that
 * are parts of one total shown in the row, and columns computed across a line. Every count becomes a cell of a
 * {@link Disclosure}: counts of 1 to threshold-1 are hidden (primary), then more cells are hidden until no hidden
 * cell, and no small count the row relations imply, can be narrowed by an attacker to a range under the threshold
 * (complementary, checked by linear programming). A row whose base count (the first group) is hidden is hidden
 * whole. Hidden cells are emptied and the row's {@code suppressed} flag is set. The table is an aggregate:
 * collecting it is collecting a few hundred rows.
 */
public final class PublishedSuppression {
    /**
     * Counts of people and the values computed from them.
     *
     * @param hiddenWhen  a boolean column that hides the group in its row whatever its counts (null: none); it is
     *                    not published
     * @param safetyCount the counts are a safety signal (overdoses after abstinence): hidden from 0 to threshold-1,
     *                    so a hidden one reads "fewer than the threshold (may be 0)" and never says there were any
     * @param partOf      counts of other groups that this group's counts are parts of (overdoses after abstinence
     *                    are some of the relapses after abstinence): where one of them is hidden, so is this group,
     *                    or a shown part would bound the hidden total from below
     */
    public record ColumnGroup(List<String> counts, List<String> derived, String hiddenWhen, boolean safetyCount,
                              List<String> partOf) {
        public ColumnGroup {
            counts = List.copyOf(counts);
            derived = List.copyOf(derived);
            partOf = List.copyOf(partOf);
        }

        public ColumnGroup(List<String> counts, List<String> derived) {
            this(counts, derived, null, false, List.of());
        }

        public ColumnGroup(List<String> counts, List<String> derived, String hiddenWhen) {
            this(counts, derived, hiddenWhen, false, List.of());
        }

        /** A safety count ({@code safetyCount}), part of the counts {@code partOf} of other groups. */
        public static ColumnGroup safetyCount(List<String> counts, List<String> derived, List<String> partOf) {
            return new ColumnGroup(counts, derived, null, true, partOf);
        }
    }

    private PublishedSuppression() {}

    /**
     * @param table the aggregate table
     * @param keys columns that name a cell (the stratum value among them); never hidden
     * @param valueColumn the column whose values add up to a stratum's total (e.g. stratum_value)
     * @param groups column groups; the first is the row's base (hiding it hides the row)
     * @param suppression the threshold rule
     */
    public static Dataset<Row> apply(Dataset<Row> table, List<String> keys, String valueColumn,
                                     List<ColumnGroup> groups, SmallCellSuppression suppression) {
        return apply(table, keys, valueColumn, groups, List.of(), suppression);
    }

    /**
     * As {@link #apply(Dataset, List, String, List, SmallCellSuppression)}, with sets of groups (indexes into
     * {@code groups}) whose counts add up within a row: where one group of a set is hidden, the whole set is.
     */
    public static Dataset<Row> apply(Dataset<Row> table, List<String> keys, String valueColumn,
                                     List<ColumnGroup> groups, List<List<Integer>> partsOfOneTotal,
                                     SmallCellSuppression suppression) {
        return apply(table, keys, List.of(List.of(valueColumn)), groups, partsOfOneTotal, suppression);
    }

    /**
     * The general form.
     *
     * @param additiveAxes each axis is a set of key columns: the rows that differ only in those columns add up to a
     *                     total that is, or may be, published (the stratum values of one stratum add up to the
     *                     overall row)
     */
    public static Dataset<Row> apply(Dataset<Row> table, List<String> keys, List<List<String>> additiveAxes,
                                     List<ColumnGroup> groups, List<List<Integer>> partsOfOneTotal,
                                     SmallCellSuppression suppression) {
        List<Axis> axes = new ArrayList<>();
        for (List<String> axis : additiveAxes) {
            axes.add(new Axis(axis, keys.contains("stratum") && axis.contains("stratum_value")
                    ? List.of("stratum") : List.of()));
        }
        return apply(table, new Spec("table", keys, axes, groups, partsOfOneTotal, List.of(), List.of()),
                suppression);
    }

    /**
     * An additive axis: the rows that differ only in {@code columns} add up to a line total. Lines that differ only
     * in {@code sameTotalAcross} have the same total (every stratum's values add up to the overall population; the
     * line whose stratum is {@code overall} is that total). A line total no row of the table shows is taken as
     * known to the reader (it may be published elsewhere).
     */
    public record Axis(List<String> columns, List<String> sameTotalAcross) {}

    /**
     * Within a row, {@code total} = sum of {@code parts} + {@code impliedPart} (a count no column shows, such as the
     * episodes still in care: episodes less discharged; null when the parts make the total). The implied part adds
     * up along the axes like the others.
     */
    public record RowRelation(String total, List<String> parts, String impliedPart) {
        public static RowRelation exact(String total, String... parts) {
            return new RowRelation(total, List.of(parts), null);
        }

        public static RowRelation withRest(String total, String rest, String... parts) {
            return new RowRelation(total, List.of(parts), rest);
        }
    }

    /**
     * A column computed from every row of a line of axis {@code axis} (e.g. a trend test across levels): hidden in
     * the whole line when any count of {@code groups} in the line is hidden.
     */
    public record LineDerived(String column, int axis, List<Integer> groups) {}

    /**
     * What a table declares to the disclosure layer. {@code sameAcross}: a count column that repeats on the rows
     * that differ only in the given key columns (the episodes of a stratum on every horizon row) is one cell, so
     * it is hidden on all of those rows or on none.
     */
    public record Spec(String table, List<String> keys, List<Axis> axes, List<ColumnGroup> groups,
                       List<List<Integer>> partsOfOneTotal, List<RowRelation> rowRelations,
                       List<LineDerived> lineDerived, Map<String, List<String>> sameAcross) {
        public Spec(String table, List<String> keys, List<Axis> axes, List<ColumnGroup> groups,
                    List<List<Integer>> partsOfOneTotal, List<RowRelation> rowRelations,
                    List<LineDerived> lineDerived) {
            this(table, keys, axes, groups, partsOfOneTotal, rowRelations, lineDerived, Map.of());
        }

        /** The key of a cell of {@code column} in a row: the row's key values, but those the column repeats across. */
        String cellKey(Row row, StructType schema, String column) {
            List<String> across = sameAcross.getOrDefault(column, List.of());
            return keys.stream().map(k -> across.contains(k) ? "*" : String.valueOf(row.get(schema.fieldIndex(k))))
                    .collect(Collectors.joining("|"));
        }

        /** The key columns every one of the given columns repeats across. */
        List<String> commonAcross(List<String> columns) {
            List<String> common = new ArrayList<>(keys);
            for (String c : columns) {
                common.retainAll(sameAcross.getOrDefault(c, List.of()));
            }
            return common;
        }
    }

    /**
     * Suppresses the table as its spec declares: every count is a cell of a {@link Disclosure}, with the row
     * relations and the axes' line totals as relations; primary and complementary suppression run over all of
     * them, checked by the attacker's bounds, with a column group hidden whole when one of its counts is.
     */
    public static Dataset<Row> apply(Dataset<Row> table, Spec spec, SmallCellSuppression suppression) {
        Disclosure d = new Disclosure();
        Registered registered = register(d, table, spec);
        Disclosure.Protection protection = d.protect(suppression.threshold(), registered::close);
        return registered.finish(protection.hidden().clone());
    }

    /**
     * A table's cells and relations registered in a {@link Disclosure} shared with other tables (one protection
     * over every published table, so a count of one table cannot be read from another's), and what hides its
     * column groups once the shared protection has decided.
     */
    public static final class Registered {
        private final Dataset<Row> table;
        private final Spec spec;
        private final StructType schema;
        private final List<Row> rows;
        private final List<Map<String, Integer>> cellOf;
        private final List<Map<String, List<Integer>>> linesOfAxis;
        private final boolean[][] forced;

        private Registered(Dataset<Row> table, Spec spec, StructType schema, List<Row> rows,
                           List<Map<String, Integer>> cellOf, List<Map<String, List<Integer>>> linesOfAxis,
                           boolean[][] forced) {
            this.table = table;
            this.spec = spec;
            this.schema = schema;
            this.rows = rows;
            this.cellOf = cellOf;
            this.linesOfAxis = linesOfAxis;
            this.forced = forced;
        }

        public Spec spec() {
            return spec;
        }

        /** The rows in key order, as registered. */
        public List<Row> rows() {
            return rows;
        }

        /** The row's key as the cells' keys carry it: the key columns' values joined by '|'. */
        public String rowKey(int i) {
            Row row = rows.get(i);
            return spec.keys().stream().map(k -> String.valueOf(row.get(schema.fieldIndex(k))))
                    .collect(Collectors.joining("|"));
        }

        /** The cell of a count column in row i, or null (a null count is no cell). */
        public Integer cell(int i, String column) {
            return cellOf.get(i).get(column);
        }

        /**
         * The column groups the hidden cells hide, and every count of those groups hidden in turn (a pure function
         * of the hidden cells: the protection tries complements on copies).
         */
        public void close(boolean[] cellsHidden) {
            hideGroups(cellsHidden);
        }

        private boolean[][] hideGroups(boolean[] cellsHidden) {
            List<ColumnGroup> groups = spec.groups();
            int n = rows.size();
            boolean[][] groupHidden = new boolean[groups.size()][];
            for (int g = 0; g < groups.size(); g++) {
                groupHidden[g] = forced[g].clone();
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int row = 0; row < n; row++) {
                    final int i = row;
                    Map<String, Integer> cells = cellOf.get(i);
                    for (int g = 0; g < groups.size(); g++) {
                        for (String c : groups.get(g).counts()) {
                            Integer cell = cells.get(c);
                            groupHidden[g][i] |= cell != null && cellsHidden[cell];
                        }
                    }
                    for (List<Integer> parts : spec.partsOfOneTotal()) {
                        if (parts.stream().anyMatch(g -> groupHidden[g][i])) {
                            parts.forEach(g -> groupHidden[g][i] = true);
                        }
                    }
                    for (int g = 0; g < groups.size(); g++) {
                        for (String whole : groups.get(g).partOf()) {
                            Integer cell = cells.get(whole);
                            if (cell != null && cellsHidden[cell]) {
                                groupHidden[g][i] = true;
                            }
                        }
                    }
                    if (groupHidden[0][i]) {
                        for (boolean[] group : groupHidden) {
                            group[i] = true;
                        }
                    }
                    for (int g = 0; g < groups.size(); g++) {
                        if (!groupHidden[g][i]) {
                            continue;
                        }
                        for (String c : groups.get(g).counts()) {
                            Integer cell = cells.get(c);
                            if (cell != null && !cellsHidden[cell]) {
                                cellsHidden[cell] = true;
                                changed = true;
                            }
                        }
                    }
                }
            }
            return groupHidden;
        }

        /** The published table: hidden cells emptied, line-derived columns emptied, the suppressed flag set. */
        public Dataset<Row> finish(boolean[] cellsHidden) {
            boolean[][] hidden = hideGroups(cellsHidden);
            List<Row> out = blank(rows, schema, spec.groups(), hidden);
            hideLines(out, schema, spec, linesOfAxis, hidden);
            Dataset<Row> result = table.sparkSession().createDataFrame(out, nullableWithFlag(schema, spec.keys()));
            for (ColumnGroup group : spec.groups()) {
                if (group.hiddenWhen() != null) {
                    result = result.drop(group.hiddenWhen());
                }
            }
            return result;
        }
    }

    /** Registers the table's cells and declared relations in {@code d}. */
    public static Registered register(Disclosure d, Dataset<Row> table, Spec spec) {
        StructType schema = table.schema();
        List<String> keys = spec.keys();
        List<ColumnGroup> groups = spec.groups();
        for (Axis axis : spec.axes()) {
            if (axis.columns().isEmpty() || !keys.containsAll(axis.columns())) {
                throw new IllegalArgumentException("additive axis " + axis + " is not a set of the keys " + keys);
            }
        }
        // Collected in key order: cells are registered in this order, and the complement is "the smallest, ties:
        // the first", so the order must not depend on partitioning.
        List<Row> rows = DeterministicPlan.require(table, "the table to be suppressed")
                .orderBy(keys.stream().map(org.apache.spark.sql.functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new))
                .collectAsList();
        int n = rows.size();
        List<Map<String, Integer>> cellOf = new ArrayList<>();
        List<String> countColumns = new ArrayList<>();
        for (ColumnGroup g : groups) {
            countColumns.addAll(g.counts());
        }
        for (RowRelation r : spec.rowRelations()) {
            if (r.impliedPart() != null) {
                countColumns.add(r.impliedPart());
            }
        }
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            Map<String, Integer> cells = new LinkedHashMap<>();
            for (ColumnGroup g : groups) {
                for (String c : g.counts()) {
                    int f = schema.fieldIndex(c);
                    if (!row.isNullAt(f)) {
                        int cell = d.shown(spec.table(), spec.cellKey(row, schema, c), c,
                                ((Number) row.get(f)).longValue());
                        if (g.safetyCount()) {
                            d.safety(cell);
                        }
                        cells.put(c, cell);
                    }
                }
            }
            for (RowRelation r : spec.rowRelations()) {
                if (!cells.containsKey(r.total()) || !r.parts().stream().allMatch(cells::containsKey)) {
                    continue;
                }
                long rest = ((Number) row.get(schema.fieldIndex(r.total()))).longValue();
                for (String part : r.parts()) {
                    rest -= ((Number) row.get(schema.fieldIndex(part))).longValue();
                }
                List<Integer> parts = new ArrayList<>(r.parts().stream().map(cells::get).toList());
                if (r.impliedPart() != null) {
                    List<String> members = new ArrayList<>(r.parts());
                    members.add(r.total());
                    List<String> across = spec.commonAcross(members);
                    String impliedKey = keys.stream()
                            .map(k -> across.contains(k) ? "*" : String.valueOf(row.get(schema.fieldIndex(k))))
                            .collect(Collectors.joining("|"));
                    int implied = d.implied(spec.table(), impliedKey, r.impliedPart(), rest);
                    cells.put(r.impliedPart(), implied);
                    parts.add(implied);
                }
                d.sum(cells.get(r.total()), parts);
            }
            cellOf.add(cells);
        }
        List<Map<String, List<Integer>>> linesOfAxis = new ArrayList<>();
        for (int a = 0; a < spec.axes().size(); a++) {
            Axis axis = spec.axes().get(a);
            Map<String, List<Integer>> lines = lines(rows, schema, keys, axis.columns());
            linesOfAxis.add(lines);
            // line totals: shared across sameTotalAcross; implied when a line of the group is the overall's
            Map<String, List<String>> totalGroups = new LinkedHashMap<>();
            Map<String, Boolean> overallShown = new LinkedHashMap<>();
            for (var line : lines.entrySet()) {
                Row first = rows.get(line.getValue().get(0));
                String totalKey = keys.stream().filter(k -> !axis.columns().contains(k))
                        .map(k -> axis.sameTotalAcross().contains(k) ? "*" : String.valueOf(first.get(schema.fieldIndex(k))))
                        .collect(Collectors.joining("|"));
                totalGroups.computeIfAbsent(totalKey, k -> new ArrayList<>()).add(line.getKey());
                // the overall row is the total of every stratum's values, so that total is a cell like the others
                boolean isOverall = axis.sameTotalAcross().contains("stratum")
                        && "overall".equals(first.get(schema.fieldIndex("stratum")));
                overallShown.merge(totalKey, isOverall, Boolean::logicalOr);
            }
            for (var totalGroup : totalGroups.entrySet()) {
                for (String column : countColumns) {
                    Integer total = null;
                    long totalValue = -1;
                    for (String lineKey : totalGroup.getValue()) {
                        List<Integer> cells = new ArrayList<>();
                        long sum = 0;
                        for (int i : lines.get(lineKey)) {
                            Integer c = cellOf.get(i).get(column);
                            if (c != null) {
                                cells.add(c);
                                sum += d.value(c);
                            }
                        }
                        if (cells.isEmpty()) {
                            continue;
                        }
                        if (total == null || sum != totalValue) {
                            // the first line of the group, or a line whose total differs (a population the
                            // declaration took for the same): its own total
                            String key = "axis" + a + ":" + totalGroup.getKey() + (total == null ? "" : ":" + lineKey);
                            total = overallShown.get(totalGroup.getKey())
                                    ? d.implied(spec.table(), key, column, sum)
                                    : d.known(spec.table(), key, column, sum);
                            totalValue = sum;
                        }
                        d.sum(total, cells);
                    }
                }
            }
        }
        boolean[][] forced = new boolean[groups.size()][n];
        for (int g = 0; g < groups.size(); g++) {
            String when = groups.get(g).hiddenWhen();
            if (when != null) {
                int field = schema.fieldIndex(when);
                for (int i = 0; i < n; i++) {
                    forced[g][i] = rows.get(i).getBoolean(field);
                }
            }
        }
        return new Registered(table, spec, schema, rows, cellOf, linesOfAxis, forced);
    }

    /** Rows by line of an axis: the key columns other than the axis's, joined. */
    private static Map<String, List<Integer>> lines(List<Row> rows, StructType schema, List<String> keys,
                                                    List<String> axis) {
        List<Integer> fields = keys.stream().filter(k -> !axis.contains(k)).map(schema::fieldIndex).toList();
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            lines.computeIfAbsent(fields.stream().map(f -> String.valueOf(row.get(f)))
                    .collect(Collectors.joining("\u0001")), k -> new ArrayList<>()).add(i);
        }
        return lines;
    }

    /** Line-derived columns: emptied in every row of a line where a count of their groups is hidden. */
    private static void hideLines(List<Row> out, StructType schema, Spec spec,
                                  List<Map<String, List<Integer>>> linesOfAxis, boolean[][] hidden) {
        for (LineDerived derived : spec.lineDerived()) {
            int field = schema.fieldIndex(derived.column());
            for (List<Integer> line : linesOfAxis.get(derived.axis()).values()) {
                boolean any = line.stream().anyMatch(i -> derived.groups().stream().anyMatch(g -> hidden[g][i]));
                if (!any) {
                    continue;
                }
                for (int i : line) {
                    Object[] values = new Object[out.get(i).size()];
                    for (int f = 0; f < values.length; f++) {
                        values[f] = out.get(i).get(f);
                    }
                    values[field] = null;
                    values[values.length - 1] = true;
                    out.set(i, RowFactory.create(values));
                }
            }
        }
    }

    /** Empties hidden cells and appends the suppressed column. */
    private static List<Row> blank(List<Row> rows, StructType schema, List<ColumnGroup> groups, boolean[][] hidden) {
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Object[] values = new Object[schema.size() + 1];
            for (int f = 0; f < schema.size(); f++) {
                values[f] = rows.get(i).get(f);
            }
            boolean any = false;
            for (int g = 0; g < groups.size(); g++) {
                if (!hidden[g][i]) {
                    continue;
                }
                any = true;
                for (String column : groups.get(g).counts()) {
                    values[schema.fieldIndex(column)] = null;
                }
                for (String column : groups.get(g).derived()) {
                    values[schema.fieldIndex(column)] = null;
                }
            }
            values[schema.size()] = any;
            out.add(RowFactory.create(values));
        }
        return out;
    }

    private static StructType nullableWithFlag(StructType schema, List<String> keys) {
        List<StructField> fields = new ArrayList<>();
        for (StructField field : schema.fields()) {
            fields.add(keys.contains(field.name()) ? field
                    : DataTypes.createStructField(field.name(), field.dataType(), true));
        }
        fields.add(DataTypes.createStructField("suppressed", DataTypes.BooleanType, false));
        return DataTypes.createStructType(fields);
    }
}
