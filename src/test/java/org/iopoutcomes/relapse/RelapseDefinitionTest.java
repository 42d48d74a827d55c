package org.iopoutcomes.relapse;

import static org.iopoutcomes.relapse.RelapseDefinitions.CTN0094_DROPOUT;
import static org.iopoutcomes.relapse.RelapseDefinitions.CTN0094_RELAPSE;
import static org.iopoutcomes.relapse.RelapseDefinitions.JOHNSON1992;
import static org.iopoutcomes.relapse.RelapseDefinitions.KRUPITSKY2004;
import static org.iopoutcomes.relapse.RelapseDefinitions.LEE2016;
import static org.iopoutcomes.relapse.RelapseDefinitions.LEE2018;
import static org.iopoutcomes.relapse.RelapseDefinitions.SCHOTTENFELD2008;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each rule of the engine on hand-made lattices, every expected value worked out by hand. */
class RelapseDefinitionTest {
    private static final RelapseOutcome NA = RelapseOutcome.notAvailable();

    private static RelapseOutcome timed(int week, boolean event) {
        return RelapseOutcome.timed(week, event);
    }

    @Test
    void ctn0094RelapseIsFourPositiveWeeksInARowAtTheRunsFirstWeek() {
        assertEquals(timed(5, true), CTN0094_RELAPSE.evaluate("----++++"));
        assertEquals(timed(1, true), CTN0094_RELAPSE.evaluate("++++"));
        // The first of two qualifying runs counts.
        assertEquals(timed(2, true), CTN0094_RELAPSE.evaluate("-++++-++++"));
    }

    @Test
    void ctn0094RelapseCountsMissingAndBothWeeksAsPositive() {
        assertEquals(timed(3, true), CTN0094_RELAPSE.evaluate("--o+*+"));
        assertEquals(timed(1, true), CTN0094_RELAPSE.evaluate("oooo-"));
        assertEquals(timed(1, true), CTN0094_RELAPSE.evaluate("****"));
    }

    @Test
    void withoutAMatchTheTimeIsTheLastWindowsStart() {
        // 7 weeks hold 4 windows of 4: censored at week 4.
        assertEquals(timed(4, false), CTN0094_RELAPSE.evaluate("+++-+++"));
        assertEquals(timed(1, false), CTN0094_RELAPSE.evaluate("----"));
    }

    @Test
    void aLatticeShorterThanTheWindowHasNoAnswer() {
        assertEquals(NA, CTN0094_RELAPSE.evaluate("+++"));
        assertEquals(NA, CTN0094_RELAPSE.evaluate(""));
        assertEquals(NA, CTN0094_DROPOUT.evaluate("ooo"));
        assertEquals(NA, LEE2016.evaluate("++o"));
        assertEquals(NA, SCHOTTENFELD2008.evaluate("++"));
        // Lee 2018 starts at week 3: the weeks from there must fill a window.
        assertEquals(NA, LEE2018.evaluate("+++++"));
        assertEquals(NA, LEE2018.evaluate("++"));
        assertEquals(NA, LEE2018.evaluate("+"));
    }

    @Test
    void noScreenWeeksAreNeitherPositiveNorRecoded() {
        // '_' breaks a run although 'o' and '*' count as positive: only the window of weeks 4-7 qualifies.
        assertEquals(timed(4, true), CTN0094_RELAPSE.evaluate("++_++++"));
        assertEquals(timed(3, false), CTN0094_RELAPSE.evaluate("oo_ooo"));
        // Nor are they missing for the dropout definition.
        assertEquals(timed(2, false), CTN0094_DROPOUT.evaluate("oo_oo"));
        assertEquals(timed(1, false), CTN0094_RELAPSE.evaluate("____"));
    }

    @Test
    void ctn0094DropoutIsFourMissingWeeksWithNothingRecoded() {
        assertEquals(timed(3, true), CTN0094_DROPOUT.evaluate("--oooo"));
        // '*' stays '*': not missing.
        assertEquals(timed(2, false), CTN0094_DROPOUT.evaluate("oo*oo"));
        assertEquals(timed(3, true), CTN0094_DROPOUT.evaluate("o*oooo-"));
        // A positive week is not missing either.
        assertEquals(timed(3, false), CTN0094_DROPOUT.evaluate("ooo+oo"));
    }

