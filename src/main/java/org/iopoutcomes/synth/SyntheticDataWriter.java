package org.iopoutcomes.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Writes the generated tables to a local folder, as one CSV file per table (header, ISO dates, empty = null) or a
 * Parquet directory per table, and {@code generator.json} with the settings and the planted truth.
 */
public final class SyntheticDataWriter {
    private SyntheticDataWriter() {}

    public enum Format { CSV, PARQUET }

    /** The true marginal 365-day relapse probability of a program, over its generated discharged IOP episodes. */
    public record ProgramTruth(String programId, double target, double scaleDays, double calibrationSample365,
            long dischargedIopEpisodes, double trueRelapse365, double continuingCareShare, double meanAttendanceRate,
            long relapsesRecorded, double trueRelapseBeforeDeath365, long deathsRecorded, long recoveries) {}

    public record Result(Calibration calibration, List<ProgramTruth> programs, double overallTrueRelapse365,
            long dischargedIopEpisodes, Map<String, Double> secondsPerTable) {}

    /**
     * Generates every table into {@code out}.
     *
     * @param partitions partitions of spark.range (0 = about 50,000 participants each)
     * @param withTruth also write the {@code episode_truth} table (what was planted, per episode)
     */
    public static Result write(SparkSession spark, GeneratorSettings settings, Path out, Format format, int partitions,
            boolean withTruth) {
        int parts = partitions > 0 ? partitions : SyntheticTables.defaultPartitions(settings.participants);
        Calibration calibration = Calibration.calibrate(settings);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + out, e);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>(SyntheticTables.inputTables(settings));
        if (!settings.plantsDeaths()) {
            deleteTableFiles(out, "deaths"); // a deaths table of an earlier run would be read as this data's
        }
        if (withTruth) {
            tables.addAll(SyntheticTables.truthTables());
        } else {
            for (String truth : SyntheticTables.truthTables()) {
                deleteTableFiles(out, truth); // a stale truth of an earlier run would not match
            }
        }
        for (String table : tables) {
            long start = System.nanoTime();
            writeTable(spark, settings, calibration.scales, table, out, format, parts);
            seconds.put(table, (System.nanoTime() - start) / 1e9);
        }
        long start = System.nanoTime();
        Result result = truth(spark, settings, calibration, parts, seconds);
        seconds.put("truth", (System.nanoTime() - start) / 1e9);
        writeJson(out.resolve("generator.json"), settings, format, parts, withTruth, result);
        return result;
    }

    static void writeTable(SparkSession spark, GeneratorSettings settings, double[] scales, String table, Path out,
            Format format, int partitions) {
        deleteTableFiles(out, table);
        if (format == Format.PARQUET) {
            SyntheticTables.table(spark, settings, scales, table, partitions, false)
                    .write().mode(SaveMode.Overwrite).parquet(out.resolve(table).toString());
            return;
        }
        Path tmp = out.resolve("._tmp_" + table);
        deleteRecursively(tmp);
        SyntheticTables.table(spark, settings, scales, table, partitions, true)
                .repartition(1)
                .sortWithinPartitions(SyntheticTables.KEY_PARTICIPANT, SyntheticTables.dateColumn(table),
                        SyntheticTables.KEY_SEQUENCE)
                .drop(SyntheticTables.KEY_PARTICIPANT, SyntheticTables.KEY_SEQUENCE)
                .write().mode(SaveMode.Overwrite)
                .option("header", "true")
                .option("dateFormat", "yyyy-MM-dd")
                .option("nullValue", "")
                .option("encoding", "UTF-8")
                .option("lineSep", "\n")
                .csv(tmp.toString());
        Path target = out.resolve(table + ".csv");
        try (Stream<Path> files = Files.list(tmp)) {
            List<Path> parts = files.filter(f -> f.getFileName().toString().startsWith("part-")
                    && f.getFileName().toString().endsWith(".csv")).sorted().toList();
            if (parts.size() > 1) {
                throw new IllegalStateException("expected one CSV part file for " + table + ", found " + parts.size());
            }
            if (parts.isEmpty()) {
                String header = String.join(",", SyntheticTables.schema(table).fieldNames()) + "\n";
                Files.writeString(target, header, StandardCharsets.UTF_8);
            } else {
                Files.move(parts.get(0), target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        deleteRecursively(tmp);
    }

    /** Removes a table's earlier output in either format. */
    static void deleteTableFiles(Path out, String table) {
        deleteRecursively(out.resolve(table + ".csv"));
        deleteRecursively(out.resolve(table + ".parquet"));
        deleteRecursively(out.resolve(table));
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** Aggregates the planted truth per program in Spark (only the per-program sums reach the driver). */
    static Result truth(SparkSession spark, GeneratorSettings settings, Calibration calibration, int partitions,
            Map<String, Double> seconds) {
        Dataset<Row> truth = SyntheticTables.table(spark, settings, calibration.scales, SyntheticTables.TRUTH_SUMS,
                partitions, false);
        List<Row> rows = truth.groupBy("program_id").agg(
                        functions.count(functions.lit(1)).as("n"),
                        functions.sum("p_relapse_365").as("p"),
                        functions.sum("continuing_care_14d").as("cc"),
                        functions.sum("attendance_rate").as("att"),
                        functions.sum("relapse_recorded").as("rec"),
                        functions.sum("p_relapse_before_death_365").as("p_before_death"),
                        functions.sum("death_recorded").as("deaths"),
                        functions.sum("recovery").as("recoveries"))
                .orderBy("program_id").collectAsList();
        Map<String, Row> byProgram = new LinkedHashMap<>();
        for (Row r : rows) {
            byProgram.put(r.getString(0), r);
        }
        List<ProgramTruth> programs = new ArrayList<>();
        long total = 0;
        double sumP = 0;
        for (int k = 0; k < settings.programs; k++) {
            String id = GeneratorSettings.programId(k);
            Row r = byProgram.get(id);
            long n = r == null ? 0 : r.getLong(1);
            double p = r == null ? 0 : r.getDouble(2);
            programs.add(new ProgramTruth(id, settings.relapse365[k], calibration.scales[k],
                    calibration.sampleRelapse365[k], n, n == 0 ? Double.NaN : p / n,
                    n == 0 ? Double.NaN : r.getLong(3) / (double) n, n == 0 ? Double.NaN : r.getDouble(4) / n,
                    r == null ? 0 : r.getLong(5), n == 0 ? Double.NaN : r.getDouble(6) / n,
                    r == null ? 0 : r.getLong(7), r == null ? 0 : r.getLong(8)));
            total += n;
            sumP += p;
        }
        return new Result(calibration, programs, total == 0 ? Double.NaN : sumP / total, total, seconds);
    }

    static String num(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "null";
        }
        return new java.math.BigDecimal(x).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
    }

    static void writeJson(Path file, GeneratorSettings s, Format format, int partitions, boolean withTruth, Result r) {
        StringBuilder j = new StringBuilder();
        j.append("{\n");
        j.append("  \"generator\": \"iop-outcomes synthetic data generator\",\n");
        j.append("  \"synthetic\": true,\n");
        j.append("  \"settings\": {\n");
        j.append("    \"participants\": ").append(s.participants).append(",\n");
        j.append("    \"seed\": ").append(s.seed).append(",\n");
        j.append("    \"format\": \"").append(format.name().toLowerCase(Locale.ROOT)).append("\",\n");
        j.append("    \"programs\": ").append(s.programs).append(",\n");
        j.append("    \"data_cut\": \"").append(s.dataCut).append("\",\n");
        j.append("    \"relapse_365\": [");
        for (int k = 0; k < s.programs; k++) {
            j.append(k == 0 ? "" : ", ").append(num(s.relapse365[k]));
        }
        j.append("],\n");
        j.append("    \"continuing_care_hr\": ").append(num(s.continuingCareHr)).append(",\n");
        j.append("    \"attendance_log_hr\": ").append(num(s.attendanceLogHr)).append(",\n");
        j.append("    \"baseline_shape\": ").append(num(s.baselineShape)).append(",\n");
        j.append("    \"calibration_sample\": ").append(s.calibrationSample).append(",\n");
        // The options of issue 14 appear only when used, so the default generator.json is the one of before them.
        if (s.plantsDeaths()) {
            j.append("    \"death_hazard_per_year\": ").append(num(s.deathHazardPerYear)).append(",\n");
            j.append("    \"death_overdose_share\": ").append(num(s.deathOverdoseShare)).append(",\n");
        }
        if (s.plantsRecoveries()) {
            j.append("    \"recovery_share\": ").append(num(s.recoveryShare)).append(",\n");
        }
        j.append("    \"partitions\": ").append(partitions).append(",\n");
        j.append("    \"with_truth\": ").append(withTruth).append("\n");
        j.append("  },\n");
        j.append("  \"planted_effects\": {\n");
        j.append("    \"model\": \"post-discharge relapse time T (days) of each discharged episode: proportional hazards "
                + "h(t) = h0_program(t) * continuing_care_hr^cc * exp(attendance_log_hr * attendance_rate), Weibull baseline "
                + "H0(t) = (t / scale_program)^baseline_shape; recorded as a use event on discharge + ceil(T) iff ceil(T) <= "
                + "the last reached follow-up call (the last known-status contact)\",\n");
        j.append("    \"continuing_care_hr\": ").append(num(s.continuingCareHr)).append(",\n");
        j.append("    \"continuing_care_log_hr\": ").append(num(Math.log(s.continuingCareHr))).append(",\n");
        j.append("    \"attendance_log_hr\": ").append(num(s.attendanceLogHr)).append(",\n");
        j.append("    \"baseline_shape\": ").append(num(s.baselineShape)).append(",\n");
        j.append("    \"cc_definition\": \"an attended session with empty episode_id, or a mutual-help meeting, on days 1-14 "
                + "after an IOP discharge (continuing_care_14d)\",\n");
        j.append("    \"cc_assignment\": \"P(cc=1) = logistic(0.2 + 5 * (attendance_rate - 0.8)), x0.1 when incarcerated: "
                + "confounded by attendance_rate\",\n");
        j.append("    \"attendance_rate\": \"attended / (attended + no_show) over the episode's own sessions\"");
        if (s.plantsDeaths()) {
            j.append(",\n    \"deaths\": \"after each discharge a death at a constant hazard of death_hazard_per_year per "
                    + "365 days, independent of everything else, cause overdose with probability death_overdose_share, "
                    + "else other; nothing is dated on or after the death day; a fatal overdose after a recorded relapse "
                    + "is a death too; deaths on or before the data cut are the rows of deaths\"");
        }
        if (s.plantsRecoveries()) {
            j.append(",\n    \"recoveries\": \"with probability recovery_share the first relapse is a use episode of 1-"
                    + ParticipantSimulator.RECOVERY_MAX_DAYS + " days over before the next contact that could see it "
                    + "(a reached call covers its 30 days, an attended session its day; none when the first use falls "
                    + "on such a day), then continuous use from a fresh relapse time after it\"");
        }
        j.append("\n");
        j.append("  },\n");
        j.append("  \"programs\": [\n");
        for (int k = 0; k < r.programs().size(); k++) {
            ProgramTruth p = r.programs().get(k);
            j.append("    {\"program_id\": \"").append(p.programId()).append("\"")
                    .append(", \"target_relapse_365\": ").append(num(p.target()))
                    .append(", \"baseline_scale_days\": ").append(num(p.scaleDays()))
                    .append(", \"calibration_sample_relapse_365\": ").append(num(p.calibrationSample365()))
                    .append(", \"discharged_iop_episodes\": ").append(p.dischargedIopEpisodes())
                    .append(", \"true_relapse_365\": ").append(num(p.trueRelapse365()))
                    .append(", \"continuing_care_share\": ").append(num(p.continuingCareShare()))
                    .append(", \"mean_attendance_rate\": ").append(num(p.meanAttendanceRate()))
                    .append(", \"relapses_recorded\": ").append(p.relapsesRecorded());
            if (s.plantsDeaths()) {
                j.append(", \"true_relapse_before_death_365\": ").append(num(p.trueRelapseBeforeDeath365()))
                        .append(", \"deaths_recorded\": ").append(p.deathsRecorded());
            }
            if (s.plantsRecoveries()) {
                j.append(", \"recoveries\": ").append(p.recoveries());
            }
            j.append("}").append(k + 1 < r.programs().size() ? ",\n" : "\n");
        }
        j.append("  ],\n");
        j.append("  \"true_relapse_365_definition\": \"mean over the program's generated discharged IOP episodes of 1 - S_i(365) "
                + "= 1 - exp(-(365/scale)^shape * continuing_care_hr^cc_i * exp(attendance_log_hr * attendance_rate_i))\",\n");
        j.append("  \"overall_true_relapse_365\": ").append(num(r.overallTrueRelapse365())).append(",\n");
        if (s.plantsDeaths()) {
            j.append("  \"true_relapse_before_death_365_definition\": \"mean over the program's generated discharged IOP "
                    + "episodes of P_i(relapse by day 365, before death) = int_0^365 (h_i(t) + lambda * death_overdose_share) "
                    + "exp(-H_i(t) - lambda t) dt, lambda = death_hazard_per_year / 365, H_i the episode's cumulative "
                    + "relapse hazard: a fatal overdose is a relapse, any other death a competing event (the cumulative "
                    + "incidence an Aalen-Johansen estimate targets; 1 - Kaplan-Meier with deaths censored targets "
                    + "true_relapse_365 instead)\",\n");
            double sum = 0;
            for (ProgramTruth p : r.programs()) {
                sum += p.dischargedIopEpisodes() == 0 ? 0 : p.trueRelapseBeforeDeath365() * p.dischargedIopEpisodes();
            }
            j.append("  \"overall_true_relapse_before_death_365\": ")
                    .append(num(r.dischargedIopEpisodes() == 0 ? Double.NaN : sum / r.dischargedIopEpisodes()))
                    .append(",\n");
        }
        j.append("  \"discharged_iop_episodes\": ").append(r.dischargedIopEpisodes()).append("\n");
        j.append("}\n");
        try {
            Files.writeString(file, j.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
