package certgate.engine;

import java.util.Objects;

/**
 * Whether a CA certificate or a CRL may enter the state, asked before its event is appended: a load the engine
 * would keep out, or never use, is refused with its reason, so that an operator never believes a CA or CRL is in
 * force when it is not. The message says, for a person, what the object is and why it was judged so.
 */
public sealed interface Admission permits Admission.Admitted, Admission.AlreadyHeld, Admission.Refused {
    String message();

    /** May be appended: the engine will use it. */
    record Admitted(String message) implements Admission {
        public Admitted {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The state (or an earlier object of the same load) holds it already: nothing to append. */
    record AlreadyHeld(String message) implements Admission {
        public AlreadyHeld {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Not to be appended, for the reason in the message. */
    record Refused(String message) implements Admission {
        public Refused {
            Objects.requireNonNull(message, "message");
        }
    }
}
