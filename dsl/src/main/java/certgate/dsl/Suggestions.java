package certgate.dsl;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean": the one place that decides which known word a misspelt one was meant to be, for policy keys,
 * values and names, test files, and the command line.
 *
 * <p>The distance is optimal string alignment (an insertion, deletion, substitution or swap of two neighbours is
 * one edit), ignoring case. A known word is offered when it is at most one edit away for words of up to 3
 * characters, two for up to 6 and three for longer ones. Among equally close words the one that sorts first is
 * offered, so the answer does not depend on the order the words come in.
 */
public final class Suggestions {
    /** Words longer than this are no typo of a known word; capping them keeps the work small. */
    private static final int MAX_LENGTH = 64;

    private Suggestions() {
    }

    /** The known word {@code typed} is most likely a misspelling of, if one is close enough. */
    public static Optional<String> closest(String typed, Collection<String> known) {
        String lower = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance > allowed(candidate)) {
                continue;
            }
            if (distance < bestDistance || distance == bestDistance && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int allowed(String candidate) {
        return candidate.length() <= 3 ? 1 : candidate.length() <= 6 ? 2 : 3;
    }

    /** Optimal string alignment distance; words over {@link #MAX_LENGTH} characters are far from all others. */
    static int distance(String a, String b) {
        if (a.length() > MAX_LENGTH || b.length() > MAX_LENGTH) {
            return a.equals(b) ? 0 : Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    static String quoted(List<String> words) {
        return String.join(", ", words.stream().map(w -> "`" + w + "`").toList());
    }
}
