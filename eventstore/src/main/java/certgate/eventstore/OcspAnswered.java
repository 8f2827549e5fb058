package certgate.eventstore;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What certgate's OCSP responder told a client about one requested certificate (RFC 6960 CertID: the hash
 * algorithm, the hashes of the issuer's name and key, the serial), recorded durably before the answer is sent,
 * so an auditor sees what each gateway was told. {@code crlSha256} is the CRL the answer came from (hex), absent
 * when none did (an issuer certgate does not hold, or a CA without a usable CRL). The engine's state does not
 * depend on it.
 */
public record OcspAnswered(String hashAlgorithm, String issuerNameHash, String issuerKeyHash, BigInteger serial,
                           Status status, Optional<String> crlSha256) implements Event {
    /** The longest hash stored: 64 bytes (SHA-512); a CertID's hashes are 20 (SHA-1) or 32 (SHA-256). */
    public static final int MAX_HASH_BYTES = 64;
    /** The longest serial stored, in bytes of its two's complement encoding (RFC 5280 allows 20). */
    public static final int MAX_SERIAL_BYTES = 64;
    // Compiled once: one of these records is made for every OCSP answer the service gives.
    private static final Pattern DOTTED_OID = Pattern.compile("[0-2](\\.[0-9]{1,10}){1,30}");
    private static final Pattern HEX_BYTES = Pattern.compile("([0-9a-f]{2})+");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** The answer for the certificate: its OCSP CertStatus, or tryLater when the whole response was. */
    public enum Status {
        GOOD, REVOKED, UNKNOWN, TRY_LATER
    }

    public OcspAnswered {
        Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
        if (!DOTTED_OID.matcher(hashAlgorithm).matches()) {
            throw new IllegalArgumentException("OCSP hash algorithm is not a dotted OID: '" + hashAlgorithm + "'");
        }
        requireHash("issuerNameHash", issuerNameHash);
        requireHash("issuerKeyHash", issuerKeyHash);
        Objects.requireNonNull(serial, "serial");
        if (serial.toByteArray().length > MAX_SERIAL_BYTES) {
            throw new IllegalArgumentException("OCSP serial of " + serial.toByteArray().length + " bytes (at most "
                    + MAX_SERIAL_BYTES + ")");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(crlSha256, "crlSha256");
        crlSha256.ifPresent(digest -> {
            if (!SHA256_HEX.matcher(digest).matches()) {
                throw new IllegalArgumentException("OCSP answer's crlSha256 is not a SHA-256 in lower-case hex");
            }
        });
    }

    private static void requireHash(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty() || value.length() > 2 * MAX_HASH_BYTES || !HEX_BYTES.matcher(value).matches()) {
            throw new IllegalArgumentException("OCSP " + field + " is not 1.." + MAX_HASH_BYTES
                    + " bytes in lower-case hex");
        }
    }

    /** {@code bytes} as this record keeps a hash: lower-case hex. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
