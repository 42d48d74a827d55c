package org.iopoutcomes.input;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * An input table of the contract: its name, whether the job needs it, its columns, and the date column
 * that places a row in time (for the future-date rule and the data cut).
 */
public record TableSpec(String name, boolean required, List<ColumnSpec> columns, String eventDateColumn) {

    public Optional<ColumnSpec> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }

    /** The validated, typed schema of the contract columns (extra columns follow as strings). */
    public StructType typedSchema() {
        StructField[] fields = columns.stream()
                .map(c -> DataTypes.createStructField(c.name(), c.type().sparkType(), !c.required()))
                .toArray(StructField[]::new);
        return DataTypes.createStructType(fields);
    }
}
