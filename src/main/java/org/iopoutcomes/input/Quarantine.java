package org.iopoutcomes.input;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The schema of the quarantine table (restricted tree): one row per rejected input row. */
public final class Quarantine {
    private Quarantine() {}

    public static final StructType SCHEMA = new StructType()
            .add("run_date", DataTypes.DateType, false)
            .add("table_name", DataTypes.StringType, false)
            .add("source_file", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, false)
            .add("column_name", DataTypes.StringType, true)
            .add("value", DataTypes.StringType, true)
            .add("detail", DataTypes.StringType, false)
            .add("raw_row", DataTypes.StringType, true);
}
