package certgate.engine.x509;

import java.util.Locale;

/** DNS name syntax (RFC 1034 preferred name syntax as RFC 5280 4.2.1.6 requires) and subtree matching. */
public final class DnsNames {
    private DnsNames() {
    }

    /** A host name: dot-separated labels of letters, digits and inner hyphens, 1-63 each, 253 at most. */
    public static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                if (!isLabel(name, labelStart, i)) {
                    return false;
                }
                labelStart = i + 1;
            }
        }
        return true;
    }

    private static boolean isLabel(String name, int start, int end) {
        int length = end - start;
        if (length < 1 || length > 63 || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Lower case (ASCII only: DNS names in certificates are ASCII). */
    public static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** {@code name} is {@code subtree} or below it; both lower case; the empty subtree holds every name. */
    public static boolean within(String name, String subtree) {
        if (subtree.isEmpty()) {
            return true;
        }
        return name.equals(subtree)
                || (name.length() > subtree.length() && name.endsWith(subtree)
                && name.charAt(name.length() - subtree.length() - 1) == '.');
    }
}
