package org.iopoutcomes.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.iopoutcomes.SparkTestSession;
import org.junit.jupiter.api.Test;

/** A hidden group count must not come back by subtraction from the row's totals or the model's counts. */
class ContinuitySuppressionTest {

    @Test
    void aHiddenGroupHidesTheOtherGroupAndTheModelCounts() {
        // Exposed relapses 9 (< 11): without more, unexposed_relapses 31 and hr_model_events 40 would give it back.
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("stratum", "overall");
        values.put("stratum_value", "overall");
        values.put("exposure", "continuing_care_14d");
        values.put("horizon_days", 90);
        values.put("landmark_days", 14);
        values.put("discharged_episodes", 403);
        values.put("excluded_relapsed_before_landmark", 21);
        values.put("excluded_censored_before_landmark", 54);
        values.put("cohort_episodes", 328);
        values.put("exposed_n", 162);
        values.put("exposed_relapses", 9);
        values.put("exposed_known_status", 143);
        values.put("unexposed_n", 166);
        values.put("unexposed_relapses", 31);
        values.put("unexposed_known_status", 143);
        values.put("hr_model_n", 313);
        values.put("hr_model_events", 40);
        values.put("or_model_n", 258);
        values.put("or_model_events", 40);
        values.put("rows_left_out_missing", 15);
        values.put("estimable", true);

        Row published = ContinuityEffect.publish(SparkTestSession.get(), List.of(row(values)), 11).first();

        assertTrue(published.<Boolean>getAs("suppressed"));
        for (String hidden : List.of("exposed_n", "exposed_relapses", "unexposed_n", "unexposed_relapses",
                "hr_model_n", "hr_model_events", "or_model_n", "or_model_events")) {
            assertNull(published.getAs(hidden), hidden);
        }
        // The totals stay: with both parts hidden they give nothing away.
        assertEquals(328L, ((Number) published.getAs("cohort_episodes")).longValue());
        assertEquals(403L, ((Number) published.getAs("discharged_episodes")).longValue());
    }

    @Test
    void rowsWithoutHiddenGroupCountsKeepTheirModelCounts() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("stratum", "overall");
        values.put("stratum_value", "overall");
        values.put("exposure", "completed");
        values.put("horizon_days", 365);
        values.put("landmark_days", 14);
        values.put("discharged_episodes", 403);
        values.put("excluded_relapsed_before_landmark", 21);
        values.put("excluded_censored_before_landmark", 54);
        values.put("cohort_episodes", 328);
        values.put("exposed_n", 182);
        values.put("exposed_relapses", 38);
        values.put("exposed_known_status", 120);
        values.put("unexposed_n", 146);
        values.put("unexposed_relapses", 50);
        values.put("unexposed_known_status", 90);
        values.put("hr_model_n", 313);
        values.put("hr_model_events", 83);
        values.put("or_model_n", 200);
        values.put("or_model_events", 83);
        values.put("rows_left_out_missing", 15);
        values.put("estimable", true);

        Row published = ContinuityEffect.publish(SparkTestSession.get(), List.of(row(values)), 11).first();

        assertEquals(false, published.<Boolean>getAs("suppressed"));
        assertEquals(83L, ((Number) published.getAs("hr_model_events")).longValue());
        assertEquals(38L, ((Number) published.getAs("exposed_relapses")).longValue());
    }

    private static Row row(Map<String, Object> values) {
        StructField[] fields = ContinuityEffect.SCHEMA.fields();
        Object[] v = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object value = values.get(fields[i].name());
            v[i] = value instanceof Number n ? as(n, fields[i].dataType()) : value;
        }
        return new GenericRowWithSchema(v, ContinuityEffect.SCHEMA);
    }

    private static Object as(Number n, DataType type) {
        if (type.equals(DataTypes.LongType)) {
            return n.longValue();
        }
        if (type.equals(DataTypes.DoubleType)) {
            return n.doubleValue();
        }
        return n.intValue();
    }
}
