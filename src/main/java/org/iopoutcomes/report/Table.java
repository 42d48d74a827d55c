package org.iopoutcomes.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A small published table read back for the report: its rows as column-to-value maps (Long, Double, Boolean,
 * String; dates and lists as text), in a fixed order. The published tables are aggregates bounded by strata
 * times the grid, so holding them on the driver is holding a few thousand values at most.
 */
public record Table(String name, List<String> columns, List<Map<String, Object>> rows) {
    public Table {
        columns = List.copyOf(columns);
        rows = Collections.unmodifiableList(new ArrayList<>(rows));
    }

    public Table where(Predicate<Map<String, Object>> test) {
        return new Table(name, columns, rows.stream().filter(test).toList());
    }

    public Table sorted(Comparator<Map<String, Object>> order) {
        return new Table(name, columns, rows.stream().sorted(order).toList());
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Rows of one stratum value. */
    public Table of(String stratum, String value) {
        return where(r -> stratum.equals(r.get("stratum")) && value.equals(r.get("stratum_value")));
    }

    public static Double dbl(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v == null) {
            return null;
        }
        double d = ((Number) v).doubleValue();
        return Double.isNaN(d) ? null : d;
    }

    public static Long lng(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : ((Number) v).longValue();
    }

    public static Integer integer(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : ((Number) v).intValue();
    }

    public static String str(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    public static Boolean bool(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : (Boolean) v;
    }

    /** True when the row carries a {@code suppressed} flag that is set. */
    public static boolean suppressed(Map<String, Object> row) {
        return Boolean.TRUE.equals(row.get("suppressed"));
    }
}
