package certgate.eventstore;

import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's own (local) certificate was loaded: the one it presents to its peers in IKE phase 1, checked
 * before it was recorded to hold the gateway's public key, to chain to a CA certificate of the store and to be
 * valid then. {@code gateway} names the gateway of the policy it serves, when given. The engine's state does not
 * depend on it.
 */
public record LocalCertificateLoaded(Blob certificate, Optional<String> gateway) implements Event {
    public LocalCertificateLoaded {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(gateway, "gateway");
    }
}
