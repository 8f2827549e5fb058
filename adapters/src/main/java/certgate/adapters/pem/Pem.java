package certgate.adapters.pem;

import certgate.adapters.pem.PkiFileException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * RFC 7468 PEM, read strictly where it matters: explanatory text outside blocks is ignored (OpenSSL writes
 * some), but every boundary line must be well formed and paired, a block's body must be clean base64, headers
 * (legacy encrypted PEM) are refused, and text outside blocks may not look like a boundary or a base64 body.
 * So a damaged file gives an error, never silently fewer certificates.
 */
public final class Pem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /** A decoded block: its label, the line its BEGIN is on (from 1), and the decoded bytes. */
    record Block(String label, int line, byte[] der) {
    }

    /** RFC 7468 text: the label's boundaries around base64 in lines of 64, as OpenSSL writes it. */
    public static byte[] encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** True when the content looks like PEM: it has a BEGIN boundary somewhere. */
    static boolean looksLikePem(byte[] content) {
        byte[] begin = BEGIN.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + begin.length <= content.length; i++) {
            for (int j = 0; j < begin.length; j++) {
                if (content[i + j] != begin[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static List<Block> decode(String file, byte[] content) throws PkiFileException {
        // ISO-8859-1 maps every byte to one char, so offsets stay honest and no byte makes decoding fail.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        String label = null;
        int beginLine = 0;
        StringBuilder body = new StringBuilder();
        int lineNumber = 0;
        int start = 0;
        while (start <= text.length()) {
            int newline = text.indexOf('\n', start);
            int stop = newline < 0 ? text.length() : newline;
            String line = stripTrailingWhitespace(text.substring(start, stop));
            lineNumber++;
            start = stop + 1;
            if (label == null) {
                if (line.startsWith(BEGIN) && line.endsWith(DASHES) && line.length() > BEGIN.length() + 5) {
                    label = line.substring(BEGIN.length(), line.length() - DASHES.length());
                    checkLabelText(file, label, lineNumber);
                    beginLine = lineNumber;
                    body.setLength(0);
                } else if (line.startsWith(END)) {
                    throw new PkiFileException(file, Problem.BAD_PEM,
                            "line " + lineNumber + ": END line without a BEGIN line before it");
                } else if (line.contains(DASHES)) {
                    throw new PkiFileException(file, Problem.BAD_PEM,
                            "line " + lineNumber + ": malformed PEM boundary " + Text.quote(line));
                } else if (looksLikeBase64Body(line)) {
                    // A block whose BEGIN line is damaged must not vanish as "explanatory text".
                    throw new PkiFileException(file, Problem.BAD_PEM, "line " + lineNumber
                            + ": base64 outside a PEM block (is a BEGIN line damaged?)");
                }
                // anything else outside a block is explanatory text
            } else if (line.startsWith(END)) {
                String endLabel = line.endsWith(DASHES) && line.length() >= END.length() + DASHES.length()
                        ? line.substring(END.length(), line.length() - DASHES.length())
                        : null;
                if (!label.equals(endLabel)) {
                    throw new PkiFileException(file, Problem.BAD_PEM, "line " + lineNumber + ": "
                            + Text.quote(line) + " does not close the '" + label + "' block begun on line "
                            + beginLine);
                }
                blocks.add(new Block(label, beginLine, base64(file, body, beginLine)));
                label = null;
            } else if (line.startsWith(DASHES)) {
                throw new PkiFileException(file, Problem.BAD_PEM, "line " + lineNumber + ": " + Text.quote(line)
                        + " inside the '" + label + "' block begun on line " + beginLine);
            } else {
                appendBase64Line(file, line, lineNumber, body);
            }
            if (newline < 0) {
                break;
            }
        }
        if (label != null) {
            throw new PkiFileException(file, Problem.BAD_PEM,
                    "the '" + label + "' block begun on line " + beginLine + " has no END line");
        }
        return blocks;
    }

    private static void checkLabelText(String file, String label, int line) throws PkiFileException {
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '-') {
                throw new PkiFileException(file, Problem.BAD_PEM,
                        "line " + line + ": malformed PEM label " + Text.quote(label));
            }
        }
    }

    private static void appendBase64Line(String file, String line, int lineNumber, StringBuilder body)
            throws PkiFileException {
        if (line.indexOf(':') >= 0) {
            throw new PkiFileException(file, Problem.BAD_PEM, "line " + lineNumber
                    + ": PEM headers (legacy or encrypted PEM) are not supported");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r') {
                continue;
            }
            boolean base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=';
            if (!base64) {
                throw new PkiFileException(file, Problem.BAD_BASE64, "line " + lineNumber + ", column " + (i + 1)
                        + ": " + describeChar(c) + " is not a base64 character");
            }
            body.append(c);
        }
    }

    private static byte[] base64(String file, StringBuilder body, int beginLine) throws PkiFileException {
        if (body.length() == 0) {
            throw new PkiFileException(file, Problem.BAD_BASE64, "the block begun on line " + beginLine + " is empty");
        }
        if (body.length() % 4 != 0) {
            throw new PkiFileException(file, Problem.BAD_BASE64, "the block begun on line " + beginLine + " has "
                    + body.length() + " base64 characters, not a multiple of 4 (cut short?)");
        }
        int padding = body.indexOf("=");
        if (padding >= 0 && padding < body.length() - 2) {
            throw new PkiFileException(file, Problem.BAD_BASE64,
                    "the block begun on line " + beginLine + " has '=' padding before its end");
        }
        try {
            return Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException e) {
            throw new PkiFileException(file, Problem.BAD_BASE64,
                    "the block begun on line " + beginLine + " is not valid base64: " + e.getMessage());
        }
    }

    /** A line of 20 or more base64 characters and nothing else: text has spaces, colons, punctuation. */
    private static boolean looksLikeBase64Body(String line) {
        if (line.length() < 20) {
            return false;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=';
            if (!base64) {
                return false;
            }
        }
        return true;
    }

    private static String describeChar(char c) {
        return c >= 0x21 && c <= 0x7e ? "'" + c + "'" : String.format("byte 0x%02x", (int) c);
    }

    private static String stripTrailingWhitespace(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t'
                || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }
}
