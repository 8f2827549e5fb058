package certgate.adapters.fetch;

/**
 * Text from a server or a URL made fit for a {@code detail} that goes into the log and a trace: one line, control
 * characters as {@code \\uXXXX}, and bounded, so a hostile server can neither rewrite a terminal nor fill the log.
 */
final class Details {
    private static final int MAX_CHARS = 200;

    private Details() {
    }

    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= MAX_CHARS) {
                return out.append("...").toString();
            }
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
