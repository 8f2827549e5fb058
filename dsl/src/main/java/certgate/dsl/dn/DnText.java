package certgate.dsl.dn;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** RFC 4514 text, both ways: a one-pass parser over one input, and the escaping used by toString. */
final class DnText {
    private static final String SPECIALS = "\"+,;<>\\ #=";

    private final String input;
    private int at;

    DnText(String input) {
        this.input = input;
    }

    DistinguishedName parse() throws DnSyntaxException {
        skipSpaces();
        List<Rdn> rdns = new ArrayList<>();
        if (at == input.length()) {
            return new DistinguishedName(rdns);
        }
        while (true) {
            rdns.add(rdn());
            if (at == input.length()) {
                return new DistinguishedName(rdns);
            }
            char c = input.charAt(at);
            if (c != ',') {
                throw unexpected(c);
            }
            at++;
            skipSpaces();
            if (at == input.length()) {
                throw fail(at, "expected an attribute after the last ','");
            }
        }
    }

    private Rdn rdn() throws DnSyntaxException {
        List<DnAttribute> attributes = new ArrayList<>();
        while (true) {
            skipSpaces();
            String oid = type();
            skipSpaces();
            if (at == input.length() || input.charAt(at) != '=') {
                throw fail(at, "expected '=' after the attribute type");
            }
            at++;
            skipSpaces();
            attributes.add(new DnAttribute(oid, value()));
            skipSpaces();
            if (at < input.length() && input.charAt(at) == '+') {
                at++;
                continue;
            }
            return new Rdn(attributes);
        }
    }

    private String type() throws DnSyntaxException {
        int start = at;
        if (at == input.length()) {
            throw fail(at, "expected an attribute type");
        }
        char first = input.charAt(at);
        if (isDigit(first)) {
            return oid(start);
        }
        if (!isAlpha(first)) {
            throw fail(at, "expected an attribute type, found '" + first + "'");
        }
        while (at < input.length() && (isAlpha(input.charAt(at)) || isDigit(input.charAt(at))
                || input.charAt(at) == '-')) {
            at++;
        }
        String keyword = input.substring(start, at);
        if (keyword.equalsIgnoreCase("oid") && at < input.length() && input.charAt(at) == '.') {
            at++;
            return oid(at);
        }
        Optional<String> oid = AttributeTypes.oidOf(keyword);
        if (oid.isEmpty()) {
            throw fail(start, "unknown attribute type '" + keyword + "' (use one of "
                    + AttributeTypes.knownKeywords() + ", or a dotted OID)");
        }
        return oid.get();
    }

    private String oid(int start) throws DnSyntaxException {
        while (at < input.length() && (isDigit(input.charAt(at)) || input.charAt(at) == '.')) {
            at++;
        }
        String oid = input.substring(start, at);
        if (!AttributeTypes.isOid(oid)) {
            throw fail(start, "'" + oid + "' is not a dotted OID");
        }
        return oid;
    }

    private String value() throws DnSyntaxException {
        if (at < input.length() && input.charAt(at) == '#') {
            return hexValue();
        }
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream escapedBytes = new ByteArrayOutputStream();
        int escapesStart = -1;
        int significant = 0;
        while (at < input.length()) {
            char c = input.charAt(at);
            if (c == ',' || c == '+') {
                break;
            }
            if (c == '\\') {
                if (at + 1 == input.length()) {
                    throw fail(at, "'\\' at the end of the value escapes nothing");
                }
                char next = input.charAt(at + 1);
                if (isHex(next)) {
                    if (at + 2 == input.length() || !isHex(input.charAt(at + 2))) {
                        throw fail(at, "'\\" + next + "' is neither an escaped special character nor a hex pair");
                    }
                    if (escapesStart < 0) {
                        escapesStart = at;
                    }
                    escapedBytes.write(Integer.parseInt(input.substring(at + 1, at + 3), 16));
                    at += 3;
                    continue;
                }
                if (SPECIALS.indexOf(next) < 0) {
                    throw fail(at, "'\\" + next + "' is not an RFC 4514 escape (escape one of "
                            + "\" + , ; < > \\ space # = or write a hex pair)");
                }
                escapesStart = flush(out, escapedBytes, escapesStart);
                out.append(next);
                significant = out.length();
                at += 2;
                continue;
            }
            if (c == '"' || c == ';' || c == '<' || c == '>' || c == '\0') {
                String shown = c == '\0' ? "NUL" : "'" + c + "'";
                String hint = c == ';' ? " (';' is not an RDN separator: use ',')" : "";
                throw fail(at, shown + " must be escaped in a value" + hint);
            }
            escapesStart = flush(out, escapedBytes, escapesStart);
            out.append(c);
            if (c != ' ') {
                significant = out.length();
            }
            at++;
        }
        if (escapesStart >= 0) {
            flush(out, escapedBytes, escapesStart);
            significant = out.length();
        }
        return out.substring(0, significant);
    }

