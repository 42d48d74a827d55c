package org.iopoutcomes.publish;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.iopoutcomes.publish.PublishedOutputs.Row;

/**
 * What the attacker does not see, to confirm what it recovered: the restricted tree's per-day counts (the curves'
 * events) and the published tables of the same run with suppression off ({@code --suppression-threshold 1}). Used
 * by the numbers of the note only, never by the attacker.
 */
final class AttackTruth {
    /** table|rowKey|column -> value of the unsuppressed tables. */
    private final Map<String, Long> cells = new HashMap<>();
    /** table|series: the curve series the unsuppressed run has. */
    private final Set<String> series = new HashSet<>();
    /** relapse_curve or retention_curve series -> day -> events (relapses; discharges of every kind). */
    private final Map<String, TreeMap<Integer, Long>> events = new HashMap<>();

    /**
     * @param restricted restricted/run_date=D of the attacked run, or null
     * @param unsuppressed published/run_date=D of a run on the same input with threshold 1, or null
     */
    AttackTruth(Path restricted, Path unsuppressed) {
        if (restricted != null) {
            readEvents(restricted.resolve("relapse_day_counts.csv"), RelationSystem.RELAPSE_CURVE, "time_days",
                    "events", true);
            readEvents(restricted.resolve("relapse_day_counts.csv"), RelationSystem.RELAPSE_CURVE + "#censored",
                    "time_days", "censored", true);
            readEvents(restricted.resolve("relapse_day_counts.csv"), RelationSystem.RELAPSE_CURVE + "#deaths",
                    "time_days", "deaths", true);
            readEvents(restricted.resolve("discharge_counts.csv"), RelationSystem.RETENTION_CURVE + "#censored",
                    "day", "censored", false);
            for (String[] way : PublishedAttacks.WAYS_OUT) {
                readEvents(restricted.resolve("discharge_counts.csv"), RelationSystem.RETENTION_CURVE, "day", way[1],
                        false);
                readEvents(restricted.resolve("discharge_counts.csv"), RelationSystem.RETENTION_CURVE + "#" + way[1],
                        "day", way[1], false);
            }
        }
        if (unsuppressed != null) {
            PublishedOutputs out = PublishedOutputs.read(unsuppressed);
            for (PublishedOutputs.Table t : out.tables().values()) {
                var keys = RelationSystem.Builder.keysOf(t.name());
                if (keys.isEmpty()) {
                    continue;
                }
                for (Row r : t.rows()) {
                    String key = r.key(keys);
                    if (t.name().endsWith("_curve")) {
                        series.add(t.name() + "|" + key.substring(0, key.lastIndexOf('|')));
                    }
                    for (String column : t.header()) {
                        String text = r.text(column);
                        if (!text.isEmpty() && text.matches("-?\\d+(\\.0)?")) {
                            cells.put(t.name() + "|" + key + "|" + column, Math.round(Double.parseDouble(text)));
                        }
                    }
                }
            }
        }
    }

    private void readEvents(Path csv, String table, String dayColumn, String eventColumn, boolean relapse) {
        if (!Files.exists(csv)) {
            return;
        }
        try {
            PublishedOutputs.Table t = PublishedOutputs.Table.parse(table, Files.readString(csv));
            for (Row r : t.rows()) {
                String key = r.text("stratum") + "|" + r.text("stratum_value")
                        + (relapse ? "|" + r.text("definition") + "|" + r.text("clock") : "");
                events.computeIfAbsent(table + "|" + key, k -> new TreeMap<>())
                        .merge(r.integer(dayColumn), r.count(eventColumn), Long::sum);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Episodes of a curve series with time > day (day -1: all), from the restricted day counts (every kind of exit
     * and the censored); null: unknown.
     */
    Long after(String table, String seriesKey, int day) {
        long total = 0;
        long upTo = 0;
        boolean any = false;
        List<String> kinds = new ArrayList<>(List.of(table + "#censored"));
        if (table.equals(RelationSystem.RELAPSE_CURVE)) {
            kinds.add(table);
            kinds.add(table + "#deaths");
        } else {
            kinds.add(table); // dropouts, completions and other discharges together
        }
        for (String kind : kinds) {
            TreeMap<Integer, Long> byDay = events.get(kind + "|" + seriesKey);
            if (byDay == null) {
                continue;
            }
            any = true;
            for (Map.Entry<Integer, Long> e : byDay.entrySet()) {
                total += e.getValue();
                if (e.getKey() <= day) {
                    upTo += e.getValue();
                }
            }
        }
        return any ? total - upTo : null;
    }

    /** The true value of a published cell; 0 for a curve point past the unsuppressed curve's end; null: unknown. */
    Long cell(String table, String rowKey, String column) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*)\\|(all|after (\\d+))$").matcher(rowKey);
        if (table.endsWith("_curve") && m.matches()) {
            return after(table, m.group(1), m.group(3) == null ? -1 : Integer.parseInt(m.group(3)));
        }
        Long v = cells.get(table + "|" + rowKey + "|" + column);
        if (v == null && table.endsWith("_curve") && rowKey.contains("|")
                && series.contains(table + "|" + rowKey.substring(0, rowKey.lastIndexOf('|')))) {
            return 0L;
        }
        return v;
    }

    /** Events of a curve step (a, b], from the restricted per-day counts; null: unknown. */
    Long stepEvents(String table, String seriesKey, int a, int b) {
        TreeMap<Integer, Long> byDay = events.get(table + "|" + seriesKey);
        if (byDay == null) {
            return null;
        }
        return byDay.subMap(a, false, b, true).values().stream().mapToLong(Long::longValue).sum();
    }

    boolean hasSteps() {
        return !events.isEmpty();
    }

    boolean hasCells() {
        return !cells.isEmpty();
    }

    /**
     * The true count behind a record, where this knows it: a curve step's events, or the hidden cell a record
     * names (its column is the first word of {@code what}); null otherwise.
     */
    Long truth(Recovered r) {
        String what = r.what();
        if (r.table().endsWith("_curve") && r.rowKey().contains("->")) {
            String key = r.rowKey();
            int bar = key.lastIndexOf('|');
            String[] days = key.substring(bar + 1).split("->");
            String series = null;
            if (what.startsWith("relapses") || what.startsWith("discharges") || what.startsWith("events")) {
                series = r.table();
            }
            if (what.startsWith("censored ")) {
                series = r.table() + "#censored";
            }
            if (what.startsWith("deaths ")) {
                series = r.table() + "#deaths";
            }
            for (String[] way : PublishedAttacks.WAYS_OUT) {
                if (what.startsWith(way[1] + " ")) {
                    series = r.table() + "#" + way[1];
                }
            }
            if (what.contains(" + ")) {
                series = null; // hidden kinds known only together
            }
            if (series != null) {
                return stepEvents(series, key.substring(0, bar), Integer.parseInt(days[0]),
                        Integer.parseInt(days[1]));
            }
        }
        if (!r.hiddenCell()) {
            return null;
        }
        String column = what.contains("cohort_episodes") ? "cohort_episodes" : what.split("[ :(]")[0];
        return cell(r.table(), r.rowKey(), column);
    }
}
