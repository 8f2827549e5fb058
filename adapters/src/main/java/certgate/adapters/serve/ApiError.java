package certgate.adapters.serve;

/**
 * A request the service refuses: an HTTP status, a stable code a client can switch on, and a message for a
 * person. The body is always {@code {"error": {"code": ..., "message": ...}}}, never a stack trace.
 */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    /** The stable codes, with the status each is sent with. */
    enum Code {
        NOT_JSON(400), NOT_AN_OBJECT(400), UNKNOWN_FIELD(400), MISSING_FIELD(400), WRONG_TYPE(400),
        BAD_ID(400), BAD_TIME(400), BAD_ENCODING(400), BAD_PARAMETER(400), NOT_UTF8(400),
        REFUSED(400), POLICY_ERRORS(400),
        UNAUTHENTICATED(401), NOT_FOUND(404), METHOD_NOT_ALLOWED(405), BODY_TOO_LARGE(413),
        NOT_READY(503), SHUTTING_DOWN(503), STORE_FAILED(500), INTERNAL_ERROR(500);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final Code code;

    ApiError(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    Code code() {
        return code;
    }
}
