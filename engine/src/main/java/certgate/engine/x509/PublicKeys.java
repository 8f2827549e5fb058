package certgate.engine.x509;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.DSAParams;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.DSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Public keys from SubjectPublicKeyInfo through the JDK's own providers, with DSA parameter inheritance. */
public final class PublicKeys {
    static final String RSA = "1.2.840.113549.1.1.1";
    static final String RSA_PSS = "1.2.840.113549.1.1.10";
    static final String EC = "1.2.840.10045.2.1";
    static final String ED25519 = "1.3.101.112";
    static final String ED448 = "1.3.101.113";
    static final String DSA = "1.2.840.10040.4.1";

    private static final Map<String, String> CURVES = Map.of(
            "1.2.840.10045.3.1.7", "P-256",
            "1.3.132.0.34", "P-384",
            "1.3.132.0.35", "P-521");

    private PublicKeys() {
    }

    /** A decoded key, or why it cannot be used; {@code needsParameters} for a DSA key that inherits them. */
    public record Decoded(Optional<PublicKey> key, String description, Optional<String> problem,
                          boolean needsParameters) {
    }

    static Decoded decode(SubjectPublicKeyInfo spki) {
        String oid = spki.getAlgorithm().getAlgorithm().getId();
        try {
            return switch (oid) {
                case RSA -> rsa(spki, "RSA");
                case RSA_PSS -> rsa(spki, "RSASSA-PSS");
                case EC -> ec(spki);
                case ED25519 -> plain(spki, "Ed25519", "Ed25519");
                case ED448 -> plain(spki, "Ed448", "Ed448");
                case DSA -> dsa(spki);
                default -> unusable("key algorithm " + oid, "key algorithm " + oid + " is not supported");
            };
        } catch (GeneralSecurityException | RuntimeException | java.io.IOException e) {
            return unusable(oid, "public key cannot be decoded: " + e.getMessage());
        }
    }

    private static Decoded rsa(SubjectPublicKeyInfo spki, String jca) throws GeneralSecurityException,
            java.io.IOException {
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance(jca).generatePublic(spec(spki));
        int bits = key.getModulus().bitLength();
        if (bits < 1024) {
            return unusable("RSA-" + bits, "RSA key of " + bits + " bits is too short (at least 1024)");
        }
        return new Decoded(Optional.of(key), "RSA-" + bits, Optional.empty(), false);
    }

    private static Decoded ec(SubjectPublicKeyInfo spki) throws GeneralSecurityException, java.io.IOException {
        var parameters = spki.getAlgorithm().getParameters();
        if (!(parameters instanceof ASN1ObjectIdentifier curve) || !CURVES.containsKey(curve.getId())) {
            return unusable("EC", "EC key on an unsupported or explicit curve (P-256, P-384, P-521 are)");
        }
        ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec(spki));
        return new Decoded(Optional.of(key), "EC " + CURVES.get(curve.getId()), Optional.empty(), false);
    }

    private static Decoded plain(SubjectPublicKeyInfo spki, String jca, String description)
            throws GeneralSecurityException, java.io.IOException {
        if (spki.getAlgorithm().getParameters() != null) {
            return unusable(description, description + " key must not carry parameters");
        }
        return new Decoded(Optional.of(KeyFactory.getInstance(jca).generatePublic(spec(spki))), description,
                Optional.empty(), false);
    }

    private static Decoded dsa(SubjectPublicKeyInfo spki) throws GeneralSecurityException, java.io.IOException {
        if (spki.getAlgorithm().getParameters() == null) {
            return new Decoded(Optional.empty(), "DSA (parameters inherited)", Optional.empty(), true);
        }
        DSAPublicKey key = (DSAPublicKey) KeyFactory.getInstance("DSA").generatePublic(spec(spki));
        return new Decoded(Optional.of(key), "DSA-" + key.getParams().getP().bitLength(), Optional.empty(), false);
    }

    /** RFC 5280 6.1.4 (d)-(f): a DSA key without parameters takes its issuer's working key parameters. */
    static Optional<PublicKey> inheritDsa(SubjectPublicKeyInfo spki, PublicKey issuerWorkingKey) {
        if (!(issuerWorkingKey instanceof DSAPublicKey issuer)) {
            return Optional.empty();
        }
        try {
            BigInteger y = ASN1Integer.getInstance(spki.parsePublicKey()).getValue();
            DSAParams params = issuer.getParams();
            return Optional.of(KeyFactory.getInstance("DSA")
                    .generatePublic(new DSAPublicKeySpec(y, params.getP(), params.getQ(), params.getG())));
        } catch (GeneralSecurityException | RuntimeException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static X509EncodedKeySpec spec(SubjectPublicKeyInfo spki) throws java.io.IOException {
        return new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER));
    }

    private static Decoded unusable(String description, String problem) {
        return new Decoded(Optional.empty(), description, Optional.of(problem), false);
    }
}
