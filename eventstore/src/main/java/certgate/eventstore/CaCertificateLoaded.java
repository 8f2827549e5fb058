package certgate.eventstore;

import java.util.Objects;

/** A CA certificate was placed in local storage under a CA profile: from now on it is trusted. */
public record CaCertificateLoaded(String profile, Blob certificate) implements Event {
    public CaCertificateLoaded {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(certificate, "certificate");
    }
}
