package certgate.eventstore;

import java.util.Locale;
import java.util.Objects;

/**
 * The IKE ID a peer presented, as presented ({@code fqdn:gw1.example.net}). The engine parses and compares it;
 * the log keeps the raw value so a replay sees exactly what the gateway saw.
 */
public record IkeIdentity(Type type, String value) {
    public enum Type { IP, FQDN, UFQDN, DN }

    public IkeIdentity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** Parses {@code TYPE:VALUE} with TYPE one of ip, fqdn, ufqdn, dn. */
    public static IkeIdentity parse(String typeColonValue) {
        int colon = typeColonValue.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "IKE ID '" + typeColonValue + "' is not TYPE:VALUE (TYPE one of ip, fqdn, ufqdn, dn)");
        }
        String typeName = typeColonValue.substring(0, colon).toUpperCase(Locale.ROOT);
        String value = typeColonValue.substring(colon + 1);
        Type type;
        try {
            type = Type.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("IKE ID type '" + typeColonValue.substring(0, colon)
                    + "' is not one of ip, fqdn, ufqdn, dn", e);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("IKE ID '" + typeColonValue + "' has an empty value");
        }
        return new IkeIdentity(type, value);
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(Locale.ROOT) + ":" + value;
    }
}
