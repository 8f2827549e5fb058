package certgate.adapters.pem;

import java.util.Objects;

/**
 * A certificate, CRL or key file that cannot be used, with what is wrong. The message is one line that starts with
 * the file's name, so a command can print it as it is.
 */
public final class PkiFileException extends Exception {
    private static final long serialVersionUID = 1L;


    /** What kind of problem; stable, for callers and tests that branch on it. */
    public enum Problem {
        /** The file cannot be read (missing, a directory, no permission). */
        UNREADABLE,
        /** The file is larger than the limit for its kind. */
        TOO_BIG,
        /** The file has no content (or only whitespace). */
        EMPTY,
        /** Neither DER (a SEQUENCE) nor PEM (a BEGIN line). */
        NOT_PEM_OR_DER,
        /** PEM armor is broken: a BEGIN without END, a stray or mismatched boundary line, headers. */
        BAD_PEM,
        /** A PEM block's body is not valid base64. */
        BAD_BASE64,
        /** A PEM block holds something else (a key, a CSR, a CRL where a certificate was expected). */
        WRONG_LABEL,
        /** The DER is not a well-formed X.509 certificate. */
        NOT_A_CERTIFICATE,
        /** The DER is not a well-formed X.509 CRL. */
        NOT_A_CRL,
        /** The DER is not one well-formed object where a PKCS#8 private key was expected. */
        NOT_A_PRIVATE_KEY,
        /** The DER is not one well-formed object where a PKCS#10 certificate request was expected. */
        NOT_A_CERTIFICATE_REQUEST,
        /** The DER is not a well-formed SubjectPublicKeyInfo where a public key was expected. */
        NOT_A_PUBLIC_KEY,
        /** The private key is encrypted and no passphrase was given. */
        PASSPHRASE_NEEDED,
        /** The private key is encrypted and does not decrypt with the passphrase given. */
        WRONG_PASSPHRASE,
        /** A well-formed key of an algorithm certgate does not sign with (DSA, X25519...). */
        UNSUPPORTED_KEY
    }

    private final String file;
    private final Problem problem;

    PkiFileException(String file, Problem problem, String detail) {
        super(Text.oneLine(file) + ": " + Text.oneLine(detail));
        this.file = Objects.requireNonNull(file, "file");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The file's name as the caller gave it. */
    public String file() {
        return file;
    }

    public Problem problem() {
        return problem;
    }
}
