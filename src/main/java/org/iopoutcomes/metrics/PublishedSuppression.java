package org.iopoutcomes.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Small-cell suppression of a long summary table (one row per stratum value and key), by column groups: a group
 * is a set of people counts and the estimates built on them. A group is hidden in a row when one of its counts
 * is from 1 to threshold-1 (primary), and, per count column, where exactly one value of a stratum is hidden the
 * next smallest is hidden too (complementary, {@link SmallCellSuppression}), so totals give nothing away. A table
 * can add up along more than one axis (dose_response: the stratum values of a level, and the levels of a stratum
 * value); complementary suppression then runs along each until no line of any axis has one hidden cell. A row
 * whose base count (the first group) is hidden is hidden whole. Groups whose counts are parts of one total
 * shown in the row (e.g. exposed and unexposed of a cohort) are hidden together, or a hidden part would be
 * the total minus the others. A safety count ({@link ColumnGroup#safetyCount}) is hidden from 0 to threshold-1,
 * and with any count it is a part of. Hidden cells are emptied and the row's {@code suppressed} flag is set. The
 * table is an aggregate: collecting it is collecting a few hundred rows.
 */
public final class PublishedSuppression {
    /**
     * Counts of people and the values computed from them.
     *
     * @param safetyCount the counts are a safety signal (overdoses after abstinence): hidden from 0 to threshold-1,
     *                    so a hidden one reads "fewer than the threshold (may be 0)" and never says there were any
     *                    ({@link SmallCellSuppression#isBelowThreshold}); a lone hidden 0 takes a complement too
     * @param partOf      counts of other groups that this group's counts are parts of (overdoses after abstinence
     *                    are some of the relapses after abstinence): where one of them is hidden, so is this group,
     *                    or a shown part would bound the hidden total from below
     */
    public record ColumnGroup(List<String> counts, List<String> derived, boolean safetyCount, List<String> partOf) {
        public ColumnGroup {
            counts = List.copyOf(counts);
            derived = List.copyOf(derived);
            partOf = List.copyOf(partOf);
        }

        /** An ordinary group: counts hidden from 1 to threshold-1, zero shown. */
        public ColumnGroup(List<String> counts, List<String> derived) {
            this(counts, derived, false, List.of());
        }

        /** A safety count ({@code safetyCount}), part of the counts {@code partOf} of other groups. */
        public static ColumnGroup safetyCount(List<String> counts, List<String> derived, List<String> partOf) {
            return new ColumnGroup(counts, derived, true, partOf);
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
     *                     overall row); along every axis, no line is left with exactly one hidden cell
     */
    public static Dataset<Row> apply(Dataset<Row> table, List<String> keys, List<List<String>> additiveAxes,
                                     List<ColumnGroup> groups, List<List<Integer>> partsOfOneTotal,
                                     SmallCellSuppression suppression) {
        StructType schema = table.schema();
        for (List<String> axis : additiveAxes) {
            if (axis.isEmpty() || !keys.containsAll(axis)) {
                throw new IllegalArgumentException("additive axis " + axis + " is not a set of the keys " + keys);
            }
        }
        // Collected in key order: the complementary cell is "the smallest, ties: the first", so the order must not
        // depend on partitioning (KilledRunIT saw two runs on one input hide different cells).
        List<Row> rows = DeterministicPlan.require(table, "the table to be suppressed")
                .orderBy(keys.stream().map(org.apache.spark.sql.functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new))
                .collectAsList();
        int n = rows.size();
        boolean[][] hidden = new boolean[groups.size()][n];
        List<Integer> indexes = java.util.stream.IntStream.range(0, n).boxed().toList();
        // the groups holding each partOf count, per group
        List<List<Integer>> wholes = new ArrayList<>();
        for (ColumnGroup group : groups) {
            List<Integer> of = new ArrayList<>();
            for (String total : group.partOf()) {
                int holder = -1;
                for (int h = 0; h < groups.size(); h++) {
                    if (groups.get(h).counts().contains(total)) {
                        holder = h;
                    }
                }
                if (holder < 0) {
                    throw new IllegalArgumentException("partOf column " + total + " is a count of no group");
                }
                of.add(holder);
            }
            wholes.add(of);
        }
        List<List<Integer>> lineKeys = new ArrayList<>();
        for (List<String> axis : additiveAxes) {
            lineKeys.add(keys.stream().filter(k -> !axis.contains(k)).map(schema::fieldIndex).toList());
        }
        // Until nothing changes: a complement hidden in one column or along one axis can leave another column or
        // axis with a single hidden cell. Cells only ever become hidden, so this ends.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (List<Integer> line : lineKeys) {
                for (int g = 0; g < groups.size(); g++) {
                    boolean[] groupHidden = hidden[g];
                    for (String count : groups.get(g).counts()) {
                        int field = schema.fieldIndex(count);
                        boolean[] cells = suppression.hide(indexes,
                                i -> line.stream().map(k -> String.valueOf(rows.get(i).get(k)))
                                        .collect(Collectors.joining("\u0001")),
                                i -> rows.get(i).isNullAt(field) ? null : ((Number) rows.get(i).get(field)).longValue(),
                                i -> groupHidden[i], groups.get(g).safetyCount());
                        for (int i = 0; i < n; i++) {
                            changed |= cells[i] && !groupHidden[i];
                            groupHidden[i] |= cells[i];
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (List<Integer> parts : partsOfOneTotal) {
                    final int row = i;
                    if (parts.stream().anyMatch(g -> hidden[g][row])) {
                        for (int g : parts) {
                            changed |= !hidden[g][row];
                            hidden[g][row] = true;
                        }
                    }
                }
                for (int g = 0; g < groups.size(); g++) {
                    for (int whole : wholes.get(g)) {
                        if (hidden[whole][i] && !hidden[g][i]) {
                            hidden[g][i] = true;
                            changed = true;
                        }
                    }
                }
                if (hidden[0][i]) {
                    for (boolean[] group : hidden) {
                        changed |= !group[i];
                        group[i] = true;
                    }
                }
            }
        }
        List<Row> out = blank(rows, schema, groups, hidden);
        return table.sparkSession().createDataFrame(out, nullableWithFlag(schema, keys));
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
