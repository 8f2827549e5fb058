package certgate.dsl.policy;

import java.util.Locale;
import java.util.Optional;

/** FQDN and e-mail (U-FQDN) syntax and their normal forms, for policy values and presented IKE IDs alike. */
public final class HostName {
    private HostName() {
    }

    /**
     * The normal form of a DNS name (lower case, one trailing dot dropped): labels of 1 to 63 letters, digits
     * and '-', not starting or ending with '-', at most 253 characters. Empty when the text is not such a name.
     */
    public static Optional<String> fqdn(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > 253) {
            return Optional.empty();
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return Optional.empty();
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(name.toLowerCase(Locale.ROOT));
    }

    /** An e-mail address split at its last '@': the local part as written, the domain in its normal form. */
    public record Mailbox(String localPart, String domain) {
        @Override
        public String toString() {
            return localPart + "@" + domain;
        }
    }

    /**
     * A U-FQDN: a local part of 1 to 64 printable ASCII characters without spaces or '@', then '@' and an FQDN.
     * Empty when the text is not such an address.
     */
    public static Optional<Mailbox> mailbox(String text) {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at > 64) {
            return Optional.empty();
        }
        String local = text.substring(0, at);
        if (!local.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '@')) {
            return Optional.empty();
        }
        return fqdn(text.substring(at + 1)).map(domain -> new Mailbox(local, domain));
    }
}
