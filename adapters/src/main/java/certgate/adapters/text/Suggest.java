package certgate.adapters.text;

import certgate.dsl.Suggestions;
import java.util.Collection;

/** The command line's way of saying "did you mean ...?"; which word is meant is {@link Suggestions}' call. */
public final class Suggest {
    private Suggest() {
    }

    /** " (did you mean 'x'?)" or nothing. */
    public static String hint(String typed, Collection<String> known) {
        return Suggestions.closest(typed, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }
}
