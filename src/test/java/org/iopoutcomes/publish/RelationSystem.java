package org.iopoutcomes.publish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.iopoutcomes.publish.PublishedOutputs.Row;
import org.iopoutcomes.publish.PublishedOutputs.Table;

/**
 * What an attacker knows about the published numbers, as linear relations between counts of people: every count
 * cell of the published tables (shown: a number; empty: an unknown >= 0), the counts the tables imply without
 * showing them (a curve point after the curve stopped, the events and exits of a curve step), and the relations
 * between them that follow from the documented definitions:
 * <ul>
 *   <li>the stratum values of a stratum add up to the overall row, for every additive count column (and, in
 *   dose_response, the levels of both dimensions add up to the same population);</li>
 *   <li>inside a row, totals and their parts (episodes >= discharged >= completed + dropouts, ...);</li>
 *   <li>the same people in two tables (retention_summary.discharged = relapse_summary's discharge-clock episodes,
 *   ...) or in two rows (a count repeated on every horizon row);</li>
 *   <li>curves: at risk at one grid point minus the next = events + exits of the step; the events of a step are
 *   bounded (or known) from the estimates; the summary at a horizon lies between the curve's grid points;</li>
 *   <li>cumulative counts only grow with the horizon (relapses by H), numbers at risk only shrink.</li>
 * </ul>
 * Each relation carries the attack family it belongs to, so the attacks of {@link PublishedAttacks} and the
 * interval audit of {@link AttackerIntervalAudit} read the same knowledge. A relation family that a published instance
 * contradicts (all its cells shown and the relation false) is dropped and listed in {@link #broken()}: the
 * declared knowledge must hold on the data, or the audit would prove things that are not so.
 */
final class RelationSystem {
    static final long INF = Long.MAX_VALUE;
    static final String RETENTION_SUMMARY = "retention_summary";
    static final String RETENTION_CURVE = "retention_curve";
    static final String RELAPSE_SUMMARY = "relapse_summary";
    static final String RELAPSE_CURVE = "relapse_curve";
    static final String CONTINUITY = "continuity_effect";
    static final String DOSE = "dose_response";
    static final String OVERALL = "overall";

    /** A published count cell, a count implied but not shown, or an auxiliary count (the events of a step). */
    enum Kind { PUBLISHED, IMPLICIT, AUX }

    static final class Cell {
        final int index;
        final String id;
        final String table;
        final String column;
        final Kind kind;
        /** A row where the cell is (where it is hidden, when it is hidden somewhere). */
        String rowKey;
        /** The shown value; null = not shown anywhere. */
        Long value;
        /** What is known before any relation (0 and no limit for a hidden cell). */
        long low;
        long high = INF;
        final List<String> shownIn = new ArrayList<>();
        final List<String> hiddenIn = new ArrayList<>();

        Cell(int index, String id, String table, String column, Kind kind, String rowKey) {
            this.index = index;
            this.id = id;
            this.table = table;
            this.column = column;
            this.kind = kind;
            this.rowKey = rowKey;
        }

        boolean known() {
            return value != null;
        }

        @Override
        public String toString() {
            return id + (value == null ? "=?" : "=" + value);
        }
    }

    record Term(Cell cell, long coef) {}

    enum Op { EQ, GE }

    /**
     * sum(coef * cell) op 0. For a GE relation whose {@code remainder} is named, the sum itself is a count of
     * people (e.g. "episodes - discharged": the episodes still in care).
     */
    record Relation(String family, Attack attack, String table, String rowKey, List<Term> terms, Op op,
                    String remainder) {
        long knownSum() {
            long s = 0;
            for (Term t : terms) {
                s += t.coef() * t.cell().value;
            }
            return s;
        }

        List<Cell> unknowns() {
            List<Cell> u = new ArrayList<>();
            for (Term t : terms) {
                if (!t.cell().known()) {
                    u.add(t.cell());
                }
            }
            return u;
        }
    }

    private final int threshold;
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final List<Cell> byIndex = new ArrayList<>();
    private final List<Relation> relations = new ArrayList<>();
    private final Set<String> relationKeys = new HashSet<>();
    private final Map<String, String> broken = new TreeMap<>();

    private RelationSystem(int threshold) {
        this.threshold = threshold;
    }

    /** An empty system, for relations made by hand (tests). */
    static RelationSystem empty(int threshold) {
        return new RelationSystem(threshold);
    }

    int threshold() {
        return threshold;
    }

    Collection<Cell> cells() {
        return byIndex;
    }

    Cell cell(int index) {
        return byIndex.get(index);
    }

    List<Relation> relations() {
        return relations;
    }

    /** Relation families contradicted by the published numbers (dropped), with one example each. */
    Map<String, String> broken() {
        return broken;
    }

    // ---------------------------------------------------------------------------------------------------------
    // cells and relations

    /** The cell of {@code identity} (a count that several rows repeat has one identity), seen in {@code row}. */
    Cell published(String table, String identity, String column, String rowKey, Long value) {
        String id = table + ":" + identity + ":" + column;
        Cell c = cells.get(id);
        if (c == null) {
            c = new Cell(byIndex.size(), id, table, column, Kind.PUBLISHED, rowKey);
            cells.put(id, c);
            byIndex.add(c);
        }
        if (value == null) {
            if (c.hiddenIn.isEmpty()) {
                c.rowKey = rowKey;
            }
            c.hiddenIn.add(rowKey);
        } else {
            c.shownIn.add(rowKey);
            if (c.value != null && !c.value.equals(value)) {
                broken.putIfAbsent("same cell on every row: " + table + "." + column,
                        id + " shown as " + c.value + " and " + value);
            }
            c.value = value;
        }
        return c;
    }

    Cell other(Kind kind, String table, String id, String column, String rowKey, long low, long high) {
        Cell c = cells.get(id);
        if (c == null) {
            c = new Cell(byIndex.size(), id, table, column, kind, rowKey);
            c.low = low;
            c.high = high;
            cells.put(id, c);
            byIndex.add(c);
        }
        return c;
    }

    Cell constant(String id, long value) {
        Cell c = other(Kind.AUX, "", "const:" + id, "", "", value, value);
        c.value = value;
        return c;
    }

