package certgate.engine;

import certgate.eventstore.CrlFetchFailed;
import java.util.Objects;

/**
 * What the engine makes of a body fetched for a {@link CrlNeed} ({@link Engine#checkFetchedCrl}): a CRL of that
 * CA, signed by it and current, or why not, as the code {@code CrlFetchFailed} records.
 */
public sealed interface FetchedCrl permits FetchedCrl.Usable, FetchedCrl.Unusable {

    /** A CRL the state may take: its description, as {@code replay} shows it (source as given). */
    record Usable(LoadedCrl crl) implements FetchedCrl {
        public Usable {
            Objects.requireNonNull(crl, "crl");
        }
    }

    /** Not to be recorded as the CA's CRL: {@code NOT_A_CRL}, {@code WRONG_ISSUER}, {@code BAD_SIGNATURE}, {@code EXPIRED}. */
    record Unusable(CrlFetchFailed.Code code, String detail) implements FetchedCrl {
        public Unusable {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
