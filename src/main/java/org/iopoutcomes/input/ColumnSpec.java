package org.iopoutcomes.input;

import java.util.List;

/**
 * One column of an input table: its type, whether a value is required, and for codes the allowed values.
 *
 * @param name column name as it appears in the file header
 * @param type logical type
 * @param required an empty value breaks the rule {@code missing_value}
 * @param codes allowed values for {@link ColumnType#CODE} columns (lower case), empty otherwise
 */
public record ColumnSpec(String name, ColumnType type, boolean required, List<String> codes) {
    public static ColumnSpec required(String name, ColumnType type) {
        return new ColumnSpec(name, type, true, List.of());
    }

    public static ColumnSpec optional(String name, ColumnType type) {
        return new ColumnSpec(name, type, false, List.of());
    }

    public static ColumnSpec requiredCode(String name, List<String> codes) {
        return new ColumnSpec(name, ColumnType.CODE, true, codes);
    }

    public static ColumnSpec optionalCode(String name, List<String> codes) {
        return new ColumnSpec(name, ColumnType.CODE, false, codes);
    }
}
