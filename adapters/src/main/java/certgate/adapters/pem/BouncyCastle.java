package certgate.adapters.pem;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * BouncyCastle's JCA provider, made once and never registered with the JDK: asked for by name only where the
 * JDK's own providers lack an algorithm or a key conversion (PKCS#8 encryption, signature checks by OID).
 */
public final class BouncyCastle {
    public static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}
