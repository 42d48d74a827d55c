package org.iopoutcomes.publish;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The numbers for issue 13's note: per attack, table and kind of count, how many counts the attacker got back, how
 * many of them are 1 to threshold-1, and (given the restricted tree and an unsuppressed run of the same input) how
 * many are right; then the issue's own figures, and the interval audit. Run on a published folder:
 * <pre>
 * java -cp target/test-classes:target/iop-outcomes-0.1.0.jar org.iopoutcomes.publish.DisclosureNumbers \
 *     out/published/run_date=D [out/restricted/run_date=D [unsuppressed/published/run_date=D]]
 * </pre>
 * (the unsuppressed run: the same input and settings with {@code --suppression-threshold 1}).
 */
public final class DisclosureNumbers {
    private DisclosureNumbers() {}

    public static void main(String[] args) {
        Path published = Path.of(args[0]);
        Path restricted = args.length > 1 ? Path.of(args[1]) : null;
        Path unsuppressed = args.length > 2 ? Path.of(args[2]) : null;
        System.out.print(report(PublishedOutputs.read(published), new AttackTruth(restricted, unsuppressed)));
    }

    static String report(PublishedOutputs out, AttackTruth truth) {
        long started = System.nanoTime();
        PublishedAttacks attacks = new PublishedAttacks(out);
        List<Recovered> found = attacks.run();
        double attackSeconds = (System.nanoTime() - started) / 1e9;
        return report(out, truth, attacks, found, attackSeconds, AttackerIntervalAudit.run(out));
    }

    /** The report from attacks and an audit already made. */
    static String report(PublishedOutputs out, AttackTruth truth, PublishedAttacks attacks, List<Recovered> found,
                         double attackSeconds, AttackerIntervalAudit.Result audit) {
        StringBuilder b = new StringBuilder();
        int t = out.threshold();
        b.append(String.format(Locale.ROOT, "published folder: %s (threshold %d)%n%n", out.folder(), t));
        b.append(table(found, truth));
        b.append(String.format(Locale.ROOT, "%nattacks: %d counts recovered, %d of them 1-%d, in %.1f s%n", found.size(),
                found.stream().filter(Recovered::small).count(), t - 1, attackSeconds));
        List<Recovered> combined = attacks.combined();
        b.append(String.format(Locale.ROOT, "all relations together (equalities solved): %d hidden cells filled, "
                        + "%d of them 1-%d%n", combined.stream().filter(r -> r.hiddenCell() && r.what().contains("hidden cell"))
                        .count(),
                combined.stream().filter(r -> r.hiddenCell() && r.what().contains("hidden cell") && r.small()).count(),
                t - 1));
        b.append(issueFigures(out, attacks, found, truth));
        b.append(audit(audit, truth));
        return b.toString();
    }

    /** Per attack, table and kind of count: found, 1 to threshold-1, hidden cells, exact, and checked/right. */
    static String table(List<Recovered> found, AttackTruth truth) {
        Map<String, long[]> counts = new TreeMap<>();
        for (Recovered r : found) {
            String key = String.format(Locale.ROOT, "%-28s %-18s %s", r.attack().title(), r.table(),
                    r.what().replaceAll("\\d+", "#"));
            long[] c = counts.computeIfAbsent(key, k -> new long[6]);
            c[0]++;
            c[1] += r.small() ? 1 : 0;
            c[2] += r.hiddenCell() ? 1 : 0;
            c[3] += r.exact() ? 1 : 0;
            Long real = truth == null ? null : truth.truth(r);
            if (real != null) {
                c[4]++;
                boolean right = r.exact() || r.low() == r.high() ? real == r.count()
                        : r.low() <= real && real <= r.high() && (r.what().contains("at most") || real == r.count());
                c[5] += right ? 1 : 0;
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-118s %6s %6s %6s %6s %7s %6s%n",
                "attack / table / count", "found", "1-10", "hidden", "exact", "checked", "right"));
        counts.forEach((k, c) -> b.append(String.format(Locale.ROOT, "%-118s %6d %6d %6d %6d %7d %6d%n",
                k.length() > 118 ? k.substring(0, 118) : k, c[0], c[1], c[2], c[3], c[4], c[5])));
        return b.toString();
    }

