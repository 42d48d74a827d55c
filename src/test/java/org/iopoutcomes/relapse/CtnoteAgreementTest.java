package org.iopoutcomes.relapse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 1 of issue 5: on every CTN-0094 pattern (usePatternUDS), every built-in definition gives exactly
 * CTNote's time and event (NA where CTNote gives NA). Pure Java, no Spark.
 */
class CtnoteAgreementTest {

    @Test
    void everyBuiltInDefinitionEqualsCtnoteOnEveryParticipant() {
        List<CtnoteExpected.Row> rows = CtnoteExpected.rows();
        assertEquals(CtnoteExpected.PARTICIPANTS, rows.size(), "rows of expected_relapse.csv");
        assertEquals(CtnoteExpected.COLUMNS.keySet(),
                new java.util.LinkedHashSet<>(RelapseDefinitions.BUILT_IN.stream().map(RelapseDefinition::name)
                        .toList()), "every built-in definition is compared, and only those");

        int compared = 0;
        List<String> mismatches = new ArrayList<>();
        for (CtnoteExpected.Row row : rows) {
            for (RelapseDefinition definition : RelapseDefinitions.BUILT_IN) {
                RelapseOutcome expected = row.expected(definition.name());
                RelapseOutcome actual = definition.evaluate(row.pattern());
                compared++;
                if (!expected.equals(actual)) {
                    mismatches.add(row.episodeId() + " " + row.pattern() + " " + definition.name() + ": CTNote "
                            + expected + ", engine " + actual);
                }
            }
        }
        assertEquals(CtnoteExpected.PARTICIPANTS * RelapseDefinitions.BUILT_IN.size(), compared,
                "participant x definition pairs compared");
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
                mismatches.size() + " mismatches (first 20 shown)");
    }
}
