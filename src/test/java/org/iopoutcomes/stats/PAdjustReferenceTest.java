package org.iopoutcomes.stats;

import static org.iopoutcomes.stats.Reference.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** p_adjust.csv: 27 unsorted, tied p-values through p.adjust's four methods. */
class PAdjustReferenceTest {

    @TestFactory
    Stream<DynamicTest> everyValueOfEveryMethod() {
        List<Map<String, String>> rows = Reference.rows("p_adjust.csv");
        assertEquals(27, rows.size(), "reference rows checked");
        double[] p = rows.stream().mapToDouble(r -> Double.parseDouble(r.get("p"))).toArray();
        Map<String, double[]> adjusted = Map.of(
                "bh", PAdjust.adjust(p, PAdjust.Method.BH),
                "by", PAdjust.adjust(p, PAdjust.Method.BY),
                "holm", PAdjust.adjust(p, PAdjust.Method.HOLM),
                "bonferroni", PAdjust.adjust(p, PAdjust.Method.BONFERRONI));
        return rows.stream().map(row -> DynamicTest.dynamicTest("index " + row.get("index"), () -> {
            int i = Integer.parseInt(row.get("index")) - 1;
            for (String method : List.of("bh", "by", "holm", "bonferroni")) {
                assertMatches(method, row.get(method), adjusted.get(method)[i]);
            }
        }));
    }
}
