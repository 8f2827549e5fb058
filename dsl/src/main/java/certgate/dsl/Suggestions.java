package certgate.dsl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean": the closest allowed word by edit distance (adjacent swaps count as one edit). */
final class Suggestions {
    private Suggestions() {
    }

    static Optional<String> closest(String word, List<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance <= allowed(candidate) && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int allowed(String candidate) {
        return candidate.length() <= 3 ? 1 : candidate.length() <= 6 ? 2 : 3;
    }

    /** Optimal string alignment distance; long inputs are cut, a key longer than 64 matches nothing anyway. */
    static int distance(String a, String b) {
        if (a.length() > 64 || b.length() > 64) {
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
