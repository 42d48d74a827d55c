package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iopoutcomes.publish.PublishedOutputs.Row;
import org.iopoutcomes.publish.RelationSystem.Cell;
import org.iopoutcomes.publish.RelationSystem.Kind;
import org.iopoutcomes.publish.RelationSystem.Op;
import org.iopoutcomes.publish.RelationSystem.Relation;
import org.iopoutcomes.publish.RelationSystem.Term;

/**
 * The attacker of issue 13: reads only the published outputs of one run ({@link PublishedOutputs}) and tries the
 * five ways a hidden or small count of people comes back, returning what it got as {@link Recovered} records:
 * <ol>
 *   <li>curve differencing: the events of every curve step from the number at risk and the estimate at its ends,
 *   the steps' exits, and the summary cells that the curves fill in (with cumulative counts differenced between
 *   horizons);</li>
 *   <li>statistics from hidden cells: dose_response.trend_p inverted by searching the hidden levels' counts;</li>
 *   <li>subtraction inside a row: a total minus its parts;</li>
 *   <li>texts and flags: counts written in text columns (and on report.html), flags that pin a hidden count;</li>
 *   <li>across tables: the same people counted in two tables or on two rows.</li>
 * </ol>
 * and, beyond the issue's list, subtraction across strata (a lone hidden value of a stratum is the overall minus
 * the others). Each attack uses only its own relations ({@link RelationSystem} families), from the published
 * numbers alone, so the counts per attack do not depend on each other; {@link #combined} puts them together.
 */
public final class PublishedAttacks {
    private static final Pattern N_OF_M = Pattern.compile("(\\d+) of (\\d+)");

    private final PublishedOutputs out;
    private final RelationSystem system;
    private final int threshold;

    public PublishedAttacks(PublishedOutputs out) {
        this.out = out;
        this.system = RelationSystem.build(out);
        this.threshold = out.threshold();
    }

    RelationSystem system() {
        return system;
    }

    /** Per curve step (table|rowKey): the estimate n(a) (1 - r) rounded, as issue 13 counts "by rounding". */
    private final Map<String, Long> rounded = new LinkedHashMap<>();

    /** The rounded estimate of a step the curves attack saw; null when it has none. */
    Long roundedStep(String table, String rowKey) {
        return rounded.get(table + "|" + rowKey);
    }

