package org.iopoutcomes.input;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The rules one row can break on its own (types, codes, required values, future dates, the cross-field rules
 * of a table). Turns a {@link RawTable}'s string rows into typed rows with a {@link #PROBLEMS} column:
 * an array of (reason, column_name, value, detail), empty when the row is valid.
 */
public final class RowChecks {
    public static final String PROBLEMS = "_problems";

    private RowChecks() {}

    /** The value as written, trimmed; empty means absent. */
    static Column value(String column) {
        Column trimmed = trim(col(TableReader.quote(column)));
        return when(trimmed.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(trimmed);
    }

    static Column parsed(ColumnSpec spec) {
        Column v = value(spec.name());
        return switch (spec.type()) {
            case STRING, CODE -> v;
            case DATE -> when(v.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), v.try_cast(DataTypes.DateType));
            case INT -> when(v.rlike("^[+-]?[0-9]+$"), v.try_cast(DataTypes.IntegerType));
            case BOOLEAN -> when(lower(v).isin("true", "1"), lit(true))
                    .when(lower(v).isin("false", "0"), lit(false));
        };
    }

    static Column problem(String reason, String column, Column value, Column detail) {
        return struct(lit(reason).as("reason"), lit(column).as("column_name"),
                value.cast(DataTypes.StringType).as("value"), detail.as("detail"));
    }

    private static Column quoted(Column v) {
        return concat(lit("'"), v, lit("'"));
    }

    /** Typed contract columns, extra columns as strings, the raw text, and the row's problems. */
    public static Dataset<Row> check(RawTable table, LocalDate today) {
        TableSpec spec = table.spec();
        List<Column> problems = new ArrayList<>();
        for (ColumnSpec column : spec.columns()) {
            problems.addAll(columnProblems(column, today));
        }
        problems.addAll(tableProblems(spec));
        Column malformed = array(problem(QuarantineReason.MALFORMED_ROW, null, lit(null),
                lit("the line does not split into the header's " + table.columns().size() + " columns")));
        Column allProblems = when(col(TableReader.MALFORMED), malformed)
                .otherwise(array_compact(array(problems.toArray(Column[]::new))));

        List<Column> out = new ArrayList<>();
        for (ColumnSpec column : spec.columns()) {
            out.add(parsed(column).as(column.name()));
        }
        for (String extra : table.extraColumns()) {
            out.add(value(extra).as(extra));
        }
        // The raw text is kept only for rows already broken: carrying it for millions of valid rows through the
        // reference joins would cost more than the rest of validation. Rows broken later get it rebuilt.
        out.add(when(org.apache.spark.sql.functions.size(allProblems).gt(0), col(TableReader.RAW_TEXT))
                .as(TableReader.RAW_TEXT));
        out.add(allProblems.as(PROBLEMS));
        return table.rows().select(out.toArray(Column[]::new));
    }

    static List<Column> columnProblems(ColumnSpec spec, LocalDate today) {
        String name = spec.name();
        Column v = value(name);
        Column p = parsed(spec);
        List<Column> problems = new ArrayList<>();
        if (spec.required()) {
            problems.add(when(v.isNull(), problem(QuarantineReason.MISSING_VALUE, name, v,
                    lit(name + " is empty; a value is required"))));
        }
        switch (spec.type()) {
            case DATE -> {
                problems.add(when(v.isNotNull().and(p.isNull()), problem(QuarantineReason.BAD_DATE, name, v,
                        concat(lit(name + " = "), quoted(v), lit(" is not a date; expected YYYY-MM-DD")))));
                problems.add(when(p.gt(lit(today)), problem(QuarantineReason.FUTURE_DATE, name, v,
                        concat(lit(name + " = "), quoted(v), lit(" is after the day the job runs (" + today + ")")))));
            }
            case INT -> problems.add(when(v.isNotNull().and(p.isNull()), problem(QuarantineReason.BAD_INTEGER, name, v,
                    concat(lit(name + " = "), quoted(v), lit(" is not a whole number")))));
            case BOOLEAN -> problems.add(when(v.isNotNull().and(p.isNull()), problem(QuarantineReason.BAD_BOOLEAN,
                    name, v, concat(lit(name + " = "), quoted(v), lit(" is not a boolean; expected true or false")))));
            case CODE -> problems.add(when(v.isNotNull().and(v.isin(spec.codes().toArray()).unary_$bang()),
                    problem(QuarantineReason.BAD_CODE, name, v, concat(lit(name + " = "), quoted(v),
                            lit(" is not a known code; expected one of " + String.join(", ", spec.codes()))))));
            case STRING -> { }
        }
        return problems;
    }

    /** Rules that involve more than one column of the row. */
    static List<Column> tableProblems(TableSpec spec) {
        List<Column> problems = new ArrayList<>();
        if (spec == Schemas.EPISODES) {
            Column admission = parsed(spec.column("admission_date").orElseThrow());
            Column discharge = parsed(spec.column("discharge_date").orElseThrow());
            Column dischargeText = value("discharge_date");
            Column reason = value("discharge_reason");
            Column prior = parsed(spec.column("prior_episodes").orElseThrow());
            problems.add(when(discharge.lt(admission), problem(QuarantineReason.DISCHARGE_BEFORE_ADMISSION,
                    "discharge_date", dischargeText, concat(lit("discharge_date = "), quoted(dischargeText),
                            lit(" is before admission_date = "), quoted(value("admission_date"))))));
            problems.add(when(dischargeText.isNotNull().and(reason.isNull()), problem(
                    QuarantineReason.DISCHARGE_REASON_MISSING, "discharge_reason", reason,
                    lit("discharge_reason is empty; it is required when discharge_date is given"))));
            problems.add(when(dischargeText.isNull().and(reason.isNotNull()), problem(
                    QuarantineReason.DISCHARGE_REASON_WITHOUT_DISCHARGE, "discharge_reason", reason,
                    concat(lit("discharge_reason = "), quoted(reason),
                            lit(" is given but discharge_date is empty (still in care)")))));
            problems.add(when(prior.lt(0), problem(QuarantineReason.PRIOR_EPISODES_NEGATIVE, "prior_episodes",
                    value("prior_episodes"), concat(lit("prior_episodes = "), quoted(value("prior_episodes")),
                            lit(" is negative; expected 0 or more")))));
        } else if (spec == Schemas.SESSIONS) {
            Column minutes = parsed(spec.column("minutes").orElseThrow());
            problems.add(when(minutes.leq(0), problem(QuarantineReason.MINUTES_NOT_POSITIVE, "minutes",
                    value("minutes"), concat(lit("minutes = "), quoted(value("minutes")),
                            lit(" is not positive; expected more than 0 (empty means 60)")))));
        } else if (spec == Schemas.FOLLOWUPS) {
            Column reached = parsed(spec.column("reached").orElseThrow());
            Column abstinent = value("abstinent_past_30_days");
            problems.add(when(reached.equalTo(false).and(abstinent.isNotNull()), problem(
                    QuarantineReason.ABSTINENCE_WITHOUT_CONTACT, "abstinent_past_30_days", abstinent,
                    concat(lit("abstinent_past_30_days = "), quoted(abstinent),
                            lit(" is given but reached is false; expected empty when not reached")))));
        }
        return problems;
    }
}
