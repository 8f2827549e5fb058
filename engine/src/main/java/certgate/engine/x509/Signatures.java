package certgate.engine.x509;

import certgate.der.Der;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/** Signature verification through the JDK's providers (no global provider registration). */
public final class Signatures {
    private Signatures() {
    }

    /** Whether {@code signature} over {@code data} verifies with {@code key}; false for any malformed input. */
    public static boolean verify(SignatureAlgorithm algorithm, PublicKey key, ByteBuffer data, byte[] signature) {
        if (!keyFits(algorithm, key)) {
            return false;
        }
        if ((algorithm.keyFamily() == SignatureAlgorithm.KeyFamily.EC
                || algorithm.keyFamily() == SignatureAlgorithm.KeyFamily.DSA) && !strictDerPair(signature)) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaName());
            if (algorithm.parameters().isPresent()) {
                verifier.setParameter(algorithm.parameters().get());
            }
            verifier.initVerify(key);
            verifier.update(data.duplicate());
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean keyFits(SignatureAlgorithm algorithm, PublicKey key) {
        String keyAlgorithm = key.getAlgorithm();
        return switch (algorithm.keyFamily()) {
            case RSA -> keyAlgorithm.equals("RSA") || keyAlgorithm.equals("RSASSA-PSS");
            case EC -> keyAlgorithm.equals("EC");
            case ED25519 -> keyAlgorithm.equals("Ed25519") || keyAlgorithm.equals("EdDSA");
            case ED448 -> keyAlgorithm.equals("Ed448") || keyAlgorithm.equals("EdDSA");
            case DSA -> keyAlgorithm.equals("DSA");
        };
    }

    /**
     * ECDSA and DSA signatures are a DER SEQUENCE of two positive INTEGERs. Requiring the exact DER form means a
     * changed byte can never yield the same (r, s): a signed object has exactly one accepted encoding.
     */
    private static boolean strictDerPair(byte[] signature) {
        if (Der.problem(signature).isPresent()) {
            return false;
        }
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
            if (sequence.size() != 2) {
                return false;
            }
            for (int i = 0; i < 2; i++) {
                if (ASN1Integer.getInstance(sequence.getObjectAt(i)).getValue().signum() <= 0) {
                    return false;
                }
            }
            return Arrays.equals(sequence.getEncoded(ASN1Encoding.DER), signature);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
