package org.iopoutcomes.relapse;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A relapse (or dropout) definition on the weekly lattice, in CTNote's terms.
 *
 * <p>Both kinds first recode the lattice: every {@code o} becomes {@link #missingAs()} and every {@code *}
 * becomes {@link #bothAs()}; {@code _} is never recoded. They then look at the weeks from {@link #startWeek()}
 * on (the earlier weeks are dropped, and added back to the time).
 *
 * <ul>
 *   <li>{@link Kind#WINDOW}: slide a window of {@link #windowWidth()} weeks one week at a time; the event is the
 *   first window holding at least {@link #threshold()} weeks of the {@link #counted()} state. The time is that
 *   window's first week plus {@link #eventOffset()} (CTNote: width - threshold, the week at which the matched
 *   run starts); with no such window the event is false and the time is the last window's first week plus the
 *   same offset. A lattice with fewer weeks than the window (after the start week) has no answer (NA).</li>
 *   <li>{@link Kind#SUBPATTERN}: a flag, true when the recoded weeks from the start week contain
 *   {@link #subpattern()} as consecutive weeks (e.g. {@code ++}); false when they do not, including when the
 *   lattice ends before the start week (no use was seen there). It has no time.</li>
 * </ul>
 *
 * <p>Times are 1-based week numbers on the admission clock.
 */
public record RelapseDefinition(String name, Kind kind, int windowWidth, int threshold, WeekState counted,
                                int eventOffset, String subpattern, int startWeek, WeekState missingAs,
                                WeekState bothAs) implements Serializable {

    public enum Kind { WINDOW, SUBPATTERN }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern SUBPATTERN_SYMBOLS = Pattern.compile("[-+*o]+");

    public RelapseDefinition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(missingAs, "missingAs");
        Objects.requireNonNull(bothAs, "bothAs");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("definition name '" + name
                    + "': expected lower-case letters, digits and '_', starting with a letter");
        }
        String where = "definition " + name + ": ";
        if (startWeek < 1) {
            throw new IllegalArgumentException(where + "start week " + startWeek + " must be 1 or more");
        }
        // Recoding into '_' would make a due screen look like a week with no screen row at all.
        if (missingAs == WeekState.NO_SCREEN || bothAs == WeekState.NO_SCREEN) {
            throw new IllegalArgumentException(where + "'o' and '*' cannot become '_' (no screen row)");
        }
        if (kind == Kind.WINDOW) {
            Objects.requireNonNull(counted, "counted");
            if (windowWidth < 1) {
                throw new IllegalArgumentException(where + "window " + windowWidth + " must be 1 or more");
            }
            if (threshold < 1 || threshold > windowWidth) {
                throw new IllegalArgumentException(where + "threshold " + threshold + " must be from 1 to the window ("
                        + windowWidth + ")");
            }
            if (counted == WeekState.NO_SCREEN) {
                throw new IllegalArgumentException(where + "'_' (no screen row) cannot be counted");
            }
            if (eventOffset < 0 || eventOffset >= windowWidth) {
                throw new IllegalArgumentException(where + "offset " + eventOffset + " must be from 0 to window - 1 ("
                        + (windowWidth - 1) + ")");
            }
            if (subpattern != null) {
                throw new IllegalArgumentException(where + "a window definition has no sub-pattern");
            }
        } else {
            if (subpattern == null || !SUBPATTERN_SYMBOLS.matcher(subpattern).matches()) {
                throw new IllegalArgumentException(where + "sub-pattern '" + subpattern
                        + "': expected one or more of + - * o");
            }
        }
    }

    /** A window definition whose event time is CTNote's: the window's first week + width - threshold. */
    public static RelapseDefinition window(String name, int windowWidth, int threshold, int startWeek,
                                           WeekState counted, WeekState missingAs, WeekState bothAs) {
        return new RelapseDefinition(name, Kind.WINDOW, windowWidth, threshold, counted, windowWidth - threshold,
                null, startWeek, missingAs, bothAs);
    }

    /** A flag definition: the sub-pattern anywhere from the start week. */
    public static RelapseDefinition subpattern(String name, String subpattern, int startWeek, WeekState missingAs,
                                               WeekState bothAs) {
        return new RelapseDefinition(name, Kind.SUBPATTERN, 0, 0, null, 0, subpattern, startWeek, missingAs, bothAs);
    }

    /** A flag definition gives an event only; a window definition a time and an event. */
    public boolean flagOnly() {
        return kind == Kind.SUBPATTERN;
    }

    /** The same definition with another event offset. */
    public RelapseDefinition withEventOffset(int offset) {
        return new RelapseDefinition(name, kind, windowWidth, threshold, counted, offset, subpattern, startWeek,
                missingAs, bothAs);
    }

    /** The same rule under another name (a user's copy of a built-in, say). */
    public RelapseDefinition withName(String newName) {
        return new RelapseDefinition(newName, kind, windowWidth, threshold, counted, eventOffset, subpattern, startWeek,
                missingAs, bothAs);
    }

    public RelapseOutcome evaluate(String lattice) {
        WeekState.requireLattice(lattice);
        char[] weeks = recode(lattice);
        int from = startWeek - 1;
        int length = Math.max(0, weeks.length - from);
        if (kind == Kind.SUBPATTERN) {
            return RelapseOutcome.flag(length > 0 && new String(weeks, from, length).contains(subpattern));
        }
        int windows = length - windowWidth + 1;
        if (windows <= 0) {
            return RelapseOutcome.notAvailable();
        }
        char target = counted.symbol();
        int inWindow = 0;
        for (int i = from; i < from + windowWidth; i++) {
            inWindow += weeks[i] == target ? 1 : 0;
        }
        for (int w = 0; w < windows; w++) {
            if (w > 0) { // slide one week: drop the week that left, add the week that came in
                inWindow += (weeks[from + w + windowWidth - 1] == target ? 1 : 0) - (weeks[from + w - 1] == target ? 1 : 0);
            }
            if (inWindow >= threshold) {
                return RelapseOutcome.timed(from + w + 1 + eventOffset, true);
            }
        }
        return RelapseOutcome.timed(from + windows + eventOffset, false);
    }

    private char[] recode(String lattice) {
        char[] weeks = lattice.toCharArray();
        for (int i = 0; i < weeks.length; i++) {
            if (weeks[i] == 'o') {
                weeks[i] = missingAs.symbol();
            } else if (weeks[i] == '*') {
                weeks[i] = bothAs.symbol();
            }
        }
        return weeks;
    }

    /** The compact text form read by {@link RelapseDefinitions#parse(String)}. */
    public String toText() {
        StringBuilder text = new StringBuilder(name).append(':');
        if (kind == Kind.WINDOW) {
            text.append("window=").append(windowWidth).append(",threshold=").append(threshold)
                    .append(",count=").append(counted.symbol());
        } else {
            text.append("pattern=").append(subpattern);
        }
        text.append(",start=").append(startWeek).append(",o=").append(missingAs.symbol())
                .append(",*=").append(bothAs.symbol());
        if (kind == Kind.WINDOW) {
            text.append(",offset=").append(eventOffset);
        }
        return text.toString();
    }
}