    /** Adds sum(coef * cell) op 0 once (the same terms twice are one relation). */
    void relate(String family, Attack attack, String table, String rowKey, Op op, String remainder, Object... termPairs) {
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < termPairs.length; i += 2) {
            Cell c = (Cell) termPairs[i];
            long coef = ((Number) termPairs[i + 1]).longValue();
            if (c == null) {
                return; // a cell the table does not have: the relation is not there either
            }
            terms.add(new Term(c, coef));
        }
        relate(family, attack, table, rowKey, op, remainder, terms);
    }

    void relate(String family, Attack attack, String table, String rowKey, Op op, String remainder, List<Term> terms) {
        Map<Cell, Long> merged = new LinkedHashMap<>();
        for (Term t : terms) {
            if (t.cell() == null) {
                return;
            }
            merged.merge(t.cell(), t.coef(), Long::sum);
        }
        List<Term> clean = new ArrayList<>();
        StringBuilder key = new StringBuilder(op.name());
        for (Map.Entry<Cell, Long> e : merged.entrySet()) {
            if (e.getValue() != 0) {
                clean.add(new Term(e.getKey(), e.getValue()));
            }
        }
        clean.stream().map(t -> t.cell().index + "*" + t.coef()).sorted().forEach(s -> key.append(',').append(s));
        if (clean.isEmpty() || !relationKeys.add(key.toString())) {
            return;
        }
        relations.add(new Relation(family, attack, table, rowKey, List.copyOf(clean), op, remainder));
    }

    /** Drops every relation family that a fully shown instance contradicts. */
    private void validate() {
        for (Relation r : relations) {
            if (!r.unknowns().isEmpty()) {
                continue;
            }
            long s = r.knownSum();
            boolean holds = r.op() == Op.EQ ? s == 0 : s >= 0;
            if (!holds) {
                broken.putIfAbsent(r.family(), r.table() + " [" + r.rowKey() + "]: " + describe(r) + " is " + s);
            }
        }
        relations.removeIf(r -> broken.containsKey(r.family()));
    }

    static String describe(Relation r) {
        StringBuilder b = new StringBuilder();
        for (Term t : r.terms()) {
            b.append(t.coef() < 0 ? " - " : b.length() == 0 ? "" : " + ");
            if (Math.abs(t.coef()) != 1) {
                b.append(Math.abs(t.coef())).append('*');
            }
            b.append(t.cell());
        }
        return b.append(r.op() == Op.EQ ? " = 0" : " >= 0").toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // building from the published tables

    static RelationSystem build(PublishedOutputs out) {
        RelationSystem s = new RelationSystem(out.threshold());
        Builder b = new Builder(s, out);
        b.build();
        s.inversions = b.inversions;
        s.failedSteps = b.failedSteps;
        s.skippedSteps = b.skippedSteps;
        s.validate();
        return s;
    }

    /** Per curveTable|stepKey: what inverting the step's estimates gave ({@link GridSteps#invert}). */
    Map<String, GridSteps.Inversion> inversions = Map.of();
    /** Curve steps whose published numbers no candidate gives (the attacker's model is wrong there). */
    List<String> failedSteps = List.of();
    /** Curve steps not inverted (a weight unknown, hidden kinds on a spread interval, too many candidates). */
    int skippedSteps;

    /** Reads the tables and declares the relations. */
    static final class Builder {
        final RelationSystem s;
        final PublishedOutputs out;
        final JsonNode settings;
        final int minAtRisk;
        final int curveStep;
        final List<String> comparedLevels = new ArrayList<>();

        Builder(RelationSystem s, PublishedOutputs out) {
            this.s = s;
            this.out = out;
            this.settings = out.settings();
            this.minAtRisk = settings.path("relapse").path("min_at_risk").asInt(out.threshold());
            this.curveStep = settings.path("curve_step_days").asInt(7);
            settings.path("continuity").path("continuity_levels_of_care").forEach(n -> comparedLevels.add(n.asText()));
        }

        void build() {
            retentionSummary();
            relapseSummary();
            continuity();
            dose();
            curves(RELAPSE_CURVE, "at_risk", RELAPSE_SUMMARY, minAtRisk);
            curves(RETENTION_CURVE, "n_at_risk", RETENTION_SUMMARY, out.threshold());
            acrossTables();
            flags();
        }

        /**
         * Flags and notes computed from counts: continuity_effect's estimable = true needs at least
         * min_relapses_per_group relapses in each group, its note says when a group has fewer or none;
         * relapse_summary's estimable = true needs min_at_risk at risk and the follow-up completeness minimum.
         */
        void flags() {
            Attack flag = Attack.TEXT_AND_FLAGS;
            int minEvents = settings.path("continuity").path("min_relapses_per_group").asInt(10);
            for (Row r : out.table(CONTINUITY).rows()) {
                String key = r.key(CONTINUITY_KEYS);
                String series = r.text("stratum") + "|" + r.text("stratum_value") + "|" + r.text("exposure");
                Map<String, Cell> c = continuityByH.getOrDefault(series, Map.of()).get(r.integer("horizon_days"));
                if (c == null) {
                    continue;
                }
                Cell min = s.constant("minEvents", minEvents);
                String note = r.text("note");
                if (Boolean.TRUE.equals(r.flag("estimable"))) {
                    for (String g : List.of("exposed", "unexposed")) {
                        s.relate("flags: continuity estimable => relapses >= " + minEvents, flag, CONTINUITY, key,
                                Op.GE, null, c.get(g + "_relapses"), 1, min, -1);
                    }
                } else if (note.startsWith("fewer than " + minEvents + " relapses")) {
                    for (String[] g : new String[][] {{"exposed", "unexposed"}, {"unexposed", "exposed"}}) {
                        Cell other = c.get(g[1] + "_relapses");
                        if (other != null && other.known() && other.value >= minEvents) {
                            s.relate("flags: continuity note fewer than " + minEvents + " relapses", flag, CONTINUITY,
                                    key, Op.GE, null, s.constant("minEvents-1", minEvents - 1), 1,
                                    c.get(g[0] + "_relapses"), -1);
                        }
                    }
                }
                for (String g : List.of("exposed", "unexposed")) {
                    if (note.startsWith("no " + g + " episodes")) {
                        s.relate("flags: continuity note no " + g + " episodes", flag, CONTINUITY, key, Op.EQ, null,
                                c.get(g + "_n"), 1);
                    }
                }
            }
            double completeness = settings.path("relapse").path("min_completeness").asDouble(0.5);
            long scaled = Math.round(completeness * 1000);
            boolean exactScale = Math.abs(completeness * 1000 - scaled) < 1e-9;
            for (Row r : out.table(RELAPSE_SUMMARY).rows()) {
                String series = r.text("stratum") + "|" + r.text("stratum_value") + "|" + r.text("definition") + "|"
                        + r.text("clock");
                Map<String, Cell> c = relapse.getOrDefault(series, Map.of()).get(r.integer("horizon_days"));
                if (c == null) {
                    continue;
                }
                String key = r.key(RELAPSE_KEYS);
                if (Boolean.TRUE.equals(r.flag("estimable"))) {
                    s.relate("flags: relapse estimable => at_risk >= " + minAtRisk, flag, RELAPSE_SUMMARY, key, Op.GE,
                            null, c.get("at_risk"), 1, s.constant("minAtRisk", minAtRisk), -1);
                    if (exactScale) {
                        s.relate("flags: relapse estimable => completeness >= " + completeness, flag, RELAPSE_SUMMARY,
                                key, Op.GE, null, c.get("known_status"), 1000, c.get("eligible"), -scaled);
                    }
                } else if (Boolean.FALSE.equals(r.flag("estimable")) && r.number("followup_completeness") != null
                        && r.number("followup_completeness") >= completeness) {
                    s.relate("flags: relapse not estimable with enough follow-up => at_risk < " + minAtRisk, flag,
                            RELAPSE_SUMMARY, key, Op.GE, null, s.constant("minAtRisk-1", minAtRisk - 1), 1,
                            c.get("at_risk"), -1);
                }
            }
        }

        static final List<String> RETENTION_KEYS = List.of("stratum", "stratum_value", "horizon_days");
        static final List<String> RETENTION_FIXED = List.of("episodes", "discharged", "completed", "dropouts",
                "initiated", "engaged");

        static final List<String> RELAPSE_KEYS = List.of("stratum", "stratum_value", "definition", "clock",
                "horizon_days");
        static final List<String> RELAPSE_PER_H = List.of("at_risk", "relapses", "eligible", "known_status",
                "relapsed_known", "known_relapse_free", "lost_before_horizon");
        static final List<String> RELAPSE_VERDICT = List.of("relapses_after_abstinence", "overdoses_after_abstinence",
                "followup_calls", "followup_reached", "followup_abstinent", "followup_participants");

        static final List<String> CONTINUITY_KEYS = List.of("stratum", "stratum_value", "exposure", "horizon_days",
                "landmark_days");
        static final List<String> CONTINUITY_FIXED = List.of("discharged_episodes", "excluded_relapsed_before_landmark",
                "excluded_censored_before_landmark", "cohort_episodes", "exposed_n", "unexposed_n");
        static final List<String> CONTINUITY_PER_H = List.of("exposed_relapses", "unexposed_relapses",
                "exposed_known_status", "unexposed_known_status");
        static final List<String> CONTINUITY_MODEL = List.of("hr_model_n", "hr_model_events", "or_model_n",
                "or_model_events", "rows_left_out_missing");

        static final List<String> DOSE_KEYS = List.of("stratum", "stratum_value", "dimension", "level", "level_order",
                "horizon_days");
        static final List<String> DOSE_PER_H = List.of("relapses", "known_status", "relapsed_known");

        /** A stratum value as the retention and continuity tables name it (relapse tables say "missing"). */
        static String norm(String table, String value) {
            return (table.startsWith("relapse") && value.equals("missing")) ? "not_recorded" : value;
        }

        Cell cellOf(String table, Row row, String identity, String column) {
            if (!row.has(column)) {
                return null;
            }
            return s.published(table, identity, column, row.key(keysOf(table)), row.count(column));
        }

        static List<String> keysOf(String table) {
            return switch (table) {
                case RETENTION_SUMMARY -> RETENTION_KEYS;
                case RELAPSE_SUMMARY -> RELAPSE_KEYS;
                case CONTINUITY -> CONTINUITY_KEYS;
                case DOSE -> DOSE_KEYS;
                case RETENTION_CURVE -> List.of("stratum", "stratum_value", "day");
                case RELAPSE_CURVE -> List.of("stratum", "stratum_value", "definition", "clock", "day");
                default -> List.of();
            };
        }

        // ---- retention_summary -------------------------------------------------------------------------------

        /** cells[stratum|value][column] and, per horizon, n_at_risk. */
        final Map<String, Map<String, Cell>> retention = new LinkedHashMap<>();
        final Map<String, Map<Integer, Cell>> retentionAtRisk = new LinkedHashMap<>();

        void retentionSummary() {
            Table t = out.table(RETENTION_SUMMARY);
            for (Row r : t.rows()) {
                String sv = r.text("stratum") + "|" + r.text("stratum_value");
                int h = r.integer("horizon_days");
                Map<String, Cell> c = retention.computeIfAbsent(sv, k -> new LinkedHashMap<>());
                for (String col : RETENTION_FIXED) {
                    Cell cell = cellOf(RETENTION_SUMMARY, r, sv, col);
                    if (cell != null) {
                        c.put(col, cell);
                    }
                }
                Cell atRisk = cellOf(RETENTION_SUMMARY, r, sv + "|" + h, "n_at_risk");
                retentionAtRisk.computeIfAbsent(sv, k -> new TreeMap<>()).put(h, atRisk);
                String key = r.key(RETENTION_KEYS);
                Attack row = Attack.ROW_SUBTRACTION;
                s.relate("retention: episodes >= discharged", row, RETENTION_SUMMARY, key, Op.GE,
                        "episodes - discharged", c.get("episodes"), 1, c.get("discharged"), -1);
                s.relate("retention: discharged >= completed + dropouts", row, RETENTION_SUMMARY, key, Op.GE,
                        "discharged - completed - dropouts", c.get("discharged"), 1, c.get("completed"), -1,
                        c.get("dropouts"), -1);
                s.relate("retention: discharged >= completed", row, RETENTION_SUMMARY, key, Op.GE,
                        "discharged - completed", c.get("discharged"), 1, c.get("completed"), -1);
                s.relate("retention: discharged >= dropouts", row, RETENTION_SUMMARY, key, Op.GE,
                        "discharged - dropouts", c.get("discharged"), 1, c.get("dropouts"), -1);
                s.relate("retention: episodes >= initiated", row, RETENTION_SUMMARY, key, Op.GE,
                        "episodes - initiated", c.get("episodes"), 1, c.get("initiated"), -1);
                s.relate("retention: initiated >= engaged", row, RETENTION_SUMMARY, key, Op.GE,
                        "initiated - engaged", c.get("initiated"), 1, c.get("engaged"), -1);
                s.relate("retention: episodes >= engaged", row, RETENTION_SUMMARY, key, Op.GE,
                        "episodes - engaged", c.get("episodes"), 1, c.get("engaged"), -1);
                s.relate("retention: episodes >= n_at_risk", row, RETENTION_SUMMARY, key, Op.GE,
                        "episodes - n_at_risk (left or censored before the horizon)", c.get("episodes"), 1, atRisk, -1);
            }
            // n_at_risk only shrinks with the horizon
            retentionAtRisk.forEach((sv, byH) -> chain(RETENTION_SUMMARY, sv, byH, -1, "n_at_risk",
                    Attack.CURVE_DIFFERENCING));
            List<String> columns = new ArrayList<>(RETENTION_FIXED);
            strata(RETENTION_SUMMARY, retention, columns);
            Map<String, Map<String, Cell>> atRisk = new LinkedHashMap<>();
            retentionAtRisk.forEach((sv, byH) -> byH.forEach((h, c) ->
                    atRisk.computeIfAbsent(sv.substring(0, sv.indexOf('|')) + "|" + h + "#" + sv.substring(sv.indexOf('|') + 1),
                            k -> new LinkedHashMap<>()).put("n_at_risk", c)));
            // not the values' n_at_risk at H adding up to the overall's: on grids each is the number at risk after
            // its own grid's previous day (the curve cells relate them, RelationSystem.Builder#curves)
        }

        /**
         * A count that only grows (sign 1) or shrinks (sign -1) with the horizon: consecutive horizons, the
         * difference is the people of the step (relapses between two horizons, people lost between them).
         */
        void chain(String table, String rowKey, Map<Integer, Cell> byH, int sign, String column, Attack attack) {
            Integer previous = null;
            for (Integer h : byH.keySet()) {
                if (previous != null && byH.get(previous) != null && byH.get(h) != null) {
                    s.relate(table + ": " + column + " by horizon", attack, table, rowKey + "|" + previous + "->" + h,
                            Op.GE, column + " between days " + previous + " and " + h,
                            byH.get(h), sign, byH.get(previous), -sign);
                }
                previous = h;
            }
        }

        /** Values of a stratum add up to the overall row; cells keyed "stratum|value". */
        void strata(String table, Map<String, Map<String, Cell>> cellsByStratumValue, List<String> columns) {
            Map<String, Map<String, Cell>> lined = new LinkedHashMap<>();
            cellsByStratumValue.forEach((sv, c) -> {
                int bar = sv.indexOf('|');
                lined.put(sv.substring(0, bar) + "#" + sv.substring(bar + 1), c);
            });
            strataWithLine(table, lined, columns);
        }

        /**
         * Values of a stratum add up to the overall row, per line. Keys are "stratumAndLine#value" where
         * stratumAndLine is "stratum|line..." (the overall row: "overall|line...#overall").
         */
        void strataWithLine(String table, Map<String, Map<String, Cell>> cells, List<String> columns) {
            Map<String, Map<String, Map<String, Cell>>> byLine = new LinkedHashMap<>();
            cells.forEach((key, c) -> {
                int hash = key.lastIndexOf('#');
                String stratumLine = key.substring(0, hash);
                byLine.computeIfAbsent(stratumLine, k -> new LinkedHashMap<>()).put(key.substring(hash + 1), c);
            });
            byLine.forEach((stratumLine, values) -> {
                int bar = stratumLine.indexOf('|');
                String stratum = bar < 0 ? stratumLine : stratumLine.substring(0, bar);
                String line = bar < 0 ? "" : stratumLine.substring(bar);
                if (stratum.equals(OVERALL)) {
                    return;
                }
                Map<String, Map<String, Cell>> overall = byLine.get(OVERALL + line);
                if (overall == null || !overall.containsKey(OVERALL)) {
                    return;
                }
                for (String column : columns) {
                    List<Term> terms = new ArrayList<>();
                    Cell total = overall.get(OVERALL).get(column);
                    if (total == null) {
                        continue;
                    }
                    terms.add(new Term(total, 1));
                    boolean complete = true;
                    for (Map<String, Cell> v : values.values()) {
                        Cell part = v.get(column);
                        if (part == null) {
                            complete = false;
                            break;
                        }
                        terms.add(new Term(part, -1));
                    }
                    if (complete) {
                        s.relate(table + ": values of a stratum add up to overall (" + column + ")",
                                Attack.ACROSS_STRATA, table, stratumLine, Op.EQ, null, terms);
                    }
                }
            });
        }

        // ---- relapse_summary ---------------------------------------------------------------------------------

        /** episodes per s|v|def|clock; per-horizon cells per s|v|def|clock -> H -> column. */
        final Map<String, Cell> relapseEpisodes = new LinkedHashMap<>();
        final Map<String, Map<Integer, Map<String, Cell>>> relapse = new LinkedHashMap<>();

        void relapseSummary() {
            Table t = out.table(RELAPSE_SUMMARY);
            Map<String, Map<String, Cell>> forStrata = new LinkedHashMap<>();
            for (Row r : t.rows()) {
                String sv = r.text("stratum") + "|" + r.text("stratum_value");
                String dc = r.text("definition") + "|" + r.text("clock");
                String series = sv + "|" + dc;
                int h = r.integer("horizon_days");
                String key = r.key(RELAPSE_KEYS);
                Map<String, Cell> c = new LinkedHashMap<>();
                Cell episodes = cellOf(RELAPSE_SUMMARY, r, series, "episodes");
                relapseEpisodes.put(series, episodes);
                c.put("episodes", episodes);
                for (String col : RELAPSE_PER_H) {
                    c.put(col, cellOf(RELAPSE_SUMMARY, r, series + "|" + h, col));
                }
                boolean verdictRow = !r.isEmpty("band_lower") || !r.isEmpty("verdict")
                        || !r.isEmpty("followup_calls") || !r.isEmpty("relapses_after_abstinence")
                        || (r.text("clock").equals("discharge")
                        && h == settings.path("relapse").path("band_horizon_days").asInt(365));
                if (verdictRow) {
                    for (String col : RELAPSE_VERDICT) {
                        c.put(col, cellOf(RELAPSE_SUMMARY, r, sv + "|verdict", col));
                    }
                }
                relapse.computeIfAbsent(series, k -> new TreeMap<>()).put(h, c);
                Attack row = Attack.ROW_SUBTRACTION;
                s.relate("relapse: known_status = relapsed_known + known_relapse_free", row, RELAPSE_SUMMARY, key,
                        Op.EQ, null, c.get("known_status"), 1, c.get("relapsed_known"), -1,
                        c.get("known_relapse_free"), -1);
                s.relate("relapse: eligible = known_status + lost_before_horizon", row, RELAPSE_SUMMARY, key, Op.EQ,
                        null, c.get("eligible"), 1, c.get("known_status"), -1, c.get("lost_before_horizon"), -1);
                s.relate("relapse: episodes >= eligible", row, RELAPSE_SUMMARY, key, Op.GE,
                        "episodes - eligible (origin less than H days before the cut)", episodes, 1,
                        c.get("eligible"), -1);
                s.relate("relapse: episodes >= at_risk", row, RELAPSE_SUMMARY, key, Op.GE,
                        "episodes - at_risk", episodes, 1, c.get("at_risk"), -1);
                s.relate("relapse: episodes >= relapses", row, RELAPSE_SUMMARY, key, Op.GE,
                        "episodes - relapses", episodes, 1, c.get("relapses"), -1);
                s.relate("relapse: relapses >= relapsed_known", row, RELAPSE_SUMMARY, key, Op.GE,
                        "relapses - relapsed_known (relapses of episodes not yet eligible)", c.get("relapses"), 1,
                        c.get("relapsed_known"), -1);
                s.relate("relapse: at_risk >= known_relapse_free", row, RELAPSE_SUMMARY, key, Op.GE,
                        "at_risk - known_relapse_free", c.get("at_risk"), 1, c.get("known_relapse_free"), -1);
                if (verdictRow) {
                    s.relate("relapse: relapses_after_abstinence >= overdoses", row, RELAPSE_SUMMARY, key, Op.GE,
                            "relapses_after_abstinence - overdoses_after_abstinence",
                            c.get("relapses_after_abstinence"), 1, c.get("overdoses_after_abstinence"), -1);
                    s.relate("relapse: followup_calls >= followup_reached", row, RELAPSE_SUMMARY, key, Op.GE,
                            "followup_calls - followup_reached", c.get("followup_calls"), 1,
                            c.get("followup_reached"), -1);
                    s.relate("relapse: followup_reached >= followup_abstinent", row, RELAPSE_SUMMARY, key, Op.GE,
                            "followup_reached - followup_abstinent", c.get("followup_reached"), 1,
                            c.get("followup_abstinent"), -1);
                    s.relate("relapse: followup_calls >= followup_participants", row, RELAPSE_SUMMARY, key, Op.GE,
                            "followup_calls - followup_participants", c.get("followup_calls"), 1,
                            c.get("followup_participants"), -1);
                }
                String lineKey = r.text("stratum") + "|" + dc + "|" + h + "#" + r.text("stratum_value");
                forStrata.put(lineKey, c);
            }
            relapse.forEach((series, byH) -> {
                Map<Integer, Cell> relapses = new TreeMap<>();
                Map<Integer, Cell> atRisk = new TreeMap<>();
                Map<Integer, Cell> eligible = new TreeMap<>();
                byH.forEach((h, c) -> {
                    relapses.put(h, c.get("relapses"));
                    atRisk.put(h, c.get("at_risk"));
                    eligible.put(h, c.get("eligible"));
                });
                chain(RELAPSE_SUMMARY, series, relapses, 1, "relapses", Attack.CURVE_DIFFERENCING);
                chain(RELAPSE_SUMMARY, series, atRisk, -1, "at_risk", Attack.CURVE_DIFFERENCING);
                chain(RELAPSE_SUMMARY, series, eligible, -1, "eligible", Attack.CURVE_DIFFERENCING);
            });
            List<String> additive = new ArrayList<>(List.of("episodes"));
            additive.addAll(RELAPSE_PER_H);
            additive.remove("at_risk"); // at risk after each value's own grid's previous day: the curve cells relate them
            additive.addAll(RELAPSE_VERDICT);
            additive.remove("followup_participants"); // distinct participants: one may be in two values
            strataWithLine(RELAPSE_SUMMARY, forStrata, additive);
        }

        // ---- continuity_effect --------------------------------------------------------------------------------

        /** per s|v|exposure: the fixed cells; per s|v|exposure -> H -> cells. */
        final Map<String, Map<String, Cell>> continuity = new LinkedHashMap<>();
        final Map<String, Map<Integer, Map<String, Cell>>> continuityByH = new LinkedHashMap<>();

        void continuity() {
            Table t = out.table(CONTINUITY);
            Map<String, Map<String, Cell>> forStrata = new LinkedHashMap<>();
            for (Row r : t.rows()) {
                String sv = r.text("stratum") + "|" + r.text("stratum_value");
                String series = sv + "|" + r.text("exposure");
                int h = r.integer("horizon_days");
                String key = r.key(CONTINUITY_KEYS);
                Map<String, Cell> c = new LinkedHashMap<>();
                for (String col : CONTINUITY_FIXED) {
                    c.put(col, cellOf(CONTINUITY, r, series, col));
                }
                continuity.put(series, new LinkedHashMap<>(c));
                for (String col : CONTINUITY_PER_H) {
                    c.put(col, cellOf(CONTINUITY, r, series + "|" + h, col));
                }
                // the adjusted models' counts exist where a model was fitted: its covariates are named
                boolean model = !r.isEmpty("covariates_used") || !r.isEmpty("hr_model_n");
                if (model) {
                    for (String col : CONTINUITY_MODEL) {
                        c.put(col, cellOf(CONTINUITY, r, series + "|" + h, col));
                    }
                }
                continuityByH.computeIfAbsent(series, k -> new TreeMap<>()).put(h, c);
                Attack row = Attack.ROW_SUBTRACTION;
                s.relate("continuity: discharged = excluded + cohort", row, CONTINUITY, key, Op.EQ, null,
                        c.get("discharged_episodes"), 1, c.get("excluded_relapsed_before_landmark"), -1,
                        c.get("excluded_censored_before_landmark"), -1, c.get("cohort_episodes"), -1);
                s.relate("continuity: cohort = exposed + unexposed", row, CONTINUITY, key, Op.EQ, null,
                        c.get("cohort_episodes"), 1, c.get("exposed_n"), -1, c.get("unexposed_n"), -1);
                for (String g : List.of("exposed", "unexposed")) {
                    s.relate("continuity: " + g + "_n >= " + g + "_known_status", row, CONTINUITY, key, Op.GE,
                            g + "_n - " + g + "_known_status", c.get(g + "_n"), 1, c.get(g + "_known_status"), -1);
                    s.relate("continuity: " + g + "_known_status >= " + g + "_relapses", row, CONTINUITY, key, Op.GE,
                            g + "_known_status - " + g + "_relapses (known relapse-free)",
                            c.get(g + "_known_status"), 1, c.get(g + "_relapses"), -1);
                }
                if (model) {
                    s.relate("continuity: cohort = hr_model_n + rows_left_out_missing", row, CONTINUITY, key, Op.EQ,
                            null, c.get("cohort_episodes"), 1, c.get("hr_model_n"), -1,
                            c.get("rows_left_out_missing"), -1);
                    s.relate("continuity: relapses >= hr_model_events", row, CONTINUITY, key, Op.GE,
                            "exposed + unexposed relapses - hr_model_events", c.get("exposed_relapses"), 1,
                            c.get("unexposed_relapses"), 1, c.get("hr_model_events"), -1);
                    s.relate("continuity: known_status >= or_model_n", row, CONTINUITY, key, Op.GE,
                            "exposed + unexposed known_status - or_model_n", c.get("exposed_known_status"), 1,
                            c.get("unexposed_known_status"), 1, c.get("or_model_n"), -1);
                    s.relate("continuity: hr_model_n >= hr_model_events", row, CONTINUITY, key, Op.GE,
                            "hr_model_n - hr_model_events", c.get("hr_model_n"), 1, c.get("hr_model_events"), -1);
                    s.relate("continuity: or_model_n >= or_model_events", row, CONTINUITY, key, Op.GE,
                            "or_model_n - or_model_events", c.get("or_model_n"), 1, c.get("or_model_events"), -1);
                }
                forStrata.put(r.text("stratum") + "|" + r.text("exposure") + "|" + h + "#" + r.text("stratum_value"), c);
            }
            continuityByH.forEach((series, byH) -> {
                for (String g : List.of("exposed", "unexposed")) {
                    Map<Integer, Cell> relapses = new TreeMap<>();
                    byH.forEach((h, c) -> relapses.put(h, c.get(g + "_relapses")));
                    chain(CONTINUITY, series, relapses, 1, g + "_relapses", Attack.CURVE_DIFFERENCING);
                }
            });
            List<String> additive = new ArrayList<>(CONTINUITY_FIXED);
            additive.addAll(CONTINUITY_PER_H);
            strataWithLine(CONTINUITY, forStrata, additive);
        }

        // ---- dose_response ------------------------------------------------------------------------------------

        /** per s|v|dimension: the levels' episodes cells. */
        final Map<String, Map<String, Cell>> doseEpisodes = new LinkedHashMap<>();

        void dose() {
            Table t = out.table(DOSE);
            Map<String, Map<String, Cell>> forStrata = new LinkedHashMap<>();
            // per s|v|H|column -> dimension -> the levels' cells
            Map<String, Map<String, List<Cell>>> byDimension = new LinkedHashMap<>();
            Map<String, Map<Integer, Cell>> relapsesByH = new LinkedHashMap<>();
            for (Row r : t.rows()) {
                String sv = r.text("stratum") + "|" + r.text("stratum_value");
                String level = r.text("dimension") + "|" + r.text("level");
                String series = sv + "|" + level;
                int h = r.integer("horizon_days");
                String key = r.key(DOSE_KEYS);
                Map<String, Cell> c = new LinkedHashMap<>();
                Cell episodes = cellOf(DOSE, r, series, "episodes");
                c.put("episodes", episodes);
                doseEpisodes.computeIfAbsent(sv + "|" + r.text("dimension"), k -> new LinkedHashMap<>())
                        .put(r.text("level"), episodes);
                for (String col : DOSE_PER_H) {
                    c.put(col, cellOf(DOSE, r, series + "|" + h, col));
                }
                relapsesByH.computeIfAbsent(series, k -> new TreeMap<>()).put(h, c.get("relapses"));
                Attack row = Attack.ROW_SUBTRACTION;
                s.relate("dose: relapses = relapsed_known", row, DOSE, key, Op.EQ, null, c.get("relapses"), 1,
                        c.get("relapsed_known"), -1);
                s.relate("dose: episodes >= known_status", row, DOSE, key, Op.GE, "episodes - known_status",
                        episodes, 1, c.get("known_status"), -1);
                s.relate("dose: known_status >= relapsed_known", row, DOSE, key, Op.GE,
                        "known_status - relapsed_known (known relapse-free)", c.get("known_status"), 1,
                        c.get("relapsed_known"), -1);
                forStrata.put(r.text("stratum") + "|" + level + "|" + h + "#" + r.text("stratum_value"), c);
                for (String col : List.of("episodes", "relapses", "known_status", "relapsed_known")) {
                    byDimension.computeIfAbsent(sv + "|" + h + "|" + col, k -> new LinkedHashMap<>())
                            .computeIfAbsent(r.text("dimension"), k -> new ArrayList<>()).add(c.get(col));
                }
            }
            relapsesByH.forEach((series, byH) -> chain(DOSE, series, byH, 1, "relapses", Attack.CURVE_DIFFERENCING));
            strataWithLine(DOSE, forStrata, List.of("episodes", "relapses", "known_status", "relapsed_known"));
            // both dimensions split the same population
            byDimension.forEach((k, dims) -> {
                List<List<Cell>> lists = new ArrayList<>(dims.values());
                for (int i = 1; i < lists.size(); i++) {
                    List<Term> terms = new ArrayList<>();
                    lists.get(0).forEach(c -> terms.add(new Term(c, 1)));
                    lists.get(i).forEach(c -> terms.add(new Term(c, -1)));
                    s.relate("dose: both dimensions add up to one population", Attack.ACROSS_STRATA, DOSE, k, Op.EQ,
                            null, terms);
                }
            });
        }

        // ---- curves -------------------------------------------------------------------------------------------

        /**
         * A curve table against its summary, on grids (main's {@code CurveGrid}; {@link GridSteps}). Per line
         * (stratum, [definition, clock]) the overall curve's days o_0 = 0 < o_1 < ... are the finest grid; per value
         * and j the count A(j) of episodes with time > o_{j-1} (A(0): all of them), and per interval (o_{j-1}, o_j]
         * its events of each kind and its censored: A(j) - A(j+1) = events + censored. A value's curve shows at its
         * grid day g_i the number at risk A(index of g_{i-1} + 1) (with time > g_{i-1}), so a value's grid coarser
         * than the overall's shows fewer of them. Across values A, the events and the censored add up to the
         * overall's. Each step of a curve is inverted ({@link GridSteps#invert}: the overall's as a life table, a
         * value's spread by the overall's pooled counts) into limits on the step's pooled counts. The summary at a
         * horizon on the value's grid shows the same number at risk and the events so far.
         */
        void curves(String curveTable, String atRiskColumn, String summaryTable, int stop) {
            Table t = out.table(curveTable);
            boolean relapseCurve = curveTable.equals(RELAPSE_CURVE);
            Map<String, TreeMap<Integer, Row>> series = new LinkedHashMap<>();
            for (Row r : t.rows()) {
                String key = relapseCurve ? r.text("stratum") + "|" + r.text("stratum_value") + "|"
                        + r.text("definition") + "|" + r.text("clock")
                        : r.text("stratum") + "|" + r.text("stratum_value");
                series.computeIfAbsent(key, k -> new TreeMap<>()).put(r.integer("day"), r);
            }
            Map<String, Set<String>> lineValues = new LinkedHashMap<>();
            for (Row r : out.table(summaryTable).rows()) {
                String line = relapseCurve ? r.text("stratum") + "|" + r.text("definition") + "|" + r.text("clock")
                        : r.text("stratum");
                lineValues.computeIfAbsent(line, k -> new TreeSet<>()).add(r.text("stratum_value"));
            }
            List<Map.Entry<String, Set<String>>> lines = new ArrayList<>(lineValues.entrySet());
            lines.sort(java.util.Comparator.comparing(e -> !e.getKey().startsWith(OVERALL + "|")
                    && !e.getKey().equals(OVERALL)));
            Map<String, ValueCells> overallCells = new LinkedHashMap<>();
            for (Map.Entry<String, Set<String>> line : lines) {
                String[] parts = line.getKey().split("\\|", -1);
                String stratum = parts[0];
                String dc = relapseCurve ? "|" + parts[1] + "|" + parts[2] : "";
                String clock = relapseCurve ? parts[2] : "";
                String overallKey = OVERALL + "|" + OVERALL + dc;
                TreeMap<Integer, Row> overall = series.get(overallKey);
                if (overall == null || overall.isEmpty() || overall.firstKey() != 0) {
                    continue;
                }
                List<Integer> days = new ArrayList<>(overall.keySet());
                GridSteps.Kinds kinds = GridSteps.kinds(curveTable, clock);
                Set<String> values = stratum.equals(OVERALL) ? Set.of(OVERALL) : new LinkedHashSet<>(line.getValue());
                // the stratum's grid as far as its curves show it
                TreeSet<Integer> union = new TreeSet<>();
                for (String value : values) {
                    union.addAll(series.getOrDefault(stratum + "|" + value + dc, new TreeMap<>()).keySet());
                }
                Set<Integer> horizons = new TreeSet<>();
                for (Row r : out.table(summaryTable).rows()) {
                    horizons.add(r.integer("horizon_days"));
                }
                Map<String, ValueCells> cells = new LinkedHashMap<>();
                for (String value : values) {
                    String key = stratum + "|" + value + dc;
                    TreeMap<Integer, Row> rows = series.getOrDefault(key, new TreeMap<>());
                    ValueCells vc = valueCells(curveTable, atRiskColumn, key, rows, days, kinds, union, horizons, stop);
                    cells.put(value, vc);
                    ValueCells reference = stratum.equals(OVERALL) ? null : overallCells.get(dc);
                    invertSteps(curveTable, key, rows, days, kinds, vc, reference, atRiskColumn, union);
                    summaryLinks(curveTable, summaryTable, stratum, value, dc, relapseCurve, days, union, rows, vc);
                }
                if (stratum.equals(OVERALL)) {
                    overallCells.put(dc, cells.get(OVERALL));
                    continue;
                }
                ValueCells total = overallCells.get(dc);
                if (total == null) {
                    continue;
                }
                Attack strata = Attack.ACROSS_STRATA;
                for (int j = 0; j <= days.size(); j++) {
                    List<Term> terms = new ArrayList<>(List.of(new Term(total.a[j], 1)));
                    for (ValueCells v : cells.values()) {
                        terms.add(new Term(v.a[j], -1));
                    }
                    s.relate(curveTable + ": values add up to overall (at risk)", strata, curveTable,
                            stratum + dc + "|" + j, Op.EQ, null, terms);
                    if (j == days.size()) {
                        continue;
                    }
                    for (int k = 0; k <= kinds.size(); k++) {
                        List<Term> ev = new ArrayList<>();
                        ev.add(new Term(k < kinds.size() ? total.d[j][k] : total.c[j], 1));
                        for (ValueCells v : cells.values()) {
                            ev.add(new Term(k < kinds.size() ? v.d[j][k] : v.c[j], -1));
                        }
                        s.relate(curveTable + ": values add up to overall (" + (k < kinds.size() ? kinds.names()[k]
                                : "censored") + ")", strata, curveTable, stratum + dc + "|" + days.get(j), Op.EQ,
                                null, ev);
                    }
                }
            }
        }

        /** One value's cells on its line's finest grid. */
        static final class ValueCells {
            /** a[j]: episodes with time > o_{j-1} (a[0]: all), j = 0 .. days. */
            Cell[] a;
            /** d[j][k], c[j]: events of kind k and censored in (o_{j-1}, o_j] (j = 0: day 0). */
            Cell[][] d;
            Cell[] c;
            /** The value's shown days, each mapped to the index j of the A it shows; null: not on the grid. */
            Map<Integer, Integer> shownAt = new TreeMap<>();
        }

        static String after(List<Integer> days, int j) {
            return j == 0 ? "all" : "after " + days.get(j - 1);
        }

        ValueCells valueCells(String curveTable, String atRiskColumn, String key, TreeMap<Integer, Row> rows,
                              List<Integer> days, GridSteps.Kinds kinds, TreeSet<Integer> union, Set<Integer> horizons,
                              int stop) {
            int m = days.size();
            ValueCells vc = new ValueCells();
            vc.a = new Cell[m + 1];
            vc.d = new Cell[m][kinds.size()];
            vc.c = new Cell[m];
            Integer previous = null;
            boolean onGrid = rows.isEmpty() || rows.firstKey() == 0;
            for (int g : rows.keySet()) {
                int j = previous == null ? 0 : days.indexOf(previous) + 1;
                if (!days.contains(g) || (previous != null && !days.contains(previous))) {
                    onGrid = false;
                }
                vc.shownAt.put(g, j);
                previous = g;
            }
            if (onGrid) {
                for (Map.Entry<Integer, Integer> e : vc.shownAt.entrySet()) {
                    Row r = rows.get(e.getKey());
                    vc.a[e.getValue()] = s.published(curveTable, key + "|" + e.getKey(), atRiskColumn,
                            r.key(keysOf(curveTable)), r.count(atRiskColumn));
                }
            } else {
                vc.shownAt.clear();
            }
            // a curve that stopped before a day of its stratum's grid that is no horizon: fewer than `stop` at risk
            Integer stoppedAt = null;
            if (onGrid && !rows.isEmpty()) {
                Integer next = union.higher(rows.lastKey());
                if (next != null && !horizons.contains(next)) {
                    stoppedAt = days.indexOf(rows.lastKey()) + 1;
                }
            }
            for (int j = 0; j <= m; j++) {
                if (vc.a[j] == null) {
                    long high = stoppedAt != null && j == stoppedAt ? stop - 1 : INF;
                    vc.a[j] = s.other(Kind.IMPLICIT, curveTable, curveTable + ":" + key + "|" + after(days, j) + ":"
                            + atRiskColumn, atRiskColumn, key + "|" + after(days, j), 0, high);
                }
            }
            for (int j = 0; j < m; j++) {
                String stepKey = key + "|" + (j == 0 ? "0" : days.get(j - 1) + "->" + days.get(j));
                List<Term> exits = new ArrayList<>(List.of(new Term(vc.a[j], 1), new Term(vc.a[j + 1], -1)));
                for (int k = 0; k < kinds.size(); k++) {
                    vc.d[j][k] = s.other(Kind.AUX, curveTable, curveTable + ":" + stepKey + ":" + kinds.names()[k],
                            kinds.names()[k] + " in days " + stepKey.substring(key.length() + 1), stepKey, 0, INF);
                    exits.add(new Term(vc.d[j][k], -1));
                }
                vc.c[j] = s.other(Kind.AUX, curveTable, curveTable + ":" + stepKey + ":censored",
                        "censored in days " + stepKey.substring(key.length() + 1), stepKey, 0, INF);
                exits.add(new Term(vc.c[j], -1));
                s.relate(curveTable + ": exits of an interval = events + censored", Attack.CURVE_DIFFERENCING,
                        curveTable, stepKey, Op.EQ, null, exits);
            }
            return vc;
        }

        /**
         * Limits on each step's pooled counts from its estimates ({@link GridSteps#invert}), as an auxiliary count
         * equal to the sum of the fine intervals' counts of the step. Also kept for the attack: {@link #inversions}.
         */
        void invertSteps(String curveTable, String key, TreeMap<Integer, Row> rows, List<Integer> days,
                         GridSteps.Kinds kinds, ValueCells vc, ValueCells reference, String atRiskColumn,
                         TreeSet<Integer> union) {
            if (vc.shownAt.isEmpty()) {
                return;
            }
            List<Integer> shown = new ArrayList<>(vc.shownAt.keySet());
            for (int i = 0; i < shown.size(); i++) {
                int b = shown.get(i);
                int a = i == 0 ? -1 : shown.get(i - 1);
                Row rb = rows.get(b);
                GridSteps.Point from = i == 0 ? GridSteps.start(kinds) : GridSteps.point(rows.get(a), kinds,
                        atRiskColumn);
                GridSteps.Point to = GridSteps.point(rb, kinds, atRiskColumn);
                Long n = rb.count(atRiskColumn);
                if (n == null) {
                    continue;
                }
                Long exits = null;
                if (i + 1 < shown.size()) {
                    Long next = rows.get(shown.get(i + 1)).count(atRiskColumn);
                    exits = next == null ? null : n - next;
                }
                // the fine intervals j of (a, b]
                int jFrom = a < 0 ? 0 : days.indexOf(a) + 1;
                int jTo = days.indexOf(b);
                GridSteps.Spread spread;
                if (reference == null || jFrom == jTo) {
                    spread = GridSteps.Spread.single(kinds.size(), a < 0 ? 1 : b - a);
                } else {
                    long[][] counts = new long[jTo - jFrom + 1][kinds.size() + 1];
                    boolean known = true;
                    for (int j = jFrom; j <= jTo && known; j++) {
                        for (int k = 0; k <= kinds.size(); k++) {
                            Cell c = k < kinds.size() ? reference.d[j][k] : reference.c[j];
                            Long v = knownAux.get(c);
                            if (v == null) {
                                known = false;
                                break;
                            }
                            counts[j - jFrom][k] = v;
                        }
                    }
                    if (!known) {
                        skippedSteps++;
                        continue;
                    }
                    spread = GridSteps.spread(kinds.size(), days.subList(jFrom, jTo + 1),
                            jFrom == 0 ? -1 : days.get(jFrom - 1), counts);
                }
                // retention: the stratum's last shown day may end its grid, whose last interval's censored main
                // spares (RetentionTables.estimateOnGrid): both models' candidates there
                boolean mayEndTheGrid = curveTable.equals(RETENTION_CURVE) && b == union.last();
                GridSteps.Inversion inv = GridSteps.invert(n, exits, from, to, spread, mayEndTheGrid);
                String stepKey = key + "|" + (a < 0 ? "0" : a + "->" + b);
                if (inv == null) {
                    skippedSteps++;
                    continue;
                }
                if (inv.candidates() == 0) {
                    failedSteps.add(curveTable + " [" + stepKey + "]");
                    continue;
                }
                inversions.put(curveTable + "|" + stepKey, inv);
                Attack attack = Attack.CURVE_DIFFERENCING;
                boolean lumpDone = false;
                for (int k = 0; k <= kinds.size(); k++) {
                    boolean censored = k == kinds.size();
                    if (!censored && inv.lumped()[k] && lumpDone) {
                        continue;
                    }
                    List<Integer> ks = new ArrayList<>();
                    if (!censored && inv.lumped()[k]) {
                        lumpDone = true;
                        for (int k2 = 0; k2 < kinds.size(); k2++) {
                            if (inv.lumped()[k2]) {
                                ks.add(k2);
                            }
                        }
                    } else {
                        ks.add(k);
                    }
                    long low = censored ? inv.censoredLow() : inv.low()[k];
                    long high = censored ? inv.censoredHigh() : inv.high()[k];
                    String name = censored ? "censored" : String.join(" + ", ks.stream().map(x -> kinds.names()[x])
                            .toList());
                    Cell pooled = s.other(Kind.AUX, curveTable, curveTable + ":" + stepKey + ":pooled " + name,
                            "pooled " + name + " (" + (a < 0 ? "day 0" : a + ", " + b + "]") + ")", stepKey, low, high);
                    if (low == high) {
                        pooled.value = low;
                    }
                    List<Term> terms = new ArrayList<>(List.of(new Term(pooled, 1)));
                    for (int j = jFrom; j <= jTo; j++) {
                        for (int kk : ks) {
                            terms.add(new Term(kk < kinds.size() ? vc.d[j][kk] : vc.c[j], -1));
                        }
                    }
                    s.relate(curveTable + ": a step's pooled counts from its estimates", attack, curveTable, stepKey,
                            Op.EQ, null, terms);
                    if (low == high && jFrom == jTo && ks.size() == 1) {
                        knownAux.put(ks.get(0) < kinds.size() ? vc.d[jFrom][ks.get(0)] : vc.c[jFrom], low);
                    }
                }
            }
        }

        /** Fine-interval counts of the overall curves known exactly (the weights of the other values' spread). */
        final Map<Cell, Long> knownAux = new java.util.HashMap<>();
        /** Steps not inverted: a weight unknown, hidden kinds on a spread, or too many candidates. */
        int skippedSteps;
        /** Steps whose published numbers no candidate gives: the model is wrong there. */
        final List<String> failedSteps = new ArrayList<>();
        /** Per curveTable|stepKey: what the inversion gave. */
        final Map<String, GridSteps.Inversion> inversions = new LinkedHashMap<>();

        /**
         * The summary's episodes, number at risk and events at its horizons: at a horizon on the value's shown grid,
         * the curve's own number at risk there and the events of the intervals up to it; at a horizon of the
         * stratum's grid where the value's curve is not shown, the A of the stratum grid's previous day.
         */
        void summaryLinks(String curveTable, String summaryTable, String stratum, String value, String dc,
                          boolean relapseCurve, List<Integer> days, TreeSet<Integer> union, TreeMap<Integer, Row> rows,
                          ValueCells vc) {
            Attack attack = Attack.CURVE_DIFFERENCING;
            String sv = stratum + "|" + value;
            Map<Integer, Cell> atRiskByH = new TreeMap<>();
            Map<Integer, Cell> eventsByH = new TreeMap<>();
            Cell episodes;
            if (relapseCurve) {
                String series = sv + dc;
                episodes = relapseEpisodes.get(series);
                relapse.getOrDefault(series, Map.of()).forEach((h, c) -> {
                    atRiskByH.put(h, c.get("at_risk"));
                    eventsByH.put(h, c.get("relapses"));
                });
            } else {
                Map<String, Cell> c = retention.get(sv);
                if (c == null) {
                    return;
                }
                episodes = c.get("episodes");
                atRiskByH.putAll(retentionAtRisk.getOrDefault(sv, Map.of()));
                // the discharges of all intervals are some of the value's discharges
                List<Term> terms = new ArrayList<>(List.of(new Term(c.get("discharged"), 1)));
                for (Cell[] d : vc.d) {
                    for (Cell e : d) {
                        terms.add(new Term(e, -1));
                    }
                }
                s.relate(curveTable + ": discharged >= the intervals' discharges", attack, summaryTable, sv, Op.GE,
                        "discharges after the curve's last point", terms);
            }
            s.relate(curveTable + ": at risk at day 0 = episodes", attack, summaryTable, sv + dc, Op.EQ, null,
                    vc.a[0], 1, episodes, -1);
            for (Map.Entry<Integer, Cell> e : atRiskByH.entrySet()) {
                int h = e.getKey();
                Integer j = aIndex(h, days, union, vc);
                if (j != null && e.getValue() != null) {
                    s.relate(curveTable + ": summary at risk at H = curve", attack, summaryTable, sv + dc + "|" + h,
                            Op.EQ, null, e.getValue(), 1, vc.a[j], -1);
                }
            }
            int kRelapse = 0;
            for (Map.Entry<Integer, Cell> e : eventsByH.entrySet()) {
                int h = e.getKey();
                int jh = days.indexOf(h);
                if (e.getValue() == null || jh < 0 || !union.contains(h)) {
                    continue;
                }
                List<Term> terms = new ArrayList<>(List.of(new Term(e.getValue(), 1)));
                for (int j = 0; j <= jh; j++) {
                    terms.add(new Term(vc.d[j][kRelapse], -1));
                }
                s.relate(curveTable + ": summary relapses by H = the intervals' events", attack, summaryTable,
                        sv + dc + "|" + h, Op.EQ, null, terms);
            }
        }

        /** The index of the A a summary at horizon h shows (h on the value's grid), or null. */
        static Integer aIndex(int h, List<Integer> days, TreeSet<Integer> union, ValueCells vc) {
            Integer shown = vc.shownAt.get(h);
            if (shown != null) {
                return shown;
            }
            if (!union.contains(h) || !days.contains(h)) {
                return null;
            }
            if (h == 0) {
                return 0;
            }
            Integer previous = union.lower(h);
            return previous == null ? null : days.indexOf(previous) + 1;
        }

        // ---- across tables ------------------------------------------------------------------------------------

        void acrossTables() {
            Attack across = Attack.ACROSS_TABLES;
            // dose_response: the levels of a dimension add up to the compared discharged episodes
            Map<String, List<Cell>> doseTotals = new LinkedHashMap<>();
            doseEpisodes.forEach((svDim, levels) -> {
                String sv = svDim.substring(0, svDim.lastIndexOf('|'));
                doseTotals.putIfAbsent(sv, new ArrayList<>(levels.values()));
            });
            for (Map.Entry<String, Map<String, Cell>> e : retention.entrySet()) {
                String sv = e.getKey();
                Cell discharged = e.getValue().get("discharged");
                Cell episodes = e.getValue().get("episodes");
                String[] p = sv.split("\\|", 2);
                // relapse tables name an empty stratum "missing"
                List<String> relapseNames = new ArrayList<>(List.of(sv));
                if (p[1].equals("not_recorded")) {
                    relapseNames.add(p[0] + "|missing");
                }
                for (Map.Entry<String, Cell> r : relapseEpisodes.entrySet()) {
                    String series = r.getKey();
                    String seriesSv = series.substring(0, nthBar(series, 2));
                    if (!relapseNames.contains(seriesSv)) {
                        continue;
                    }
                    if (series.endsWith("|discharge")) {
                        s.relate("across: retention discharged = relapse discharge-clock episodes", across,
                                RELAPSE_SUMMARY, series, Op.EQ, null, discharged, 1, r.getValue(), -1);
                    } else {
                        s.relate("across: retention episodes >= relapse admission-clock episodes", across,
                                RELAPSE_SUMMARY, series, Op.GE,
                                "retention episodes - relapse episodes of " + series.substring(seriesSv.length() + 1),
                                episodes, 1, r.getValue(), -1);
                    }
                }
                for (Map.Entry<String, Map<String, Cell>> c : continuity.entrySet()) {
                    String series = c.getKey();
                    if (!series.startsWith(sv + "|") || nthBar(series, 2) != sv.length()) {
                        continue;
                    }
                    s.relate("across: retention discharged >= continuity discharged", across, CONTINUITY, series,
                            Op.GE, "retention discharged - continuity discharged_episodes ("
                                    + series.substring(sv.length() + 1) + ")",
                            discharged, 1, c.getValue().get("discharged_episodes"), -1);
                }
                List<Cell> dose = doseTotals.get(sv);
                if (dose != null) {
                    List<Term> terms = new ArrayList<>(List.of(new Term(discharged, 1)));
                    dose.forEach(d -> terms.add(new Term(d, -1)));
                    s.relate("across: retention discharged >= dose_response episodes", across, DOSE, sv, Op.GE,
                            "retention discharged - dose_response episodes", terms);
                    for (Map.Entry<String, Map<String, Cell>> c : continuity.entrySet()) {
                        String series = c.getKey();
                        if (!series.startsWith(sv + "|") || nthBar(series, 2) != sv.length()) {
                            continue;
                        }
                        List<Term> t2 = new ArrayList<>();
                        dose.forEach(d -> t2.add(new Term(d, 1)));
                        t2.add(new Term(c.getValue().get("discharged_episodes"), -1));
                        // an exposure with a value for every compared episode has exactly the dose population
                        String exposure = series.substring(sv.length() + 1);
                        s.relate("across: dose_response episodes >= continuity discharged (" + exposure + ")", across,
                                CONTINUITY, series, Op.GE,
                                "dose_response episodes - continuity discharged_episodes (" + exposure + ")", t2);
                    }
                }
            }
            // the compared levels of care of retention_summary hold continuity_effect's overall population
            for (Map.Entry<String, Map<String, Cell>> c : continuity.entrySet()) {
                if (!c.getKey().startsWith(OVERALL + "|" + OVERALL + "|") || comparedLevels.isEmpty()) {
                    continue;
                }
                List<Term> terms = new ArrayList<>();
                for (String level : comparedLevels) {
                    Map<String, Cell> r = retention.get("level_of_care|" + level);
                    if (r != null) {
                        terms.add(new Term(r.get("discharged"), 1));
                    }
                }
                terms.add(new Term(c.getValue().get("discharged_episodes"), -1));
                s.relate("across: compared levels' discharged >= continuity overall discharged", across, CONTINUITY,
                        c.getKey(), Op.GE, "discharged of the compared levels - continuity discharged_episodes",
                        terms);
            }
        }

        static int nthBar(String s, int n) {
            int at = -1;
            for (int i = 0; i < n; i++) {
                at = s.indexOf('|', at + 1);
                if (at < 0) {
                    return s.length();
                }
            }
            return at;
        }
    }
}
