package certgate.adapters.export;

import certgate.engine.TrustedCertificate;
import certgate.eventstore.Blob;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an export takes from the store: the CA certificates the engine trusts (with their DER, as loaded) and the
 * gateway's own certificates, in log order. {@link #NONE} when no store is given.
 */
public record StoreCredentials(boolean given, List<Ca> cas, List<Local> locals) {
    public static final StoreCredentials NONE = new StoreCredentials(false, List.of(), List.of());

    public StoreCredentials {
        cas = List.copyOf(cas);
        locals = List.copyOf(locals);
    }

    /** A trusted CA certificate: what the engine says of it, and its bytes. */
    public record Ca(TrustedCertificate info, Blob der) {
        public Ca {
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(der, "der");
        }
    }

    /** A gateway's own certificate, for the gateway it names (or any). */
    public record Local(Optional<String> gateway, Blob der) {
        public Local {
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(der, "der");
        }
    }

    /** The newest own certificate loaded for {@code gateway}, else the newest loaded without a gateway. */
    public Optional<Local> localFor(String gateway) {
        for (int i = locals.size() - 1; i >= 0; i--) {
            if (locals.get(i).gateway().equals(Optional.of(gateway))) {
                return Optional.of(locals.get(i));
            }
        }
        for (int i = locals.size() - 1; i >= 0; i--) {
            if (locals.get(i).gateway().isEmpty()) {
                return Optional.of(locals.get(i));
            }
        }
        return Optional.empty();
    }
}
