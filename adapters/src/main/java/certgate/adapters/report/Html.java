package certgate.adapters.report;

/**
 * Text from the log made safe to put in the report, which is XHTML (well-formed XML served as HTML): markup
 * characters become character references, and what XML 1.0 cannot hold at all (control characters, lone
 * surrogates, U+FFFE/U+FFFF) is written out as visible {@code \}{@code uXXXX}, as {@code certgate} prints it on a
 * terminal. A subject DN of {@code <script>} is then text on the page, never an element.
 */
public final class Html {
    private Html() {
    }

    /** {@code text} as element content or as an attribute value (quotes escaped too, for either quoting). */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        append(out, text);
        return out.toString();
    }

    /** Appends {@link #escape escaped} {@code text} to {@code out}. */
    public static void append(StringBuilder out, String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (allowed(c)) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
            i++;
        }
    }

    /**
     * Whether XML 1.0 allows {@code c} as it is (tab, newline and printable characters); C1 controls, the
     * Unicode line and paragraph separators and the bidirectional overrides (which could make a DN read as
     * another) are allowed there but escaped here too, as on a terminal.
     */
    private static boolean allowed(char c) {
        if (c == '\t' || c == '\n') {
            return true;
        }
        if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069') {
            return false;
        }
        return !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }
}
