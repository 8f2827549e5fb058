package certgate.bench.crl;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * A PKIX validator of the Java platform as a baseline: the JDK's (SUN) or BouncyCastle's, given the same inputs
 * as certgate: the root as trust anchor, the path peer, issuing CA, intermediate, and the three CRLs in a
 * Collection CertStore, revocation checking on, at the benchmark's instant. The CRLs and CA certificates are
 * parsed once with the validator's own provider; each validation parses its peer certificate, as certgate does.
 */
final class PkixBaseline {
    private final String name;
    private final CertificateFactory factory;
    private final CertPathValidator validator;
    private final PKIXParameters parameters;
    private final X509Certificate issuing;
    private final X509Certificate intermediate;

    private PkixBaseline(String name, CertificateFactory factory, CertPathValidator validator,
                         PKIXParameters parameters, X509Certificate issuing, X509Certificate intermediate) {
        this.name = name;
        this.factory = factory;
        this.validator = validator;
        this.parameters = parameters;
        this.issuing = issuing;
        this.intermediate = intermediate;
    }

    static PkixBaseline jdk(BenchPki pki) throws GeneralSecurityException {
        return create("JDK PKIX (SUN)", CertificateFactory.getInstance("X.509"),
                CertPathValidator.getInstance("PKIX"), pki);
    }

    static PkixBaseline bouncyCastle(BenchPki pki, Provider provider) throws GeneralSecurityException {
        return create("BC PKIX", CertificateFactory.getInstance("X.509", provider),
                CertPathValidator.getInstance("PKIX", provider), pki);
    }

    private static PkixBaseline create(String name, CertificateFactory factory, CertPathValidator validator,
                                       BenchPki pki) throws GeneralSecurityException {
        X509Certificate root = certificate(factory, BenchPki.encoded(pki.root));
        X509Certificate intermediate = certificate(factory, BenchPki.encoded(pki.intermediate));
        X509Certificate issuing = certificate(factory, BenchPki.encoded(pki.issuing));
        List<X509CRL> crls = List.of(crl(factory, pki.rootCrl), crl(factory, pki.intermediateCrl),
                crl(factory, pki.issuingCrl));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setDate(Date.from(pki.at));
        parameters.setRevocationEnabled(true);
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        return new PkixBaseline(name, factory, validator, parameters, issuing, intermediate);
    }

    String name() {
        return name;
    }

    /** True when the peer's path validates; false for any validation failure (revoked, for the listed ones). */
    boolean validate(byte[] peer) {
        try {
            CertPath path = factory.generateCertPath(List.of(certificate(factory, peer), issuing, intermediate));
            validator.validate(path, parameters);
            return true;
        } catch (CertPathValidatorException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " could not read the benchmark's own certificates", e);
        }
    }

    static X509Certificate certificate(CertificateFactory factory, byte[] der) throws GeneralSecurityException {
        return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    }

    static X509CRL crl(CertificateFactory factory, byte[] der) throws GeneralSecurityException {
        return (X509CRL) factory.generateCRL(new ByteArrayInputStream(der));
    }
}
