package org.iopoutcomes.input;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The logical types of the input contract (SPEC section 2) and the Spark type each becomes once validated. */
public enum ColumnType {
    STRING(DataTypes.StringType),
    CODE(DataTypes.StringType),
    DATE(DataTypes.DateType),
    INT(DataTypes.IntegerType),
    BOOLEAN(DataTypes.BooleanType);

    private final DataType sparkType;

    ColumnType(DataType sparkType) {
        this.sparkType = sparkType;
    }

    public DataType sparkType() {
        return sparkType;
    }
}
