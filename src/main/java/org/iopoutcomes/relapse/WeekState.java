package org.iopoutcomes.relapse;

/**
 * What one week of the weekly lattice holds (SPEC section 3, Relapse; the symbols of CTNote's use patterns).
 * Week k of an episode is days 7(k-1) .. 7k-1 from its admission.
 */
public enum WeekState {
    /** A positive screen or a use event (use, overdose, fatal overdose). */
    POSITIVE('+'),
    /** Only negative screens. */
    NEGATIVE('-'),
    /** Both a positive (screen or use event) and a negative screen. */
    BOTH('*'),
    /** Only missing, refused or invalid screens: a screen was due but gave no result. */
    MISSING('o'),
    /** No screen row and no use event at all. Never recoded, and neither positive nor missing (as in CTNote). */
    NO_SCREEN('_');

    private final char symbol;

    WeekState(char symbol) {
        this.symbol = symbol;
    }

    public char symbol() {
        return symbol;
    }

    public static WeekState fromSymbol(char symbol) {
        for (WeekState state : values()) {
            if (state.symbol == symbol) {
                return state;
            }
        }
        throw new IllegalArgumentException("'" + symbol + "' is not a week symbol; expected one of + - * o _");
    }

    /** Checks that every character of a lattice is a week symbol, so a typo never passes as a week. */
    public static void requireLattice(String lattice) {
        if (lattice == null) {
            throw new IllegalArgumentException("a lattice is required (an empty string for an episode with no weeks)");
        }
        for (int i = 0; i < lattice.length(); i++) {
            char c = lattice.charAt(i);
            if (c != '+' && c != '-' && c != '*' && c != 'o' && c != '_') {
                throw new IllegalArgumentException("lattice '" + lattice + "': week " + (i + 1) + " is '" + c
                        + "'; expected one of + - * o _");
            }
        }
    }
}
