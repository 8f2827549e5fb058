package certgate.adapters.cli;

import java.util.Objects;

/** A {@code --requests} line that is not a usable request; its code goes into the line's error object. */
final class RequestLineException extends Exception {
    private static final long serialVersionUID = 1L;


    /** Stable codes, printed in the error object's {@code code}. */
    enum Code { LINE_TOO_LONG, NOT_UTF8, NOT_JSON, NOT_AN_OBJECT, UNKNOWN_FIELD, MISSING_FIELD, WRONG_TYPE, BAD_ID,
        BAD_TIME }

    private final Code code;

    RequestLineException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    Code code() {
        return code;
    }
}
