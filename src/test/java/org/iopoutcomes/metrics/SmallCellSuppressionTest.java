package org.iopoutcomes.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Primary and complementary suppression on cells of one stratum. */
class SmallCellSuppressionTest {
    record Cell(String stratum, Long count) {}

    private static boolean[] hide(Cell... cells) {
        return new SmallCellSuppression(11).hide(List.of(cells), Cell::stratum, Cell::count, c -> false);
    }

    @Test
    void countsFromOneToTenAreSmallZeroIsNot() {
        SmallCellSuppression s = new SmallCellSuppression(11);
        assertFalse(s.isSmall(0));
        assertTrue(s.isSmall(1));
        assertTrue(s.isSmall(10));
        assertFalse(s.isSmall(11));
    }

    @Test
    void aLoneSmallCellTakesTheNextSmallestWithIt() {
        // total 5 + 40 + 12 + 30 = 87 is published; hiding only the 5 would leave it as 87 - 82
        assertArrayEquals(new boolean[] {true, false, true, false},
                hide(new Cell("program", 5L), new Cell("program", 40L), new Cell("program", 12L),
                        new Cell("program", 30L)));
    }

    @Test
    void twoSmallCellsProtectEachOther() {
        assertArrayEquals(new boolean[] {true, true, false},
                hide(new Cell("sex", 3L), new Cell("sex", 7L), new Cell("sex", 50L)));
    }

    @Test
    void zeroIsNotAComplementWhenAPositiveCellIsLeft() {
        assertArrayEquals(new boolean[] {true, false, true},
                hide(new Cell("age", 4L), new Cell("age", 0L), new Cell("age", 20L)));
    }

    @Test
    void strataAreSuppressedApartAndEmptyCellsAreSkipped() {
        assertArrayEquals(new boolean[] {false, false, false, false},
                hide(new Cell("overall", 60L), new Cell("program", 30L), new Cell("program", 30L),
                        new Cell("program", null)));
        assertArrayEquals(new boolean[] {true, false, true},
                hide(new Cell("program", 2L), new Cell("sex", 12L), new Cell("program", 30L)));
    }

    @Test
    void aCellHiddenForAnotherReasonProtectsASmallOne() {
        List<Cell> cells = List.of(new Cell("program", 4L), new Cell("program", 25L), new Cell("program", 30L));
        boolean[] hidden = new SmallCellSuppression(11).hide(cells, Cell::stratum, Cell::count,
                c -> c.count() == 25L);
        assertArrayEquals(new boolean[] {true, true, false}, hidden);
    }

    private static boolean[] hideSafety(int threshold, Cell... cells) {
        return new SmallCellSuppression(threshold).hide(List.of(cells), Cell::stratum, Cell::count, c -> false, true);
    }

    @Test
    void aSafetyCountIsHiddenFromZeroToTenAndALoneZeroTakesAComplement() {
        SmallCellSuppression s = new SmallCellSuppression(11);
        assertTrue(s.isBelowThreshold(0));
        assertTrue(s.isBelowThreshold(10));
        assertFalse(s.isBelowThreshold(11));
        // 0 alone hidden: 42 - 12 - 30 would give it back, so the next smallest (12) goes with it
        assertArrayEquals(new boolean[] {true, true, false},
                hideSafety(11, new Cell("program", 0L), new Cell("program", 12L), new Cell("program", 30L)));
        // 0 and 5 protect each other
        assertArrayEquals(new boolean[] {true, true, false, false}, hideSafety(11, new Cell("program", 0L),
                new Cell("program", 5L), new Cell("program", 11L), new Cell("program", 30L)));
    }

    @Test
    void aThresholdOfOneHidesNothingNotEvenAZeroSafetyCount() {
        assertFalse(new SmallCellSuppression(1).isBelowThreshold(0));
        assertArrayEquals(new boolean[] {false, false, false},
                hideSafety(1, new Cell("program", 0L), new Cell("program", 1L), new Cell("program", 30L)));
    }
}
