package org.iopoutcomes.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * What the generator planted is what a pipeline reading the tables by the SPEC's definitions will find: the
 * continuing-care exposure, the attendance rate and the observed post-discharge relapse / censoring.
 */
class PlantedEffectsTest {
    private static long count(SparkSession spark, String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    @Test
    void continuingCareAsThePipelineComputesItEqualsThePlantedFlag() {
        SparkSession spark = GeneratedData.views();
        String observed = "SELECT e.episode_id, coalesce(max(c.d IS NOT NULL), false) AS cc FROM episodes e LEFT JOIN ("
                + "  SELECT participant_id, session_date AS d FROM sessions WHERE episode_id IS NULL AND status = 'attended'"
                + "  UNION ALL SELECT participant_id, meeting_date FROM mutual_help) c"
                + " ON c.participant_id = e.participant_id AND datediff(c.d, e.discharge_date) BETWEEN 1 AND 14"
                + " WHERE e.level_of_care = 'iop' AND e.discharge_date IS NOT NULL GROUP BY e.episode_id";
        spark.sql(observed).createOrReplaceTempView("observed_cc");
        long episodes = count(spark, "SELECT count(*) FROM observed_cc");
        assertTrue(episodes > 1000, "discharged IOP episodes " + episodes);
        assertEquals(episodes, count(spark, "SELECT count(*) FROM observed_cc o JOIN episode_truth t"
                + " ON o.episode_id = t.episode_id"));
        assertEquals(0, count(spark, "SELECT count(*) FROM observed_cc o JOIN episode_truth t ON o.episode_id = t.episode_id"
                + " WHERE o.cc <> t.continuing_care_14d"));
        // the SPEC's wording, "an attended session outside the discharged episode", gives the same flag
        assertEquals(0, count(spark, "SELECT count(*) FROM (SELECT e.episode_id, coalesce(max(c.d IS NOT NULL), false) AS cc"
                + " FROM episodes e LEFT JOIN (SELECT participant_id, episode_id, session_date AS d FROM sessions"
                + "   WHERE status = 'attended' UNION ALL SELECT participant_id, NULL, meeting_date FROM mutual_help) c"
                + " ON c.participant_id = e.participant_id AND datediff(c.d, e.discharge_date) BETWEEN 1 AND 14"
                + " AND (c.episode_id IS NULL OR c.episode_id <> e.episode_id)"
                + " WHERE e.level_of_care = 'iop' AND e.discharge_date IS NOT NULL GROUP BY e.episode_id) o"
                + " JOIN episode_truth t ON o.episode_id = t.episode_id WHERE o.cc <> t.continuing_care_14d"));
        // both groups are well represented, and better attenders continue more often (the confounding)
        Row shares = spark.sql("SELECT avg(CASE WHEN continuing_care_14d THEN 1.0 ELSE 0.0 END),"
                + " corr(CASE WHEN continuing_care_14d THEN 1.0 ELSE 0.0 END, attendance_rate)"
                + " FROM episode_truth WHERE level_of_care = 'iop' AND discharge_date IS NOT NULL").first();
        double share = shares.getDecimal(0).doubleValue();
        assertTrue(share > 0.3 && share < 0.7, "cc share " + share);
        assertTrue(shares.getDouble(1) > 0.1, "corr(cc, attendance) " + shares.getDouble(1));
    }

    @Test
    void attendanceRateIsTheRealizedRateOfTheEpisodesOwnSessions() {
        SparkSession spark = GeneratedData.views();
        assertEquals(0, count(spark, "SELECT count(*) FROM (SELECT e.episode_id,"
                + " sum(CASE WHEN s.status = 'attended' THEN 1 ELSE 0 END) / sum(CASE WHEN s.status IN ('attended', 'no_show')"
                + " THEN 1 ELSE 0 END) AS rate FROM episodes e JOIN sessions s ON s.episode_id = e.episode_id"
                + " AND s.session_date BETWEEN e.admission_date AND e.discharge_date GROUP BY e.episode_id) o"
                + " JOIN episode_truth t ON o.episode_id = t.episode_id WHERE abs(o.rate - t.attendance_rate) > 1e-12"));
    }

    @Test
    void relapseIsObservedExactlyAtTWhenWithinTheLastKnownStatusContact() {
        SparkSession spark = GeneratedData.views();
        // the SPEC's post-treatment relapse: first positive screen, use event or non-abstinent follow-up after the
        // discharge (before any next admission); censoring at the last known-status contact after discharge
        spark.sql("SELECT participant_id, episode_id, discharge_date, next_admission FROM (SELECT *,"
                + " lead(admission_date) OVER (PARTITION BY participant_id ORDER BY admission_date) AS next_admission"
                + " FROM episodes) WHERE level_of_care = 'iop' AND discharge_date IS NOT NULL")
                .createOrReplaceTempView("discharged");
        // relapse signals (first_use) and contacts with known status, in one table
        spark.sql("SELECT participant_id, collected_date AS d, result = 'positive' AS relapse, true AS contact FROM screens"
                + "   WHERE result IN ('positive', 'negative')"
                + " UNION ALL SELECT participant_id, event_date, true, false FROM use_events"
                + " UNION ALL SELECT participant_id, session_date, false, true FROM sessions WHERE status = 'attended'"
                + " UNION ALL SELECT participant_id, assessment_date, NOT abstinent_past_30_days, true FROM followups WHERE reached")
                .createOrReplaceTempView("signals");
        spark.sql("SELECT x.episode_id, x.discharge_date, min(CASE WHEN y.relapse THEN y.d END) AS first_relapse,"
                + " max(CASE WHEN y.contact THEN y.d END) AS last_contact FROM discharged x LEFT JOIN signals y"
                + " ON y.participant_id = x.participant_id AND y.d > x.discharge_date"
                + " AND (x.next_admission IS NULL OR y.d < x.next_admission)"
                + " GROUP BY x.episode_id, x.discharge_date").createOrReplaceTempView("observed_relapse");
        Row r = spark.sql("SELECT count(*),"
                + " sum(CASE WHEN t.relapse_recorded THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN t.relapse_recorded AND o.first_relapse = date_add(o.discharge_date, t.relapse_day_latent) THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN NOT t.relapse_recorded AND o.first_relapse IS NULL THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN NOT t.relapse_recorded AND coalesce(datediff(o.last_contact, o.discharge_date), 0) = t.last_contact_day"
                + "   AND t.relapse_day_latent > t.last_contact_day THEN 1 ELSE 0 END)"
               
                + " FROM observed_relapse o JOIN episode_truth t ON o.episode_id = t.episode_id").first();
        long n = r.getLong(0);
        long recorded = r.getLong(1);
        assertTrue(recorded > 100 && recorded < n, "recorded relapses " + recorded + " of " + n);
        assertEquals(recorded, r.getLong(2), "recorded relapses observed exactly at discharge + T");
        assertEquals(n - recorded, r.getLong(3), "unrecorded relapses leave no relapse signal after discharge");
        assertEquals(n - recorded, r.getLong(4), "censored at the last known-status contact, before T");
    }

    /** Kaplan-Meier 1 - S(365) on the discharge clock from the planted observation equals the planted truth. */
    @Test
    void kaplanMeierOfTheObservedRelapseRecoversTheTrueMarginal() {
        GeneratorSettings settings = GeneratorSettings.defaults(40_000, 7L);
        Calibration calibration = Calibration.calibrate(settings);
        ParticipantSimulator sim = new ParticipantSimulator(settings, calibration.scales);
        History h = new History();
        List<int[]> data = new ArrayList<>();
        double truth = 0;
        for (long i = 0; i < settings.participants; i++) {
            sim.simulate(i, h);
            for (History.Episode e : h.episodes) {
                if (e.level == ParticipantSimulator.IOP && e.discharged()) {
                    truth += e.relapse365;
                    data.add(e.relapseRecorded ? new int[] {e.relapseDay, 1} : new int[] {e.lastContactDay, 0});
                }
            }
        }
        truth /= data.size();
        data.sort(Comparator.<int[]>comparingInt(a -> a[0]).thenComparingInt(a -> -a[1]));
        double survival = 1;
        int atRisk = data.size();
        for (int i = 0; i < data.size() && data.get(i)[0] <= 365; ) {
            int t = data.get(i)[0];
            int events = 0;
            int leaving = 0;
            while (i < data.size() && data.get(i)[0] == t) {
                events += data.get(i)[1];
                leaving++;
                i++;
            }
            survival *= 1 - events / (double) atRisk;
            atRisk -= leaving;
        }
        assertTrue(truth > 0.4 && truth < 0.6, "truth " + truth);
        assertEquals(truth, 1 - survival, 0.015, "KM 1-S(365) vs the true marginal");
    }
}
