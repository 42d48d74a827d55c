package org.iopoutcomes.relapse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact text form of user definitions, and its error messages. */
class RelapseDefinitionsParserTest {

    @Test
    void aBuiltInNameStandsForTheBuiltIn() {
        assertSame(RelapseDefinitions.LEE2016, RelapseDefinitions.parse(" lee2016 "));
    }

    @Test
    void aWindowDefinitionTakesItsDefaultsFromCtnote() {
        RelapseDefinition mine = RelapseDefinitions.parse("two_in_six:window=6,threshold=2,o=+");
        assertEquals(1, mine.startWeek());
        assertEquals(WeekState.POSITIVE, mine.counted());
        assertEquals(WeekState.POSITIVE, mine.missingAs());
        assertEquals(WeekState.BOTH, mine.bothAs(), "'*' is left as it is unless recoded");
        assertEquals(4, mine.eventOffset(), "window - threshold");
        // '*' is not recoded, so not positive: the first window with two positives is weeks 3-8, not weeks 1-6.
        assertEquals(RelapseOutcome.timed(7, true), mine.evaluate("*---*-o+"));
    }

    @Test
    void everyBuiltInReadsBackFromItsTextForm() {
        List<String> lattices = List.of("", "+", "--o+*+", "oooo-", "++_++++", "-+-+--++", "---o*-----------",
                "o*oooo-", "+---+---", "-------------------o-o-o");
        for (RelapseDefinition builtIn : RelapseDefinitions.BUILT_IN) {
            String text = builtIn.toText().replaceFirst("^[a-z0-9_]+:", "copy_of_" + builtIn.name() + ":");
            RelapseDefinition copy = RelapseDefinitions.parse(text);
            assertEquals(builtIn.withName(copy.name()), copy, text);
            for (String lattice : lattices) {
                assertEquals(builtIn.evaluate(lattice), copy.evaluate(lattice), text + " on '" + lattice + "'");
            }
        }
    }

    @Test
    void aPatternDefinitionIsAFlag() {
        RelapseDefinition mine = RelapseDefinitions.parse("late_pair:pattern=++,start=8,o=+,*=+");
        assertTrue(mine.flagOnly());
        assertEquals(RelapseOutcome.flag(true), mine.evaluate("-------o*"));
        assertEquals(RelapseOutcome.flag(false), mine.evaluate("++++++--"));
    }

    @Test
    void aCustomCountedStateAndOffsetAreRead() {
        RelapseDefinition abstinence = RelapseDefinitions.parse("abstinent3:window=3,threshold=3,count=-,offset=2");
        assertEquals(RelapseOutcome.timed(4, true), abstinence.evaluate("+----"));
    }

    @Test
    void severalDefinitionsAreSeparatedBySemicolons() {
        List<RelapseDefinition> definitions =
                RelapseDefinitions.parseAll("ctn0094_relapse; mine:window=2,threshold=2;krupitsky2004;");
        assertEquals(List.of("ctn0094_relapse", "mine", "krupitsky2004"),
                definitions.stream().map(RelapseDefinition::name).toList());
    }

    @Test
    void mistakesAreRefusedWithAClearMessage() {
        assertMessage("not a built-in name", "lee2017");
        assertMessage("is a built-in name", "lee2016:window=4,threshold=2");
        assertMessage("give window=W and threshold=K, or pattern=P", "mine:window=4");
        assertMessage("'width=4' is not a setting", "mine:width=4,threshold=2");
        assertMessage("'window' given twice", "mine:window=4,window=5,threshold=2");
        assertMessage("window='four' is not a whole number", "mine:window=four,threshold=2");
        assertMessage("threshold 5 must be from 1 to the window (4)", "mine:window=4,threshold=5");
        assertMessage("offset 4 must be from 0 to window - 1 (3)", "mine:window=4,threshold=2,offset=4");
        assertMessage("start week 0 must be 1 or more", "mine:window=4,threshold=2,start=0");
        assertMessage("o='_': expected one of + - * o", "mine:window=4,threshold=2,o=_");
        assertMessage("count='_': expected one of + - * o", "mine:window=4,threshold=2,count=_");
        assertMessage("'threshold' belongs to a window definition", "mine:pattern=++,threshold=2");
        assertMessage("sub-pattern '+_+'", "mine:pattern=+_+");
        assertMessage("definition name 'Mine'", "Mine:window=4,threshold=2");
        assertMessage("'mine' is given twice", "mine:window=4,threshold=2;mine:pattern=+");
    }

    private static void assertMessage(String expectedPart, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelapseDefinitions.parseAll(text));
        assertTrue(e.getMessage().contains(expectedPart), "'" + text + "' gave: " + e.getMessage());
    }
}