    @Test
    void lee2016IsTwoPositiveWeeksInFourWithTheTimeAtTheMatchedRun() {
        // First window holds 2 positives: time = 1 + (4 - 2).
        assertEquals(timed(3, true), LEE2016.evaluate("-+-+"));
        assertEquals(timed(3, true), LEE2016.evaluate("*--*"));
        // '_' does not count: the window of weeks 2-5 holds 2 positives.
        assertEquals(timed(4, true), LEE2016.evaluate("--+_+"));
        // Never two in four weeks: 5 windows, censored at 5 + 2.
        assertEquals(timed(7, false), LEE2016.evaluate("+---+---"));
    }

    @Test
    void lee2018CountsFromWeekThreeAndAddsTheDroppedWeeksBack() {
        assertEquals(timed(3, true), LEE2018.evaluate("--++++"));
        // Weeks 1-2 are never looked at.
        assertEquals(timed(5, false), LEE2018.evaluate("++++----"));
        assertEquals(timed(4, true), LEE2018.evaluate("++-oo*+"));
        assertEquals(timed(3, false), LEE2018.evaluate("+++++-"));
    }

    @Test
    void schottenfeld2008IsThreePositiveWeeksInARow() {
        assertEquals(timed(2, true), SCHOTTENFELD2008.evaluate("-+++"));
        assertEquals(timed(3, false), SCHOTTENFELD2008.evaluate("+-+-+"));
        assertEquals(timed(2, true), SCHOTTENFELD2008.evaluate("-o*+"));
        assertEquals(timed(2, false), SCHOTTENFELD2008.evaluate("++_+"));
    }

    @Test
    void johnson1992IsTwoPositiveWeeksInARowFromWeekFour() {
        assertEquals(RelapseOutcome.flag(false), JOHNSON1992.evaluate("+++-"));
        assertEquals(RelapseOutcome.flag(true), JOHNSON1992.evaluate("---++"));
        assertEquals(RelapseOutcome.flag(false), JOHNSON1992.evaluate("--++-"));
        assertEquals(RelapseOutcome.flag(true), JOHNSON1992.evaluate("---o*"));
        assertEquals(RelapseOutcome.flag(false), JOHNSON1992.evaluate("---+_+"));
        // The lattice ends before week 4: no use was seen there.
        assertEquals(RelapseOutcome.flag(false), JOHNSON1992.evaluate("++"));
        assertEquals(RelapseOutcome.flag(false), JOHNSON1992.evaluate(""));
    }

    @Test
    void krupitsky2004IsThreePositiveWeeksInARowAnywhere() {
        assertEquals(RelapseOutcome.flag(true), KRUPITSKY2004.evaluate("+o*"));
        assertEquals(RelapseOutcome.flag(true), KRUPITSKY2004.evaluate("--+++-"));
        assertEquals(RelapseOutcome.flag(false), KRUPITSKY2004.evaluate("++_+"));
        assertEquals(RelapseOutcome.flag(false), KRUPITSKY2004.evaluate("++-+"));
        assertEquals(RelapseOutcome.flag(false), KRUPITSKY2004.evaluate(""));
        assertTrue(KRUPITSKY2004.flagOnly());
    }

    @Test
    void aLatticeWithAnUnknownSymbolIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CTN0094_RELAPSE.evaluate("++x+"));
        assertTrue(e.getMessage().contains("week 3 is 'x'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KRUPITSKY2004.evaluate(null));
    }

    @Test
    void anEventOffsetMovesTheTimeInsideTheWindow() {
        RelapseDefinition atWindowStart = LEE2016.withEventOffset(0).withName("lee_at_start");
        assertEquals(timed(1, true), atWindowStart.evaluate("-+-+"));
        assertEquals(timed(5, false), atWindowStart.evaluate("+---+---"));
        RelapseDefinition atWindowEnd = LEE2016.withEventOffset(3).withName("lee_at_end");
        assertEquals(timed(4, true), atWindowEnd.evaluate("-+-+"));
    }
}
