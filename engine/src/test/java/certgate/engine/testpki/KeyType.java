package certgate.engine.testpki;

/** The key kinds the fixture makes, each with the signature algorithm it signs with by default. */
public enum KeyType {
    EC_P256("SHA256withECDSA"),
    EC_P384("SHA384withECDSA"),
    RSA_2048("SHA256withRSA"),
    ED25519("Ed25519");

    private final String defaultSignature;

    KeyType(String defaultSignature) {
        this.defaultSignature = defaultSignature;
    }

    public String defaultSignature() {
        return defaultSignature;
    }
}
