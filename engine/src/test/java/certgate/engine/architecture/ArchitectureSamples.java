package certgate.engine.architecture;

import org.bouncycastle.asn1.x500.X500Name;

/** Public classes for {@link DependencyGraphTest}: the checkers look only at accessible types. */
public final class ArchitectureSamples {
    private ArchitectureSamples() {
    }

    /** Names a BouncyCastle class only in text. */
    public static final class Literal {
        public String text() {
            return "Lorg/bouncycastle/asn1/x500/X500Name; is only text here";
        }
    }

    /** Shows a BouncyCastle type in a public signature. */
    public static final class Leaky {
        public X500Name name() {
            return new X500Name("CN=leak");
        }

        X500Name hidden() {
            return name();
        }
    }
}
