package org.iopoutcomes.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.iopoutcomes.SampleDataRun;
import org.iopoutcomes.pipeline.RunSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, acceptance 1 on sample-data ({@link DisclosureChecks}: no attack recovers a count of 1-10, the interval
 * audit finds no narrow hidden count), on the JVM's shared sample-data run. Tagged "disclosure": fails until the
 * disclosure layer lands, left out of the default run (pom.xml). Run with
 * {@code mvn -o test -Dtest=PublishedDisclosureTest -Dgroups=disclosure -Dsurefire.failIfNoSpecifiedTests=false};
 * {@code -Dgroups=disclosure-baseline} runs the check of the attacker against the issue's own counts.
 */
class PublishedDisclosureTest extends DisclosureChecks {
    @Override
    String name() {
        return "sample-data";
    }

    @Override
    Path published() {
        return SampleDataRun.get().published();
    }

    @Override
    Path restricted() {
        return SampleDataRun.get().restricted();
    }

    @Override
    RunSettings settings(Path output) {
        return SampleDataRun.settings(output);
    }

    /**
     * On the code before issue 13's fix (commit 2843a2c) the attacker gets back the issue's own figures: the check
     * that it is the attacker the issue describes. Not run by default (tag "disclosure-baseline"): once the fix
     * lands these numbers are meant to change.
     */
    @Tag("disclosure-baseline")
    @Test
    void reproducesTheIssueCountsOnTheCodeBeforeTheFix() {
        AttackTruth truth = new AttackTruth(restricted(), null);
        List<Recovered> admission = steps("admission");
        assertEquals(3379, admission.size());
        assertEquals(3379, admission.stream().filter(r -> r.exact() && Long.valueOf(r.count()).equals(truth.truth(r)))
                .count());
        assertEquals(1209, admission.stream().filter(Recovered::small).count());
        assertEquals(168, found.stream().filter(r -> r.attack() == Attack.CURVE_DIFFERENCING
                && r.table().equals(RelationSystem.RELAPSE_SUMMARY) && r.what().startsWith("relapses (hidden")).count());
        List<Recovered> discharge = steps("discharge");
        assertEquals(995, discharge.size());
        assertEquals(979, discharge.stream().filter(r -> {
            Long real = truth.truth(r);
            return real != null && real.equals(attacks.roundedStep(r.table(), r.rowKey()));
        }).count());
        List<Recovered> smallDropouts = found.stream().filter(r -> r.table().equals(RelationSystem.RETENTION_CURVE)
                && r.what().startsWith("dropouts")).filter(r -> {
                    Long v = truth.truth(r);
                    return v != null && v >= 1 && v <= 10;
                }).toList();
        assertEquals(85, smallDropouts.size());
        assertEquals(84, smallDropouts.stream().filter(r -> truth.truth(r).equals(attacks.roundedStep(r.table(),
                r.rowKey()))).count());
        // trend_p: the issue's 7 cases (program_id, two hidden levels, the first level shown), 6 unique
        List<TrendInversion.Result> programCases = TrendInversion.cases(out).stream()
                .filter(c -> c.stratum().equals("program_id") && c.hiddenLevels().size() == 2
                        && c.levels().stream().anyMatch(l -> l.order() == 1 && !l.hidden()))
                .map(TrendInversion.Case::solve).toList();
        assertEquals(7, programCases.size());
        assertEquals(6, programCases.stream().filter(TrendInversion.Result::unique).count());
        // retention_summary rows: 24 by the issue's three relations, 27 with discharged - completed
        java.util.Set<String> rows = new java.util.TreeSet<>();
        for (Recovered r : found) {
            if (r.attack() == Attack.ROW_SUBTRACTION && r.table().equals(RelationSystem.RETENTION_SUMMARY) && r.small()
                    && List.of("episodes - discharged", "discharged - completed - dropouts", "episodes - engaged",
                    "discharged - completed").contains(r.what())) {
                rows.add(r.rowKey().substring(0, r.rowKey().lastIndexOf('|')));
            }
        }
        assertEquals(27, rows.size());
        assertTrue(found.stream().anyMatch(r -> r.attack() == Attack.TEXT_AND_FLAGS && r.hiddenCell()
                && r.rowKey().startsWith("program_id|prog-a|completed") && r.count() == 118), "81 of 118");
        assertTrue(found.stream().anyMatch(r -> r.attack() == Attack.ACROSS_TABLES
                && r.rowKey().equals("program_id|prog-c|completed") && r.count() == 4), "112 - 108 discharged");
    }

    private List<Recovered> steps(String clock) {
        return found.stream().filter(r -> r.table().equals(RelationSystem.RELAPSE_CURVE)
                && r.what().startsWith("relapses") && r.rowKey().contains("|" + clock + "|")).toList();
    }
}