    /** Every attack, each on its own. */
    public List<Recovered> run() {
        List<Recovered> all = new ArrayList<>();
        all.addAll(curves());
        all.addAll(statistics());
        all.addAll(relations(Attack.ROW_SUBTRACTION));
        all.addAll(textsAndFlags());
        all.addAll(acrossTables());
        all.addAll(relations(Attack.ACROSS_STRATA));
        return all;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. curves

    /**
     * Steps of both curves (every step the relation system inverted, {@link GridSteps}: the pooled events of each
     * kind and the censored of a grid interval, exact where one candidate is left), the exits between two shown
     * points, then what the curve relations give (summary cells, differences between horizons).
     */
    public List<Recovered> curves() {
        List<Recovered> found = new ArrayList<>();
        system.inversions.forEach((tableStep, inv) -> {
            String table = tableStep.substring(0, tableStep.indexOf('|'));
            String rowKey = tableStep.substring(tableStep.indexOf('|') + 1);
            String clock = table.equals(RelationSystem.RELAPSE_CURVE) ? rowKey.split("\\|")[3] : "";
            GridSteps.Kinds kinds = GridSteps.kinds(table, clock);
            String step = rowKey.substring(rowKey.lastIndexOf('|') + 1);
            String days = step.equals("0") ? " at day 0" : " in days (" + step.replace("->", ", ") + "]";
            String stepRowKey = step.equals("0") ? rowKey.substring(0, rowKey.lastIndexOf('|')) + "|-1->0" : rowKey;
            boolean lumpDone = false;
            for (int k = 0; k <= kinds.size(); k++) {
                boolean censored = k == kinds.size();
                String name;
                if (censored) {
                    name = "censored";
                } else if (inv.lumped()[k]) {
                    if (lumpDone) {
                        continue;
                    }
                    lumpDone = true;
                    List<String> names = new ArrayList<>();
                    for (int k2 = 0; k2 < kinds.size(); k2++) {
                        if (inv.lumped()[k2]) {
                            names.add(kinds.names()[k2]);
                        }
                    }
                    name = String.join(" + ", names);
                } else {
                    name = kinds.names()[k];
                }
                long low = censored ? inv.censoredLow() : inv.low()[k];
                long high = censored ? inv.censoredHigh() : inv.high()[k];
                long count = low == high ? low : Math.round((low + high) / 2.0);
                if (!censored && k == 0) {
                    rounded.put(table + "|" + stepRowKey, count);
                }
                String how = low == high ? "" : " (" + inv.candidates() + " candidates)";
                // a range is no count: 1-10 only when every candidate is
                found.add(new Recovered(table, stepRowKey, Attack.CURVE_DIFFERENCING, name + days + how, count, low,
                        high, low == high, false, low >= 1 && high < threshold));
            }
        });
        // the exits between two shown points: the events and censored of the value's interval
        for (String table : List.of(RelationSystem.RELAPSE_CURVE, RelationSystem.RETENTION_CURVE)) {
            boolean relapse = table.equals(RelationSystem.RELAPSE_CURVE);
            String atRisk = relapse ? "at_risk" : "n_at_risk";
            Map<String, TreeMap<Integer, Row>> series = new LinkedHashMap<>();
            for (Row r : out.table(table).rows()) {
                String key = relapse ? r.text("stratum") + "|" + r.text("stratum_value") + "|" + r.text("definition")
                        + "|" + r.text("clock") : r.text("stratum") + "|" + r.text("stratum_value");
                series.computeIfAbsent(key, k -> new TreeMap<>()).put(r.integer("day"), r);
            }
            series.forEach((key, rows) -> {
                Row previous = null;
                Integer before = -1;
                for (Row r : rows.values()) {
                    if (previous != null) {
                        Long a = previous.count(atRisk);
                        Long b = r.count(atRisk);
                        if (a != null && b != null) {
                            found.add(Recovered.exact(table, key + "|" + before + "->" + previous.integer("day"),
                                    Attack.CURVE_DIFFERENCING, "left the risk set (at risk minus the next point's)",
                                    a - b, false, threshold));
                        }
                        before = previous.integer("day");
                    }
                    previous = r;
                }
            });
        }
        found.addAll(relations(Attack.CURVE_DIFFERENCING));
        return found;
    }

    /** The competing states of retention_curve: the column of each cumulative incidence, and its exits. */
    static final String[][] WAYS_OUT = {{"dropout_incidence", "dropouts"}, {"completion_incidence", "completions"},
        {"other_discharge_incidence", "other_discharges"}};

    // ---------------------------------------------------------------------------------------------------------
    // 2. statistics

    /** dose_response.trend_p against the hidden levels' counts: {@link TrendInversion}. */
    public List<Recovered> statistics() {
        List<Recovered> found = new ArrayList<>();
        for (TrendInversion.Case c : TrendInversion.cases(out)) {
            TrendInversion.Result result = c.solve();
            if (result.unique()) {
                for (TrendInversion.Level l : result.solution()) {
                    found.add(Recovered.exact(RelationSystem.DOSE, l.rowKey(), Attack.STATISTIC_INVERSION,
                            "known_status (from trend_p)", l.known(), true, threshold));
                    found.add(Recovered.exact(RelationSystem.DOSE, l.rowKey(), Attack.STATISTIC_INVERSION,
                            "relapsed_known (from trend_p)", l.relapsed(), true, threshold));
                }
            }
        }
        return found;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. texts and flags

    public List<Recovered> textsAndFlags() {
        List<Recovered> found = new ArrayList<>();
        // counts written in text cells: "moud (missing in 81 of 118 rows, ...)"
        for (PublishedOutputs.Table t : out.tables().values()) {
            if (t.name().equals("data_quality")) {
                continue;
            }
            for (Row r : t.rows()) {
                for (String column : t.header()) {
                    String text = r.text(column);
                    if (text.isEmpty() || isNumber(text)) {
                        continue;
                    }
                    Matcher m = N_OF_M.matcher(text);
                    while (m.find()) {
                        long part = Long.parseLong(m.group(1));
                        long whole = Long.parseLong(m.group(2));
                        String rowKey = r.key(RelationSystem.Builder.keysOf(t.name()));
                        found.add(Recovered.exact(t.name(), rowKey, Attack.TEXT_AND_FLAGS,
                                column + ": the part of \"" + m.group() + "\"", part, false, threshold));
                        found.add(Recovered.exact(t.name(), rowKey, Attack.TEXT_AND_FLAGS,
                                column + ": the whole of \"" + m.group() + "\"" + (t.name().equals(RelationSystem.CONTINUITY)
                                        && r.isEmpty("cohort_episodes") ? " = the hidden cohort_episodes" : ""),
                                whole, t.name().equals(RelationSystem.CONTINUITY) && r.isEmpty("cohort_episodes"),
                                threshold));
                        found.add(Recovered.exact(t.name(), rowKey, Attack.TEXT_AND_FLAGS,
                                column + ": the rest of \"" + m.group() + "\"", whole - part, false, threshold));
                    }
                }
            }
        }
        // the same texts on report.html
        String page = out.report().replaceAll("<[^>]*>", " ");
        Matcher m = Pattern.compile("missing in (\\d+) of (\\d+) rows").matcher(page);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        while (m.find()) {
            if (seen.add(m.group())) {
                found.add(Recovered.exact("report.html", m.group(), Attack.TEXT_AND_FLAGS, "text: \"" + m.group() + "\"",
                        Long.parseLong(m.group(2)), false, threshold));
            }
        }
        estimableFlags(found);
        overdoseFlag(found);
        found.addAll(relations(Attack.TEXT_AND_FLAGS));
        return found;
    }

    /**
     * continuity_effect: estimable = true needs at least min_relapses_per_group relapses in each group; where a
     * group's counts are hidden, a hidden count is (when primary) at most threshold-1, so the relapses are pinned
     * to min_relapses_per_group .. threshold-1 (exactly 10 with the defaults). Not certain: the group may be
     * hidden as a complement; the record is an estimate.
     */
    private void estimableFlags(List<Recovered> found) {
        int min = out.settings().path("continuity").path("min_relapses_per_group").asInt(10);
        for (Row r : out.table(RelationSystem.CONTINUITY).rows()) {
            if (!Boolean.TRUE.equals(r.flag("estimable"))) {
                continue;
            }
            for (String g : List.of("exposed", "unexposed")) {
                if (r.isEmpty(g + "_relapses")) {
                    String rowKey = r.key(RelationSystem.Builder.CONTINUITY_KEYS);
                    found.add(Recovered.estimate(RelationSystem.CONTINUITY, rowKey, Attack.TEXT_AND_FLAGS,
                            g + "_relapses (estimable = true and the group hidden)", min, min, RelationSystem.INF,
                            true, threshold));
                }
            }
        }
    }

    /**
     * relapse_summary: on the overall row no other value can be the complement, so a hidden overdose group is a
     * primary suppression: 1-10 relapses after abstinence or 1-10 overdoses; either way overdoses are 0..10.
     */
    private void overdoseFlag(List<Recovered> found) {
        for (Row r : out.table(RelationSystem.RELAPSE_SUMMARY).rows()) {
            // since issue 13's safety-count change the flag is not published (internal copy only): nothing to read
            if (!r.has("overdose_after_abstinence_flag")) {
                return;
            }
            if (!r.text("stratum").equals(RelationSystem.OVERALL) || r.isEmpty("band_lower")
                    || !r.isEmpty("overdose_after_abstinence_flag")) {
                continue;
            }
            found.add(Recovered.estimate(RelationSystem.RELAPSE_SUMMARY, r.key(RelationSystem.Builder.RELAPSE_KEYS),
                    Attack.TEXT_AND_FLAGS, "overdoses_after_abstinence (overall flag suppressed: at most "
                            + (threshold - 1) + ")", threshold - 1, 0, threshold - 1, true, threshold));
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return s.equals("true") || s.equals("false");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. across tables

    /** A count shown on one row and hidden on another (the same cell), and the cross-table relations. */
    public List<Recovered> acrossTables() {
        List<Recovered> found = new ArrayList<>();
        for (Cell c : system.cells()) {
            if (c.kind == Kind.PUBLISHED && c.known() && !c.hiddenIn.isEmpty()) {
                for (String row : c.hiddenIn) {
                    found.add(Recovered.exact(c.table, row, Attack.ACROSS_TABLES,
                            c.column + " (hidden here, shown on another horizon's row)", c.value, true, threshold));
                }
            }
        }
        found.addAll(relations(Attack.ACROSS_TABLES));
        return found;
    }

    // ---------------------------------------------------------------------------------------------------------
    // relations of one family: equalities solved for a lone unknown (repeated), and the remainders of inequalities

    /** What the relations of {@code attack} alone give from the published numbers. */
    public List<Recovered> relations(Attack attack) {
        return propagate(EnumSet.of(attack), attack);
    }

    /** All families together: what an attacker gets by combining every relation (reported as {@code as}). */
    public List<Recovered> combined() {
        return propagate(EnumSet.allOf(Attack.class), Attack.ACROSS_STRATA);
    }

    private List<Recovered> propagate(Set<Attack> families, Attack as) {
        int n = system.cells().size();
        Long[] value = new Long[n];
        for (Cell c : system.cells()) {
            value[c.index] = c.value;
        }
        List<Relation> rels = system.relations().stream().filter(r -> families.contains(r.attack())).toList();
        Map<Integer, Relation> derivedBy = new LinkedHashMap<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Relation r : rels) {
                if (r.op() != Op.EQ) {
                    continue;
                }
                Term unknown = null;
                int unknowns = 0;
                long sum = 0;
                for (Term t : r.terms()) {
                    Long v = value[t.cell().index];
                    if (v == null) {
                        unknowns++;
                        unknown = t;
                    } else {
                        sum += t.coef() * v;
                    }
                }
                if (unknowns == 1 && Math.abs(unknown.coef()) == 1) {
                    value[unknown.cell().index] = -sum * unknown.coef();
                    derivedBy.put(unknown.cell().index, r);
                    changed = true;
                }
            }
        }
        List<Recovered> found = new ArrayList<>();
        derivedBy.forEach((index, r) -> {
            Cell c = system.cell(index);
            Attack attack = families.size() == 1 ? r.attack() : as;
            long v = value[index];
            switch (c.kind) {
                case PUBLISHED -> found.add(Recovered.exact(c.table, c.rowKey, attack, c.column + " (hidden cell)", v,
                        true, threshold));
                case IMPLICIT -> found.add(Recovered.exact(c.table, c.rowKey, attack,
                        c.column + " after the curve stopped", v, true, threshold));
                case AUX -> found.add(Recovered.exact(c.table, c.rowKey, attack, c.column.replaceAll("\\(.*", "")
                        .trim() + " of a step (solved)", v, false, threshold));
            }
        });
        for (Relation r : rels) {
            if (r.op() != Op.GE || r.remainder() == null) {
                continue;
            }
            long sum = 0;
            boolean complete = true;
            boolean usesDerived = false;
            for (Term t : r.terms()) {
                Long v = value[t.cell().index];
                if (v == null) {
                    complete = false;
                    break;
                }
                usesDerived |= !t.cell().known() && t.cell().kind == Kind.PUBLISHED;
                sum += t.coef() * v;
            }
            if (complete) {
                Attack attack = families.size() == 1 ? r.attack() : as;
                found.add(Recovered.exact(r.table(), r.rowKey(), attack, r.remainder(), sum, usesDerived, threshold));
            }
        }
        return found;
    }
}
