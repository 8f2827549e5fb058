package certgate.adapters.pem;

/** Makes untrusted text (file names, bytes from a file) safe to put in a one-line message. */
final class Text {
    private static final int MAX_QUOTE = 40;

    private Text() {
    }

    /** Control characters (newlines, terminal escapes) become '?', so a message stays one harmless line. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    /** A short, quoted, one-line excerpt of a line from a file. */
    static String quote(String line) {
        String cut = line.length() > MAX_QUOTE ? line.substring(0, MAX_QUOTE) + "..." : line;
        return "'" + oneLine(cut) + "'";
    }
}