    /** The figures issue 13 gives, as measured here. */
    static String issueFigures(PublishedOutputs out, PublishedAttacks attacks, List<Recovered> found,
                               AttackTruth truth) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nissue 13's figures%n"));
        int t = out.threshold();
        // 1. relapse_curve steps
        for (String clock : List.of("admission", "discharge")) {
            List<Recovered> steps = found.stream().filter(r -> r.table().equals(RelationSystem.RELAPSE_CURVE)
                    && r.what().startsWith("relapses") && r.rowKey().contains("|" + clock + "|")).toList();
            long exact = steps.stream().filter(Recovered::exact).count();
            long right = steps.stream().filter(r -> Long.valueOf(r.count()).equals(truth.truth(r))).count();
            long byRounding = steps.stream().filter(r -> {
                Long real = truth.truth(r);
                return real != null && real.equals(attacks.roundedStep(r.table(), r.rowKey()));
            }).count();
            long smallRight = steps.stream().filter(r -> Long.valueOf(r.count()).equals(truth.truth(r)) && r.small())
                    .count();
            b.append(String.format(Locale.ROOT, "1. relapse_curve %s clock: %d steps, %d sure (exact or pinned by the "
                            + "limits), %d right by rounding, %d right as recovered (%s), %d right and 1-%d%n", clock,
                    steps.size(), exact, byRounding, right, truth.hasSteps() ? "restricted day counts" : "not checked",
                    smallRight, t - 1));
        }
        long summaryCells = found.stream().filter(r -> r.attack() == Attack.CURVE_DIFFERENCING
                && r.table().equals(RelationSystem.RELAPSE_SUMMARY) && r.what().startsWith("relapses (hidden")).count();
        long summaryAtRisk = found.stream().filter(r -> r.attack() == Attack.CURVE_DIFFERENCING
                && r.table().equals(RelationSystem.RELAPSE_SUMMARY) && r.what().startsWith("at_risk (hidden")).count();
        b.append(String.format(Locale.ROOT, "   hidden relapse_summary cells filled from the curves: %d relapses, %d "
                + "at_risk%n", summaryCells, summaryAtRisk));
        List<Recovered> dropouts = found.stream().filter(r -> r.table().equals(RelationSystem.RETENTION_CURVE)
                && r.what().startsWith("discharges")).toList();
        long trueSmall = dropouts.stream().filter(r -> {
            Long v = truth.truth(r);
            return v != null && v >= 1 && v < t;
        }).count();
        long trueSmallRight = dropouts.stream().filter(r -> {
            Long v = truth.truth(r);
            return v != null && v >= 1 && v < t && v.equals(attacks.roundedStep(r.table(), r.rowKey()));
        }).count();
        b.append(String.format(Locale.ROOT, "   retention_curve: %d steps with both estimates; %d of the %d whose true "
                + "discharges are 1-%d recovered by rounding%n", dropouts.size(), trueSmallRight, trueSmall, t - 1));
        // 2. trend_p
        List<TrendInversion.Result> results = new ArrayList<>();
        for (TrendInversion.Case c : TrendInversion.cases(out)) {
            results.add(c.solve());
        }
        b.append(trend("all cases", results, r -> true));
        b.append(trend("two hidden levels", results, r -> r.of().hiddenLevels().size() == 2));
        b.append(trend("program_id, two hidden levels", results,
                r -> r.of().stratum().equals("program_id") && r.of().hiddenLevels().size() == 2));
        b.append(trend("program_id, two hidden levels, the first level shown (the issue's 7)", results,
                r -> r.of().stratum().equals("program_id") && r.of().hiddenLevels().size() == 2
                        && r.of().levels().stream().anyMatch(l -> l.order() == 1 && !l.hidden())));
        for (TrendInversion.Result r : results) {
            if (r.unique() && r.of().stratum().equals("program_id")) {
                StringBuilder s = new StringBuilder();
                for (TrendInversion.Level l : r.solution()) {
                    s.append(String.format(Locale.ROOT, " %s %d/%d", l.label(), l.relapsed(), l.known()));
                    Long real = truth.cell(RelationSystem.DOSE, l.rowKey(), "relapsed_known");
                    Long realN = truth.cell(RelationSystem.DOSE, l.rowKey(), "known_status");
                    if (real != null) {
                        s.append(real == l.relapsed() && realN != null && realN == l.known() ? " (right)" : " (WRONG)");
                    }
                }
                b.append("     ").append(r.of().key()).append(':').append(s).append('\n');
            }
        }
        // 3. retention_summary rows with a small difference
        Map<String, Set<String>> rowsBy = new LinkedHashMap<>();
        Set<String> strataRows = new TreeSet<>();
        for (PublishedOutputs.Row r : out.table(RelationSystem.RETENTION_SUMMARY).rows()) {
            strataRows.add(r.text("stratum") + "|" + r.text("stratum_value"));
        }
        for (Recovered r : found) {
            if (r.attack() == Attack.ROW_SUBTRACTION && r.table().equals(RelationSystem.RETENTION_SUMMARY) && r.small()) {
                String sv = r.rowKey().substring(0, r.rowKey().lastIndexOf('|'));
                rowsBy.computeIfAbsent(r.what(), k -> new TreeSet<>()).add(sv);
            }
        }
        Set<String> named = new TreeSet<>();
        for (String w : List.of("episodes - discharged", "discharged - completed - dropouts", "episodes - engaged")) {
            named.addAll(rowsBy.getOrDefault(w, Set.of()));
        }
        Set<String> withCompleted = new TreeSet<>(named);
        withCompleted.addAll(rowsBy.getOrDefault("discharged - completed", Set.of()));
        Set<String> all = new TreeSet<>();
        rowsBy.values().forEach(all::addAll);
        b.append(String.format(Locale.ROOT, "3. retention_summary stratum rows (of %d) with a difference of 1-%d: %d by "
                        + "the issue's three (episodes - discharged, discharged - completed - dropouts, episodes - "
                        + "engaged), %d adding discharged - completed, %d by every row relation%n", strataRows.size(),
                t - 1, named.size(), withCompleted.size(), all.size()));
        rowsBy.forEach((w, rows) -> b.append(String.format(Locale.ROOT, "     %-60s %d rows%n", w, rows.size())));
        // 4. texts
        found.stream().filter(r -> r.attack() == Attack.TEXT_AND_FLAGS && r.hiddenCell() && r.what().contains("whole"))
                .forEach(r -> b.append(String.format(Locale.ROOT, "4. %s [%s]: %s = %d%s%n", r.table(), r.rowKey(),
                        r.what(), r.count(), check(truth, r))));
        List<Recovered> tens = found.stream().filter(r -> r.what().contains("estimable = true")).toList();
        long tensRight = tens.stream().filter(r -> Long.valueOf(r.count()).equals(truth.truth(r))).count();
        long tensChecked = tens.stream().filter(r -> truth.truth(r) != null).count();
        b.append(String.format(Locale.ROOT, "   estimable = true beside a hidden group: %d groups guessed at %d "
                + "relapses, %d of %d checked right%n", tens.size(), tens.isEmpty() ? 0 : tens.get(0).count(), tensRight,
                tensChecked));
        found.stream().filter(r -> r.what().startsWith("overdoses_after_abstinence (overall"))
                .forEach(r -> b.append(String.format(Locale.ROOT, "   %s [%s]: %s%s%n", r.table(), r.rowKey(), r.what(),
                        check(truth, r))));
        // 5. across tables
        found.stream().filter(r -> r.attack() == Attack.ACROSS_TABLES && r.small()
                        && r.what().startsWith("retention discharged - continuity discharged_episodes (completed)"))
                .forEach(r -> b.append(String.format(Locale.ROOT, "5. %s [%s]: %s = %d%n", r.table(), r.rowKey(),
                        r.what(), r.count())));
        return b.toString();
    }

    private static String check(AttackTruth truth, Recovered r) {
        Long v = truth.truth(r);
        return v == null ? "" : " (true value " + v + ")";
    }

    private static String trend(String title, List<TrendInversion.Result> results,
                                Predicate<TrendInversion.Result> which) {
        List<TrendInversion.Result> chosen = results.stream().filter(which).toList();
        return String.format(Locale.ROOT, "2. dose_response trend_p, %s: %d cases with hidden levels, %d searched, "
                        + "%d with a unique solution%n", title, chosen.size(),
                chosen.stream().filter(TrendInversion.Result::searched).count(),
                chosen.stream().filter(TrendInversion.Result::unique).count());
    }

    /** The interval audit's findings per kind, table and column, and how many true values lie in the ranges. */
    static String audit(AttackerIntervalAudit.Result r, AttackTruth truth) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%ninterval audit: %d hidden cells, %d implied "
                        + "counts, %d simplex solves (%d failed), %.1f s; relations dropped as contradicted: %s; "
                        + "inconsistencies: %s%n", r.hiddenCells(), r.implied(), r.lps(), r.lpFailures(), r.seconds(),
                r.broken().keySet(), r.inconsistencies()));
        Map<String, Integer> counts = new TreeMap<>();
        for (AttackerIntervalAudit.Finding f : r.findings()) {
            String column = f.table().endsWith("_curve") && !f.column().contains("at_risk")
                    ? f.column().replaceAll("\\(.*", "").trim() : f.column();
            counts.merge(String.format(Locale.ROOT, "%-14s %-18s %s", f.kind(), f.table(), column), 1, Integer::sum);
        }
        counts.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-80s %6d%n", k, v)));
        b.append(String.format(Locale.ROOT, "  curve steps inverted: %d; not inverted: %d; no candidate (the model "
                + "contradicted): %d %s%n", r.invertedSteps(), r.skippedSteps(), r.failedSteps().size(),
                r.failedSteps().stream().limit(10).toList()));
        if (truth.hasSteps()) {
            int checked = 0;
            int inside = 0;
            int pinned = 0;
            List<String> outside = new ArrayList<>();
            for (Map.Entry<String, long[]> e : r.curveCounts().entrySet()) {
                String key = e.getKey();
                int first = key.indexOf('|');
                int last = key.lastIndexOf('|');
                String table = key.substring(0, first);
                String stepKey = key.substring(first + 1, last);
                String column = key.substring(last + 1).replaceFirst("^pooled ", "");
                if (column.contains(" + ")) {
                    continue;
                }
                String kind = column.split(" ")[0];
                String series = switch (kind) {
                    case "relapses" -> table;
                    case "censored" -> table + "#censored";
                    case "deaths" -> table + "#deaths";
                    case "dropouts", "completions", "other_discharges" -> table + "#" + kind;
                    default -> null;
                };
                if (series == null) {
                    continue;
                }
                String step = stepKey.substring(stepKey.lastIndexOf('|') + 1);
                int a = step.equals("0") ? -1 : Integer.parseInt(step.split("->")[0]);
                int bDay = step.equals("0") ? 0 : Integer.parseInt(step.split("->")[1]);
                Long v = truth.stepEvents(series, stepKey.substring(0, stepKey.lastIndexOf('|')), a, bDay);
                if (v == null) {
                    continue;
                }
                checked++;
                pinned += e.getValue()[0] == e.getValue()[1] ? 1 : 0;
                if (e.getValue()[0] <= v && v <= e.getValue()[1]) {
                    inside++;
                } else if (outside.size() < 10) {
                    outside.add(key + " true " + v + " range " + e.getValue()[0] + ".." + e.getValue()[1]);
                }
            }
            b.append(String.format(Locale.ROOT, "  curve interval counts (events, censored) inside the audit's ranges, "
                    + "against the restricted day counts: %d of %d checked (%d of them pinned)%s%n", inside, checked,
                    pinned, outside.isEmpty() ? "" : " OUTSIDE: " + outside));
        }
        if (truth.hasCells()) {
            int checked = 0;
            int inside = 0;
            List<String> outside = new ArrayList<>();
            int implied = 0;
            for (Map.Entry<String, long[]> e : r.ranges().entrySet()) {
                String key = e.getKey();
                int first = key.indexOf('|');
                int last = key.lastIndexOf('|');
                Long v = truth.cell(key.substring(0, first), key.substring(first + 1, last), key.substring(last + 1));
                if (v == null) {
                    continue;
                }
                checked++;
                implied += key.endsWith("at_risk") && key.startsWith("relapse_curve") || key.startsWith("retention_curve")
                        ? 1 : 0;
                if (e.getValue()[0] <= v && v <= e.getValue()[1]) {
                    inside++;
                } else if (outside.size() < 10) {
                    outside.add(key + " true " + v + " range " + e.getValue()[0] + ".." + e.getValue()[1]);
                }
            }
            b.append(String.format(Locale.ROOT, "  true values inside the audit's ranges: %d of %d checked (%d of them "
                    + "curve points)%s%n", inside, checked, implied, outside.isEmpty() ? "" : " OUTSIDE: " + outside));
        }
        return b.toString();
    }
}
