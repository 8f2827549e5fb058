package certgate.adapters.ocsp;

import java.security.PrivateKey;
import java.util.Objects;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A delegated OCSP responder (RFC 6960 4.2.2.2) of one CA: its certificate, issued by the CA with
 * id-kp-OCSPSigning, and its private key. Responses name it by the hash of its key ({@code byKey}).
 */
record Responder(String caSha256, String caSubject, X509CertificateHolder certificate, PrivateKey key,
                 String signatureAlgorithm, RespID id) {
    Responder {
        Objects.requireNonNull(caSha256, "caSha256");
        Objects.requireNonNull(caSubject, "caSubject");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        Objects.requireNonNull(id, "id");
    }

    /** A signer for one response: a ContentSigner holds the stream it signs, so one per response. */
    ContentSigner signer() {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("the responder key of CA '" + caSubject + "' cannot sign with "
                    + signatureAlgorithm + ": " + e.getMessage(), e);
        }
    }

    X509CertificateHolder[] chain() {
        return new X509CertificateHolder[] {certificate};
    }
}
