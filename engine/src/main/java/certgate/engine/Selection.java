package certgate.engine;

import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.Gateway;
import certgate.eventstore.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * Step 1 of Junos's checks: which gateway of a policy a request goes to, and how it was chosen ({@code detail}, for the
 * trace). Only a {@link Certificate} selection goes on to a certificate decision.
 */
public sealed interface Selection {

    /** The gateway chosen, when there is one (a pre-shared-key gateway is chosen, but decides nothing here). */
    Optional<Gateway> chosen();

    String detail();

    /** A certificate gateway and its CA profile: the peer's certificate is decided under them. */
    record Certificate(Gateway gateway, CaProfile profile, String detail) implements Selection {
        public Certificate {
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Optional<Gateway> chosen() {
            return Optional.of(gateway);
        }
    }

    /** The gateway authenticates with a pre-shared key: {@link Reason#NOT_A_CERTIFICATE_GATEWAY}. */
    record PreSharedKey(Gateway gateway, String detail) implements Selection {
        public PreSharedKey {
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Optional<Gateway> chosen() {
            return Optional.of(gateway);
        }
    }

    /** No gateway: {@link Reason#GATEWAY_NOT_FOUND}. */
    record NoGateway(String detail) implements Selection {
        public NoGateway {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Optional<Gateway> chosen() {
            return Optional.empty();
        }
    }
}
