package certgate.engine.testpki;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A BouncyCastle {@link ContentSigner} over the JDK's providers, so the fixture needs no registered provider.
 * Names are JCA names ("SHA256withECDSA", "SHA1withRSA", "MD5withRSA", "Ed25519"), plus "SHA256withRSA/PSS".
 */
final class JdkSigner implements ContentSigner {
    static final String RSA_PSS_SHA256 = "SHA256withRSA/PSS";

    private final String name;
    private final PrivateKey key;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    JdkSigner(String name, PrivateKey key) {
        this.name = name;
        this.key = key;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        if (name.equals(RSA_PSS_SHA256)) {
            AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
            return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(sha256,
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256), new ASN1Integer(32),
                    new ASN1Integer(1)));
        }
        return new DefaultSignatureAlgorithmIdentifierFinder().find(name);
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        try {
            Signature signature;
            if (name.equals(RSA_PSS_SHA256)) {
                signature = Signature.getInstance("RSASSA-PSS");
                signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                signature = Signature.getInstance(name);
            }
            signature.initSign(key);
            signature.update(buffer.toByteArray());
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + name, e);
        }
    }
}
