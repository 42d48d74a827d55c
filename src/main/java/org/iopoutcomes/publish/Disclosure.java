package org.iopoutcomes.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The disclosure-control model of what a run publishes (SPEC section 5, issue 13): every count of people as a
 * cell, shown or never published (a difference such as "episodes still in care" that the shown counts give by
 * subtraction), and the linear relations between the cells (a total and its parts; the same people in two
 * tables). {@link #protect} hides cells until, for every hidden cell and every count of 1 .. threshold-1 that is
 * never published, an attacker who knows every shown count and every relation is left with a range at least the
 * threshold wide ({@link IntervalAudit}): primary suppression, then complementary, checked rather than assumed.
 *
 * <p>Cells are registered in a fixed order by their tables, so two runs on the same input hide the same cells.
 */
public final class Disclosure {
    /** One cell: a table, the row's key and the column. */
    public record Key(String table, String row, String column) {}

    private final List<Key> keys = new ArrayList<>();
    private final List<Long> values = new ArrayList<>();
    private final List<Boolean> published = new ArrayList<>();
    /** Known to the attacker and never hidden: a total every reader knows or may learn elsewhere. */
    private final List<Boolean> fixed = new ArrayList<>();
    private final Map<Key, Integer> index = new LinkedHashMap<>();
    private final List<IntervalAudit.Relation> relations = new ArrayList<>();
    private final List<List<Integer>> relationCells = new ArrayList<>();

    /** Registers a count (or returns the index it already has: its value must agree). */
    public int count(Key key, long value, boolean isPublished) {
        Integer at = index.get(key);
        if (at != null) {
            if (values.get(at) != value) {
                throw new IllegalStateException(key + " registered with " + values.get(at) + " and " + value);
            }
            return at;
        }
        if (value < 0) {
            throw new IllegalArgumentException(key + " is a count below 0: " + value);
        }
        keys.add(key);
        values.add(value);
        published.add(isPublished);
        fixed.add(false);
        index.put(key, keys.size() - 1);
        return keys.size() - 1;
    }

    public int shown(String table, String row, String column, long value) {
        return count(new Key(table, row, column), value, true);
    }

    /**
     * A count taken as known whatever is hidden, e.g. the total of a line of cells that may be published
     * elsewhere: it constrains the hidden cells and is never chosen as a complement.
     */
    public int known(String table, String row, String column, long value) {
        int i = count(new Key(table, row, column), value, true);
        fixed.set(i, true);
        return i;
    }

    /** A count the shown ones give by subtraction, never published itself. */
    public int implied(String table, String row, String column, long value) {
        return count(new Key(table, row, column), value, false);
    }

    /** total = sum(parts); the values must add up (a declared relation that is false is a programming error). */
    public void sum(int total, List<Integer> parts) {
        long sum = 0;
        for (int p : parts) {
            sum += values.get(p);
        }
        if (sum != values.get(total)) {
            throw new IllegalStateException("declared " + keys.get(total) + " = sum of " + parts.stream()
                    .map(keys::get).toList() + ", but " + values.get(total) + " != " + sum);
        }
        relations.add(IntervalAudit.Relation.sum(total, parts));
        List<Integer> cells = new ArrayList<>();
        cells.add(total);
        cells.addAll(parts);
        relationCells.add(cells);
    }

    /** The same people counted in two cells (two tables, or two rows of one). */
    public void same(int a, int b) {
        sum(a, List.of(b));
    }

    public long value(int cell) {
        return values.get(cell);
    }

    public int size() {
        return keys.size();
    }

    public Integer indexOf(Key key) {
        return index.get(key);
    }

    /** What {@link #protect} decided. */
    public record Protection(List<Key> keys, boolean[] hidden, IntervalAudit.Range[] ranges, int rounds) {
        public boolean isHidden(Key key) {
            int i = keys.indexOf(key);
            return i >= 0 && hidden[i];
        }
    }

    private static boolean small(long value, int threshold) {
        return value >= 1 && value < threshold;
    }

    /**
     * Hides the published counts of 1 .. threshold-1, then, while some hidden cell or never-published small count
     * has a range narrower than the threshold, hides one more shown cell of a relation it is in (the smallest,
     * positive ones first; ties: the first registered).
     */
    public Protection protect(int threshold) {
        return protect(threshold, hidden -> { });
    }

    /**
     * As {@link #protect(int)}, with a rule that hides more cells whenever cells are hidden (e.g. the other counts
     * of a column group, or a whole row whose base count is hidden); run after the primary suppression and after
     * every round of complements, so what it hides is audited like the rest.
     */
    public Protection protect(int threshold, java.util.function.Consumer<boolean[]> close) {
        int n = keys.size();
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        boolean[] hidden = new boolean[n];
        for (int i = 0; i < n; i++) {
            hidden[i] = published.get(i) && !fixed.get(i) && small(v[i], threshold);
        }
        close.accept(hidden);
        if (threshold <= 1) {
            return new Protection(List.copyOf(keys), hidden, new IntervalAudit.Range[0], 0);
        }
        List<List<Integer>> relationsOf = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            relationsOf.add(new ArrayList<>());
        }
        for (int r = 0; r < relationCells.size(); r++) {
            for (int c : relationCells.get(r)) {
                relationsOf.get(c).add(r);
            }
        }
        int rounds = 0;
        while (true) {
            rounds++;
            boolean[] unknown = new boolean[n];
            List<Integer> audited = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                hidden[i] &= !fixed.get(i);
                unknown[i] = hidden[i] || !published.get(i);
                if (hidden[i] || (!published.get(i) && small(v[i], threshold))) {
                    audited.add(i);
                }
            }
            IntervalAudit.Range[] ranges = IntervalAudit.ranges(v, unknown, relations,
                    audited.stream().mapToInt(Integer::intValue).toArray());
            boolean changed = false;
            for (int a = 0; a < audited.size(); a++) {
                if (ranges[a].width() >= threshold) {
                    continue;
                }
                int cell = audited.get(a);
                // an earlier complement of this round may have protected it already
                IntervalAudit.Range now = changed ? rangeOf(cell, hidden, v) : ranges[a];
                if (now.width() >= threshold) {
                    continue;
                }
                List<Integer> candidates = complements(cell, relationsOf, hidden, v);
                if (candidates.isEmpty()) {
                    throw new IllegalStateException("cannot protect " + keys.get(cell) + ": every cell of its "
                            + "relations is already hidden, yet its range is " + now);
                }
                // the first candidate (smallest count first) that protects the cell on its own, else the one that
                // widens its range most
                int chosen = -1;
                double widest = now.width();
                for (int candidate : candidates.subList(0, Math.min(candidates.size(), MAX_TRIED))) {
                    boolean[] trial = hidden.clone();
                    trial[candidate] = true;
                    close.accept(trial);
                    double width = rangeOf(cell, trial, v).width();
                    if (System.getenv("DISCLOSURE_DEBUG") != null) {
                        System.err.println("  try " + keys.get(candidate) + " -> " + width);
                    }
                    if (width >= threshold) {
                        chosen = candidate;
                        widest = width;
                        break;
                    }
                    if (width > widest) {
                        widest = width;
                        chosen = candidate;
                    }
                }
                if (chosen < 0 || widest < threshold) {
                    // No cell alone will do (the cell is fixed by two lines at once, as in a two-way table): a
                    // pair, the second a complement of the first, e.g. the other two corners of a rectangle.
                    int[] pair = pair(cell, candidates, relationsOf, hidden, v, close, threshold);
                    if (pair != null) {
                        hidden[pair[1]] = true;
                        chosen = pair[0];
                    }
                }
                int complement = chosen >= 0 ? chosen : candidates.get(0);
                hidden[complement] = true;
                close.accept(hidden);
                changed = true;
                if (System.getenv("DISCLOSURE_DEBUG") != null) {
                    System.err.println("complement " + keys.get(complement) + " = " + v[complement] + " for "
                            + keys.get(cell) + " = " + v[cell] + " in " + now);
                }
            }
            close.accept(hidden);
            if (!changed) {
                IntervalAudit.Range[] all = new IntervalAudit.Range[n];
                for (int a = 0; a < audited.size(); a++) {
                    all[audited.get(a)] = ranges[a];
                }
                return new Protection(List.copyOf(keys), hidden, all, rounds);
            }
        }
    }

    /** Candidates tried for one complement: enough to find a good one, few enough to stay fast. */
    private static final int MAX_TRIED = 6;

    /** The first pair (candidate, one of its own complements) that protects the cell, or null. */
    private int[] pair(int cell, List<Integer> candidates, List<List<Integer>> relationsOf, boolean[] hidden, long[] v,
                       java.util.function.Consumer<boolean[]> close, int threshold) {
        for (int first : candidates.subList(0, Math.min(candidates.size(), MAX_TRIED))) {
            boolean[] withFirst = hidden.clone();
            withFirst[first] = true;
            close.accept(withFirst);
            List<Integer> seconds = complements(first, relationsOf, withFirst, v);
            for (int second : seconds.subList(0, Math.min(seconds.size(), MAX_TRIED))) {
                boolean[] trial = withFirst.clone();
                trial[second] = true;
                close.accept(trial);
                if (rangeOf(cell, trial, v).width() >= threshold) {
                    return new int[] {first, second};
                }
            }
        }
        return null;
    }

    /** The range of one cell with the given cells hidden. */
    private IntervalAudit.Range rangeOf(int cell, boolean[] hidden, long[] v) {
        boolean[] unknown = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            unknown[i] = hidden[i] || !published.get(i);
        }
        return IntervalAudit.ranges(v, unknown, relations, new int[] {cell})[0];
    }

    /**
     * The shown cells that may be hidden for {@code cell}, best first: in the relations it is in, positive counts
     * before zeros, smaller before larger (ties: the first registered); when those hold none, the same one
     * relation further out.
     */
    private List<Integer> complements(int cell, List<List<Integer>> relationsOf, boolean[] hidden, long[] v) {
        List<Integer> frontier = List.of(cell);
        boolean[] seen = new boolean[v.length];
        seen[cell] = true;
        for (int depth = 0; depth < 4 && !frontier.isEmpty(); depth++) {
            List<Integer> found = new ArrayList<>();
            List<Integer> next = new ArrayList<>();
            for (int c : frontier) {
                for (int r : relationsOf.get(c)) {
                    for (int other : relationCells.get(r)) {
                        if (seen[other]) {
                            continue;
                        }
                        seen[other] = true;
                        next.add(other);
                        if (published.get(other) && !fixed.get(other) && !hidden[other]) {
                            found.add(other);
                        }
                    }
                }
            }
            if (!found.isEmpty()) {
                found.sort((x, y) -> better(v[x], v[y]) ? -1 : better(v[y], v[x]) ? 1 : Integer.compare(x, y));
                return found;
            }
            frontier = next;
        }
        return List.of();
    }

    /** Positive counts before zeros, then the smaller. */
    private static boolean better(long candidate, long current) {
        if ((candidate > 0) != (current > 0)) {
            return candidate > 0;
        }
        return candidate < current;
    }
}
