package certgate.dsl.dn;

import java.text.Normalizer;
import java.util.Locale;

/**
 * RFC 4518 string preparation, the subset certgate needs for caseIgnoreMatch: map (drop soft hyphens,
 * joiners and controls; map other spaces to SPACE), case fold, NFKC, and insignificant space handling.
 * Two values match when their prepared forms are equal. The prepared form collapses runs of spaces to one
 * and drops leading and trailing spaces, which gives the same equality as the RFC's two-space form.
 */
public final class StringPrep {
    private StringPrep() {
    }

    public static String prepare(String value) {
        if (printableAscii(value)) {
            // What every step below leaves of printable ASCII: nothing maps to nothing or to another space, case
            // folding is ASCII lower case, and NFKC changes no ASCII character. The DNs of most certificates and
            // policies are such, and a gateway lookup or DN rule prepares several values per decision.
            return spaces(value.toLowerCase(Locale.ROOT));
        }
        return prepareFully(value);
    }

    /** RFC 4518 preparation step by step, for any value; {@link #prepare} gives the same, faster for ASCII. */
    static String prepareFully(String value) {
        String mapped = map(value);
        String folded = Normalizer.normalize(fold(Normalizer.normalize(fold(mapped), Normalizer.Form.NFKC)),
                Normalizer.Form.NFKC);
        return spaces(folded);
    }

    private static boolean printableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4518 section 2.2: characters mapped to nothing, and whitespace mapped to SPACE. */
    private static String map(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> {
            if (mapsToNothing(cp)) {
                return;
            }
            if (cp == 0x09 || cp == 0x0a || cp == 0x0b || cp == 0x0c || cp == 0x0d || cp == 0x85
                    || Character.getType(cp) == Character.SPACE_SEPARATOR) {
                out.append(' ');
                return;
            }
            out.appendCodePoint(cp);
        });
        return out.toString();
    }

    private static boolean mapsToNothing(int cp) {
        return cp == 0xad || cp == 0x34f || cp == 0x1806 || (cp >= 0x180b && cp <= 0x180e)
                || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e)
                || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff
                || cp == 0xfffc
                || (cp <= 0x08) || (cp >= 0x0e && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x84)
                || (cp >= 0x86 && cp <= 0x9f);
    }

    /** Full case folding, close to RFC 3454 table B.2: upper then lower maps ß to ss, ς to σ, and so on. */
    private static String fold(String value) {
        return value.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** RFC 4518 section 2.6.1: leading and trailing spaces are insignificant, inner runs count as one. */
    private static String spaces(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(c);
        }
        return out.toString();
    }
}
