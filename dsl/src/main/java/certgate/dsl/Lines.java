package certgate.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines as the YAML parser counts them: a line ends at LF, CR, CR LF, NEL (U+0085), LS (U+2028) or PS
 * (U+2029). Every line and column in a diagnostic is counted this way.
 */
final class Lines {
    private Lines() {
    }

    static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    /** The 1-based line and column just after {@code text} (where the next character would stand). */
    static YamlNode.Location end(String text) {
        List<String> lines = split(text);
        return new YamlNode.Location(lines.size(), lines.get(lines.size() - 1).length() + 1);
    }
}
