package org.iopoutcomes.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.iopoutcomes.spark.SparkSessions;
import org.iopoutcomes.synth.GeneratorSettings;
import org.iopoutcomes.synth.SyntheticDataWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `outcomes generate`: seeded synthetic input tables with planted, documented effects (docs/generator.md). */
@Command(name = "generate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Writes synthetic, seeded input tables (episodes, sessions, screens, use_events, followups,"
                + " mutual_help; deaths with --death-hazard-per-year) of IOP programs with planted effects, and generator.json with the settings and the"
                + " true per-program 365-day relapse probability. Same seed and options give the same data."})
public class GenerateCommand implements Callable<Integer> {
    @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR",
            description = "Output folder: DIR/<table>.csv (or DIR/<table>/ as Parquet) and DIR/generator.json; existing table files are replaced.")
    Path output;

    @Option(names = {"--participants", "-n"}, required = true, paramLabel = "N",
            description = "Number of participants (>= 1); about 1.1 episodes and 70 sessions each.")
    Long participants;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "20260930",
            description = "Random seed; every participant's history comes from its own stream mix(seed, index).")
    long seed;

    @Option(names = "--format", paramLabel = "csv|parquet", defaultValue = "csv",
            description = "csv: one file per table with a header row; parquet: one Parquet directory per table (use it for large N).")
    String format;

    @Option(names = "--programs", paramLabel = "K", defaultValue = "3",
            description = "Number of programs (1-26), ids prog-a, prog-b, ...")
    int programs;

    @Option(names = "--data-cut", paramLabel = "YYYY-MM-DD", defaultValue = "2026-09-30",
            description = "Fixed data cut: no date after it; admissions span about 2.5 years ending about 3 months before it.")
    String dataCut;

    @Option(names = "--relapse-365", paramLabel = "P1,P2,...", defaultValue = "0.45,0.50,0.55",
            description = "Target marginal P(relapse within 365 days after discharge) per program (one value applies to all); each in (0,1).")
    String relapse365;

    @Option(names = "--continuing-care-hr", paramLabel = "HR", defaultValue = "0.6",
            description = "Planted hazard ratio of relapse for continuing care on days 1-14 after an IOP discharge (> 0).")
    double continuingCareHr;

    @Option(names = "--attendance-log-hr", paramLabel = "BETA", defaultValue = "-1.0",
            description = "Planted log hazard ratio of relapse per unit of the episode's attendance rate (0..1).")
    double attendanceLogHr;

    @Option(names = "--baseline-shape", paramLabel = "SHAPE", defaultValue = "0.8",
            description = "Weibull shape of the baseline relapse hazard (< 1: early relapse most common; 1: exponential).")
    double baselineShape;

    @Option(names = "--calibration-sample", paramLabel = "M", defaultValue = "20000",
            description = "Simulated participants per program used to calibrate the baseline scale to --relapse-365.")
    int calibrationSample;

    @Option(names = "--death-hazard-per-year", paramLabel = "R", defaultValue = "0",
            description = "Plant deaths after each discharge at a constant hazard of R per 365 days (P(death within a year) = 1 - e^-R), independent of everything else, and write the deaths table; nothing is dated on or after a death. 0 = none, no deaths table.")
    double deathHazardPerYear;

    @Option(names = "--death-overdose-share", paramLabel = "S", defaultValue = "" + GeneratorSettings.DEFAULT_DEATH_OVERDOSE_SHARE,
            description = "Share of the planted deaths whose cause is overdose (a fatal overdose is a relapse); the rest are other (a competing event).")
    double deathOverdoseShare;

    @Option(names = "--recovery-share", paramLabel = "P", defaultValue = "0",
            description = "Plant recoveries: with probability P a first relapse after discharge is a use episode of 1-14 days over before the next contact that could see it (follow-up call window, attended session), continuous use starting later. 0 = none.")
    double recoveryShare;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "Spark partitions of the participant range (0 = one per 50,000 participants, at least 2).")
    int partitions;

    @Option(names = "--with-truth", defaultValue = "false",
            description = "Also write episode_truth (per episode the planted attendance rate, continuing care, latent relapse day, last contact and 1 - S(365)) and post_discharge_truth (per discharged episode the true first event, relapse or death, its day and whether the tables show it, recoveries, the death, true past-30-day use at 30/90/180/365 days, and whether the follow-up call of each of those days reached the participant).")
    boolean withTruth;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master; default: the one spark-submit sets, else local[*].")
    String master;

    @Override
    public Integer call() {
        SyntheticDataWriter.Format fmt = parseFormat(format);
        LocalDate cut;
        try {
            cut = LocalDate.parse(dataCut);
        } catch (DateTimeParseException e) {
            throw BadSettingsException.of("--data-cut", dataCut, "a date YYYY-MM-DD is expected");
        }
        if (partitions < 0) {
            throw BadSettingsException.of("--partitions", partitions, "must be 0 (automatic) or more");
        }
        GeneratorSettings settings = new GeneratorSettings(participants, seed, programs, cut,
                GeneratorSettings.parseProbabilities("--relapse-365", relapse365), continuingCareHr, attendanceLogHr,
                baselineShape, calibrationSample, deathHazardPerYear, deathOverdoseShare, recoveryShare);
        long start = System.nanoTime();
        SparkSession spark = SparkSessions.getOrCreate(master, "outcomes-generate");
        SyntheticDataWriter.Result result = SyntheticDataWriter.write(spark, settings, output, fmt, partitions, withTruth);
        System.err.printf(Locale.ROOT, "generate: %d participants, %d discharged IOP episodes, written to %s in %.1f s%n",
                participants, result.dischargedIopEpisodes(), output, (System.nanoTime() - start) / 1e9);
        for (Map.Entry<String, Double> e : result.secondsPerTable().entrySet()) {
            System.err.printf(Locale.ROOT, "  %-14s %7.1f s%n", e.getKey(), e.getValue());
        }
        for (SyntheticDataWriter.ProgramTruth p : result.programs()) {
            System.err.printf(Locale.ROOT, "  %s: target %.3f, true 365-day relapse %.4f over %d discharged IOP episodes%s%n",
                    p.programId(), p.target(), p.trueRelapse365(), p.dischargedIopEpisodes(),
                    settings.plantsDeaths() ? String.format(Locale.ROOT, "; before death %.4f", p.trueRelapseBeforeDeath365())
                            : "");
        }
        return ExitCodes.OK;
    }

    static SyntheticDataWriter.Format parseFormat(String text) {
        return switch (text == null ? "" : text.toLowerCase(Locale.ROOT)) {
            case "csv" -> SyntheticDataWriter.Format.CSV;
            case "parquet" -> SyntheticDataWriter.Format.PARQUET;
            default -> throw BadSettingsException.of("--format", text, "csv or parquet is expected");
        };
    }
}
