package certgate.engine.testpki;

import certgate.eventstore.Blob;
import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Objects;

/** A certificate the fixture made: its DER, its key pair (private part included), serial and subject. */
public record TestCert(byte[] der, KeyPair keyPair, BigInteger serial, String subject) {
    public TestCert {
        Objects.requireNonNull(der, "der");
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(subject, "subject");
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    public Blob blob() {
        return Blob.of(der);
    }

    public String pem() {
        return PemText.certificate(der);
    }
}
