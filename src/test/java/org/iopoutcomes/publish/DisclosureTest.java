package org.iopoutcomes.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Primary and complementary suppression over declared relations, on hand-made counts (no Spark). */
class DisclosureTest {
    static final int T = 11;

    @Test
    void aLoneSmallCellGetsTheSmallestComplement() {
        Disclosure d = new Disclosure();
        int overall = d.shown("t", "overall", "episodes", 60);
        int a = d.shown("t", "a", "episodes", 40);
        int b = d.shown("t", "b", "episodes", 15);
        int c = d.shown("t", "c", "episodes", 5);
        d.sum(overall, List.of(a, b, c));
        Disclosure.Protection p = d.protect(T);
        assertTrue(p.hidden()[c]);
        assertTrue(p.hidden()[b]);
        assertFalse(p.hidden()[a]);
        assertFalse(p.hidden()[overall]);
        // the attacker knows b + c = 20: each lies in [0, 20]
        assertEquals(new IntervalAudit.Range(0, 20), p.ranges()[c]);
        assertEquals(new IntervalAudit.Range(0, 20), p.ranges()[b]);
    }

    @Test
    void aCellOnlyCountsPublishedElsewhereCouldProtectIsReportedNotHiddenAround() {
        // 60 = 55 + 5, where 60 and 55 are published elsewhere (e.g. where two curves start): hiding anything in
        // this table cannot protect the 5, so the protection says so instead of failing the run or hiding more
        Disclosure d = new Disclosure();
        int overall = d.known("t", "overall", "episodes", 60);
        int a = d.shown("t", "a", "episodes", 55);
        d.fix(a);
        int c = d.shown("t", "c", "episodes", 5);
        int other = d.shown("t", "c", "discharged", 30);
        d.sum(overall, List.of(a, c));
        Disclosure.Protection p = d.protect(T);
        assertTrue(p.hidden()[c]);
        assertFalse(p.hidden()[a] || p.hidden()[other]);
        assertEquals(List.of(new Disclosure.Key("t", "c", "episodes")), p.unprotected());
    }

    @Test
    void twoSmallCellsWhoseSumIsSmallNeedAThird() {
        Disclosure d = new Disclosure();
        int overall = d.shown("t", "overall", "episodes", 57);
        int a = d.shown("t", "a", "episodes", 50);
        int b = d.shown("t", "b", "episodes", 3);
        int c = d.shown("t", "c", "episodes", 4);
        d.sum(overall, List.of(a, b, c));
        Disclosure.Protection p = d.protect(T);
        // b + c = 7 would leave each in [0, 7]: a is hidden too, the other rule (two hidden cells) was not enough
        assertTrue(p.hidden()[a] && p.hidden()[b] && p.hidden()[c]);
        assertTrue(p.ranges()[b].width() >= T);
    }

    @Test
    void aSmallDifferenceInsideARowIsProtected() {
        // attack 3 of issue 13: episodes minus discharged is the number still in care
        Disclosure d = new Disclosure();
        int episodes = d.shown("retention_summary", "overall", "episodes", 444);
        int discharged = d.shown("retention_summary", "overall", "discharged", 442);
        int inCare = d.implied("retention_summary", "overall", "in_care", 2);
        d.sum(episodes, List.of(discharged, inCare));
        Disclosure.Protection p = d.protect(T);
        assertTrue(p.hidden()[discharged]);
        assertFalse(p.hidden()[episodes]);
        assertTrue(p.ranges()[inCare].width() >= T, p.ranges()[inCare].toString());
    }

    @Test
    void theSamePeopleInTwoTablesAreOneRelation() {
        // attack 5 of issue 13: 112 discharged in one table, 108 of them (IOP) in another: 4 others
        Disclosure d = new Disclosure();
        int discharged = d.shown("retention_summary", "prog-a", "discharged", 112);
        int iop = d.shown("continuity_effect", "prog-a", "discharged_episodes", 108);
        int other = d.implied("retention_summary", "prog-a", "discharged_not_iop", 4);
        d.sum(discharged, List.of(iop, other));
        Disclosure.Protection p = d.protect(T);
        assertTrue(p.hidden()[iop] || p.hidden()[discharged]);
        assertTrue(p.ranges()[other].width() >= T);
    }

    @Test
    void thresholdOneHidesNothing() {
        Disclosure d = new Disclosure();
        int overall = d.shown("t", "overall", "episodes", 6);
        int a = d.shown("t", "a", "episodes", 5);
        int b = d.shown("t", "b", "episodes", 1);
        d.sum(overall, List.of(a, b));
        Disclosure.Protection p = d.protect(1);
        assertFalse(p.hidden()[overall] || p.hidden()[a] || p.hidden()[b]);
    }

    @Test
    void aFalseRelationIsAProgrammingError() {
        Disclosure d = new Disclosure();
        int total = d.shown("t", "overall", "episodes", 10);
        int part = d.shown("t", "a", "episodes", 9);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> d.sum(total, List.of(part)));
    }

    @Test
    void theAuditIsRightWhereCommonsMathsSimplexAloneIsNot() {
        // x1 + x2 + x3 = 57 with all three hidden: Commons Math 3.6.1 alone gives max x2 = 0
        long[] values = {57, 50, 3, 4};
        IntervalAudit.Range[] ranges = IntervalAudit.ranges(values, new boolean[] {false, true, true, true},
                List.of(IntervalAudit.Relation.sum(0, List.of(1, 2, 3))), new int[] {1, 2, 3});
        for (IntervalAudit.Range r : ranges) {
            assertEquals(new IntervalAudit.Range(0, 57), r);
        }
        // a count in no relation with a cap is unbounded above
        IntervalAudit.Range free = IntervalAudit.ranges(new long[] {5, 9}, new boolean[] {true, true},
                List.of(), new int[] {0})[0];
        assertEquals(IntervalAudit.UNBOUNDED, free.max());
    }

    @Test
    void theAuditBoundsATwoByTwoTableByItsMargins() {
        // cells 30 5 / 20 45, margins shown, the 5 and its row, column and diagonal partners hidden
        long[] values = {30, 5, 20, 45, 35, 65, 50, 50};
        boolean[] unknown = {true, true, true, true, false, false, false, false};
        List<IntervalAudit.Relation> relations = List.of(
                IntervalAudit.Relation.sum(4, List.of(0, 1)), IntervalAudit.Relation.sum(5, List.of(2, 3)),
                IntervalAudit.Relation.sum(6, List.of(0, 2)), IntervalAudit.Relation.sum(7, List.of(1, 3)));
        IntervalAudit.Range[] ranges = IntervalAudit.ranges(values, unknown, relations, new int[] {0, 1, 2, 3});
        // x11 in [0, 35]: x12 = 35 - x11 >= 0, x21 = 50 - x11 >= 0, x22 = 15 + x11 >= 0
        assertEquals(new IntervalAudit.Range(0, 35), ranges[0]);
        assertEquals(new IntervalAudit.Range(0, 35), ranges[1]);
        assertEquals(new IntervalAudit.Range(15, 50), ranges[2]);
        assertEquals(new IntervalAudit.Range(15, 50), ranges[3]);
    }
}
