package certgate.adapters.cli;

/** Text from files and certificates made safe for a terminal: no control characters, no escape sequences. */
public final class Terminal {
    private Terminal() {
    }

    /** Control characters become {@code \\uXXXX}, so a crafted subject cannot move the cursor or add a line. */
    public static String safe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
