package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The generated data look like an IOP's records (the seed facts of SPEC section 1). */
class RealismTest {
    private static double value(SparkSession spark, String sql) {
        Row r = spark.sql(sql).first();
        return ((Number) r.get(0)).doubleValue();
    }

    @Test
    void completersStayAboutNinetyDays() {
        SparkSession spark = GeneratedData.views();
        // TEDS-D length of stay: admission to the last attended session of the episode
        double median = value(spark, "SELECT percentile(los, 0.5) FROM (SELECT e.episode_id,"
                + " max(datediff(s.session_date, e.admission_date)) AS los FROM episodes e JOIN sessions s"
                + " ON s.episode_id = e.episode_id AND s.status = 'attended'"
                + " WHERE e.level_of_care = 'iop' AND e.discharge_reason = 'completed' GROUP BY e.episode_id)");
        assertTrue(median >= 75 && median <= 105, "median LOS of completers " + median);
        double dropoutMedian = value(spark, "SELECT percentile(los, 0.5) FROM (SELECT e.episode_id,"
                + " max(datediff(s.session_date, e.admission_date)) AS los FROM episodes e JOIN sessions s"
                + " ON s.episode_id = e.episode_id AND s.status = 'attended'"
                + " WHERE e.level_of_care = 'iop' AND e.discharge_reason IN ('dropped_out', 'terminated') GROUP BY e.episode_id)");
        assertTrue(dropoutMedian < 45, "dropouts are concentrated early: median LOS " + dropoutMedian);
    }

    @Test
    void mostlyIopAndGroupIsTheMostCommonSessionType() {
        SparkSession spark = GeneratedData.views();
        String top = spark.sql("SELECT session_type FROM sessions GROUP BY session_type ORDER BY count(*) DESC LIMIT 1")
                .first().getString(0);
        assertEquals("group", top);
        double iopShare = value(spark, "SELECT avg(CASE WHEN level_of_care = 'iop' THEN 1.0 ELSE 0.0 END) FROM episodes");
        assertTrue(iopShare > 0.8, "iop share " + iopShare);
        String substance = spark.sql("SELECT primary_substance FROM episodes GROUP BY primary_substance ORDER BY count(*) DESC LIMIT 1")
                .first().getString(0);
        assertEquals("alcohol", substance);
        double completion = value(spark, "SELECT avg(CASE WHEN discharge_reason = 'completed' THEN 1.0 ELSE 0.0 END)"
                + " FROM episodes WHERE discharge_date IS NOT NULL AND level_of_care = 'iop'");
        assertTrue(completion > 0.4 && completion < 0.75, "completion rate " + completion);
    }

    @Test
    void engagedParticipantsGetIopIntensity() {
        SparkSession spark = GeneratedData.views();
        // weeks 1..10 of completed IOP episodes: attended therapy hours (all types but medication) and distinct days
        double hours = value(spark, "SELECT percentile(h, 0.5) FROM (SELECT s.episode_id, floor(datediff(s.session_date,"
                + " e.admission_date) / 7) AS w, sum(coalesce(s.minutes, 60)) / 60.0 AS h, count(DISTINCT s.session_date) AS d"
                + " FROM sessions s JOIN episodes e ON s.episode_id = e.episode_id WHERE s.status = 'attended'"
                + " AND s.session_type <> 'medication' AND e.discharge_reason = 'completed' AND e.level_of_care = 'iop'"
                + " GROUP BY s.episode_id, floor(datediff(s.session_date, e.admission_date) / 7)) WHERE w < 10");
        assertTrue(hours >= 9, "median attended therapy hours per week of completers " + hours);
        double attendance = value(spark, "SELECT sum(CASE WHEN status = 'attended' THEN 1 ELSE 0 END)"
                + " / sum(CASE WHEN status IN ('attended', 'no_show') THEN 1 ELSE 0 END) FROM sessions WHERE episode_id IS NOT NULL");
        assertTrue(attendance > 0.6 && attendance < 0.9, "pooled attendance rate " + attendance);
    }

    @Test
    void relapseAndHarmLookLikeTheSeedFacts() {
        SparkSession spark = GeneratedData.views();
        double truth = value(spark, "SELECT avg(p_relapse_365) FROM episode_truth WHERE level_of_care = 'iop'"
                + " AND discharge_date IS NOT NULL");
        assertTrue(truth >= 0.40 && truth <= 0.60, "overall true 365-day relapse " + truth);
        double opioidShare = value(spark, "SELECT avg(CASE WHEN substance = 'opioids' THEN 1.0 ELSE 0.0 END)"
                + " FROM use_events WHERE event_type IN ('overdose', 'fatal_overdose')");
        assertTrue(opioidShare > 0.5, "overdoses are mostly opioid: " + opioidShare);
        assertTrue(value(spark, "SELECT count(*) FROM screens WHERE result = 'positive'") > 0);
        assertTrue(value(spark, "SELECT count(*) FROM screens WHERE result = 'missing'") > 0);
        double reach30 = value(spark, "SELECT avg(CASE WHEN reached THEN 1.0 ELSE 0.0 END) FROM followups f JOIN episodes e"
                + " ON f.episode_id = e.episode_id WHERE datediff(f.assessment_date, e.discharge_date) = 30");
        double reach365 = value(spark, "SELECT avg(CASE WHEN reached THEN 1.0 ELSE 0.0 END) FROM followups f JOIN episodes e"
                + " ON f.episode_id = e.episode_id WHERE datediff(f.assessment_date, e.discharge_date) = 365");
        assertTrue(reach30 > reach365, "reach falls: " + reach30 + " then " + reach365);
        assertTrue(value(spark, "SELECT count(DISTINCT participant_id) FROM mutual_help") > 0);
    }
}
