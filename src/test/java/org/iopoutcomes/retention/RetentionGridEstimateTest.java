package org.iopoutcomes.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.iopoutcomes.publish.CurveGrid;
import org.iopoutcomes.stats.AalenJohansen;
import org.iopoutcomes.stats.AalenJohansenRow;
import org.iopoutcomes.stats.Normal;
import org.iopoutcomes.stats.StatusCount;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a retention grid's last interval may hold 1 to threshold-1 episodes still open at the data cut (the
 * grid lets them be few: they show only inside the number at risk at its end). The published estimates at its end
 * must not depend on how many they are, or the estimates with that number at risk give them back (sample-data,
 * overall retention: in care and dropouts at day 90 with 279 at risk gave the 2 episodes still open with a time in
 * days 50-90, the attacker's life-table inversion). Hand-made endings: two sets with the same number at risk at every
 * grid day and the same discharges per interval, one with 2 of the last interval's people open inside it, the other
 * with them open after the grid's last day.
 */
class RetentionGridEstimateTest {
    private static final int CENSORED = 0;
    private static final int DROPOUT = RetentionTables.STATE_DROPOUT;
    private static final int COMPLETED = RetentionTables.STATE_COMPLETED;

    private static List<StatusCount> endings(long openInside, long openAfter, Object[]... others) {
        List<StatusCount> out = new ArrayList<>();
        for (Object[] o : others) {
            out.add(new StatusCount(((Number) o[0]).doubleValue(), (Integer) o[1], ((Number) o[2]).longValue()));
        }
        if (openInside > 0) {
            out.add(new StatusCount(80, CENSORED, openInside));
        }
        out.add(new StatusCount(120, CENSORED, openAfter));
        return out;
    }

    private static List<StatusCount> plus(List<StatusCount> a, List<StatusCount> b) {
        List<StatusCount> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void theOverallsEstimatesAtTheLastGridDayDoNotDependOnItsFewOpenEpisodes() {
        CurveGrid.Grid grid = new CurveGrid.Grid(List.of(0, 30, 90), List.of(0, 30, 90));
        Object[][] discharges = {{10, DROPOUT, 12}, {20, COMPLETED, 11}, {60, DROPOUT, 15}, {70, COMPLETED, 20},
            {150, DROPOUT, 30}};
        List<StatusCount> twoOpenInside = endings(2, 50, discharges);
        List<StatusCount> noneOpenInside = endings(0, 52, discharges);
        AalenJohansenRow a = RetentionTables.estimateOnGrid(twoOpenInside, grid, null, null).at(90).get(0);
        AalenJohansenRow b = RetentionTables.estimateOnGrid(noneOpenInside, grid, null, null).at(90).get(0);
        // what is published at 90: the same number at risk (those with a time after day 30) ...
        AalenJohansen pooled = AalenJohansen.fit(grid.coarsenStates(twoOpenInside), new int[] {1, 2, 3}, Normal.Z95);
        assertEquals(117, pooled.at(90).get(0).nRisk());
        assertEquals(117, AalenJohansen.fit(grid.coarsenStates(noneOpenInside), new int[] {1, 2, 3}, Normal.Z95)
                .at(90).get(0).nRisk());
        // ... and the same estimates, so nothing published tells 2 open episodes from none
        for (int k = 0; k <= 3; k++) {
            assertEquals(a.state(k).estimate(), b.state(k).estimate(), 1e-12, "state " + k);
        }
        // the life table of (30, 90]: none of the 2 open ones leaves before the interval's 35 discharges
        assertEquals((1 - 23.0 / 140) * (1 - 35.0 / 117), a.state(0).estimate(), 1e-12);
        // with a share (L+1)/(2L) of them at risk, as for every other interval, the two differ: the leak
        AalenJohansen leaky = AalenJohansen.fitWeighted(grid.spread(twoOpenInside, null, null), new int[] {1, 2, 3},
                Normal.Z95, grid::censoredAtRisk);
        assertNotEquals(a.state(0).estimate(), leaky.at(90).get(0).state(0).estimate(), 1e-6);
    }

    @Test
    void aValuesEstimatesAtItsLastGridDayDoNotDependOnItsFewOpenEpisodes() {
        CurveGrid.Grid overallGrid = new CurveGrid.Grid(List.of(0, 30, 60, 90), List.of(0, 30, 60, 90));
        CurveGrid.Grid valueGrid = new CurveGrid.Grid(List.of(0, 90), List.of(0, 90));
        Object[][] valueDischarges = {{10, DROPOUT, 12}, {45, COMPLETED, 11}, {70, DROPOUT, 11}};
        List<StatusCount> others = List.of(new StatusCount(20, DROPOUT, 15), new StatusCount(50, COMPLETED, 12),
                new StatusCount(55, CENSORED, 11), new StatusCount(75, DROPOUT, 13), new StatusCount(130, CENSORED,
                        40));
        List<StatusCount> threeOpenInside = endings(3, 20, valueDischarges);
        List<StatusCount> noneOpenInside = endings(0, 23, valueDischarges);
        AalenJohansenRow a = RetentionTables.estimateOnGrid(threeOpenInside, valueGrid, overallGrid,
                plus(threeOpenInside, others)).at(90).get(0);
        AalenJohansenRow b = RetentionTables.estimateOnGrid(noneOpenInside, valueGrid, overallGrid,
                plus(noneOpenInside, others)).at(90).get(0);
        for (int k = 0; k <= 3; k++) {
            assertEquals(a.state(k).estimate(), b.state(k).estimate(), 1e-12, "state " + k);
        }
        // the spread still shapes the estimate: 12 dropouts by 30, then the rest in the overall's proportions
        AalenJohansenRow spreadByDay30 = RetentionTables.estimateOnGrid(threeOpenInside, valueGrid, overallGrid,
                plus(threeOpenInside, others)).at(30).get(0);
        assertNotEquals(1.0, spreadByDay30.state(0).estimate(), 1e-9);
    }
}