    /** Decodes a run of escaped hex pairs as UTF-8; returns -1 (no run pending). */
    private int flush(StringBuilder out, ByteArrayOutputStream bytes, int start) throws DnSyntaxException {
        if (start < 0) {
            return -1;
        }
        try {
            out.append(strict(StandardCharsets.UTF_8).decode(ByteBuffer.wrap(bytes.toByteArray())));
        } catch (CharacterCodingException e) {
            throw fail(start, "escaped hex pairs are not valid UTF-8");
        }
        bytes.reset();
        return -1;
    }

    private String hexValue() throws DnSyntaxException {
        int start = at;
        at++;
        while (at < input.length() && isHex(input.charAt(at))) {
            at++;
        }
        String hex = input.substring(start + 1, at);
        int end = at;
        skipSpaces();
        if (at < input.length() && input.charAt(at) != ',' && input.charAt(at) != '+') {
            throw fail(at, "a #hex value may hold only hex digits");
        }
        if (hex.isEmpty() || hex.length() % 2 != 0) {
            throw fail(start, "a #hex value needs an even, non-zero number of hex digits");
        }
        byte[] der = HexFormat.of().parseHex(hex);
        String lower = input.substring(start + 1, end).toLowerCase(Locale.ROOT);
        return derString(der).orElseGet(() -> "#" + lower);
    }

    /** The string inside a DER string type; empty for other types (kept as '#hex' text). */
    private Optional<String> derString(byte[] der) throws DnSyntaxException {
        int tag = der[0] & 0xff;
        if (der.length < 2) {
            throw fail(at, "a #hex value must be a DER encoding (tag, length, content)");
        }
        int length = der[1] & 0xff;
        int header = 2;
        if (length > 0x80 && length <= 0x84) {
            int count = length - 0x80;
            if (der.length < 2 + count) {
                throw fail(at, "the #hex value's DER length is cut short");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            header += count;
        } else if (length >= 0x80) {
            throw fail(at, "the #hex value's DER length form is not supported");
        }
        if (length < 0 || header + length != der.length) {
            throw fail(at, "the #hex value's DER length does not match its content");
        }
        ByteBuffer content = ByteBuffer.wrap(der, header, length);
        Charset charset = switch (tag) {
            case 0x0c -> StandardCharsets.UTF_8;
            case 0x12, 0x13, 0x16, 0x1a -> StandardCharsets.US_ASCII;
            case 0x14 -> StandardCharsets.ISO_8859_1;
            case 0x1e -> StandardCharsets.UTF_16BE;
            case 0x1c -> Charset.forName("UTF-32BE");
            default -> null;
        };
        if (charset == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(strict(charset).decode(content).toString());
        } catch (CharacterCodingException e) {
            throw fail(at, "the #hex value's string is not valid for its DER type");
        }
    }

    private static CharsetDecoder strict(Charset charset) {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private void skipSpaces() {
        while (at < input.length() && input.charAt(at) == ' ') {
            at++;
        }
    }

    private DnSyntaxException unexpected(char c) {
        if (c == ';') {
            return fail(at, "';' is not an RDN separator (RFC 4514): use ','");
        }
        return fail(at, "unexpected '" + c + "'");
    }

    private DnSyntaxException fail(int column, String problem) {
        return new DnSyntaxException(input, column, problem);
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** RFC 4514 section 2.4 escaping of one attribute value. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 4);
        escapeInto(value, out);
        return out.toString();
    }

    static void escapeInto(String value, StringBuilder out) {
        int last = value.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                out.append("\\00");
            } else if (c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\'
                    || (c == ' ' && (i == 0 || i == last)) || (c == '#' && i == 0)) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
    }
}
