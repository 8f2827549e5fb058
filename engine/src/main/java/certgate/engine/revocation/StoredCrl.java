package certgate.engine.revocation;

import certgate.engine.x509.Names;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.SignatureAlgorithm;
import certgate.eventstore.Blob;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;

/**
 * A CRL of the engine's state: the {@link CrlIndex} built once at load, where it came from, and the facts about
 * it that do not depend on any path (its scope, its number, the RFC 5280 rules it breaks), so a decision only
 * has to find its signer, check its dates and look a serial up.
 */
public final class StoredCrl {
    static final String CRL_NUMBER = "2.5.29.20";
    static final String DELTA_CRL_INDICATOR = "2.5.29.27";
    static final String ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
    static final String AUTHORITY_KEY_ID = "2.5.29.35";
    static final String ISSUER_ALT_NAME = "2.5.29.18";
    static final String FRESHEST_CRL = "2.5.29.46";

    private final CrlIndex index;
    private final String source;
    private final Sha256 sha256;
    private final Names.Name issuer;
    private final Optional<IssuingDistributionPoint> issuingDistributionPoint;
    private final String scope;
    private final boolean delta;
    private final Optional<BigInteger> number;
    private final Optional<String> authorityKeyId;
    private final SignatureAlgorithm.Lookup algorithm;
    private final List<String> problems;
    private final String description;

    private StoredCrl(CrlIndex index, String source) {
        this.index = index;
        this.source = source;
        this.sha256 = Sha256.ofDigest(index.sha256());
        this.issuer = Names.of(index.issuer());
        this.algorithm = SignatureAlgorithm.of(index.signatureAlgorithm());
        List<String> found = new ArrayList<>();
        Extensions extensions = index.extensions();
        IssuingDistributionPoint idp = null;
        boolean isDelta = false;
        BigInteger crlNumber = null;
        String aki = null;
        String scopeKey = "";
        for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
            Extension extension = extensions.getExtension(oid);
            boolean critical = extension.isCritical();
            try {
                switch (oid.getId()) {
                    case ISSUING_DISTRIBUTION_POINT -> {
                        idp = IssuingDistributionPoint.getInstance(extension.getParsedValue());
                        scopeKey = HexFormat.of().formatHex(idp.getEncoded(ASN1Encoding.DER));
                    }
                    case DELTA_CRL_INDICATOR -> isDelta = true;
                    case CRL_NUMBER -> {
                        crlNumber = ASN1Integer.getInstance(extension.getParsedValue()).getValue();
                        if (critical) {
                            found.add("its cRLNumber extension is critical (RFC 5280 5.2.3: non-critical)");
                        }
                    }
                    case AUTHORITY_KEY_ID -> {
                        byte[] id = AuthorityKeyIdentifier.getInstance(extension.getParsedValue())
                                .getKeyIdentifierOctets();
                        aki = id == null ? null : HexFormat.of().formatHex(id);
                    }
                    default -> {
                        boolean known = oid.getId().equals(ISSUER_ALT_NAME) || oid.getId().equals(FRESHEST_CRL);
                        if (critical && !known) {
                            found.add("it has an unrecognized critical extension " + oid.getId());
                        }
                    }
                }
            } catch (RuntimeException | java.io.IOException e) {
                found.add("its extension " + oid.getId() + " is malformed");
            }
        }
        if (crlNumber == null) {
            found.add("it has no cRLNumber (RFC 5280 5.2.3 requires one)");
        }
        if (index.hasUnrecognizedCriticalEntryExtension()) {
            found.add("an entry has an unrecognized critical extension");
        }
        if (!index.innerAndOuterAlgorithmsMatch()) {
            found.add("its signature algorithm differs from the one in the signed part");
        }
        if (issuer.isEmpty()) {
            found.add("its issuer name is empty");
        }
        this.issuingDistributionPoint = Optional.ofNullable(idp);
        this.delta = isDelta;
        this.number = Optional.ofNullable(crlNumber);
        this.authorityKeyId = Optional.ofNullable(aki);
        this.scope = (isDelta ? "delta:" : "complete:") + scopeKey;
        this.problems = List.copyOf(found);
        this.description = "CRL of '" + issuer.text() + "' (thisUpdate " + thisUpdate() + ", nextUpdate "
                + nextUpdate().map(Instant::toString).orElse("none") + ", sha256 " + sha256.shortHex() + ", "
                + source + ")";
    }

    /**
     * Parses and indexes {@code der}, which it keeps without a copy; {@code source} says where it came from
     * ("file:NAME" or a URL).
     */
    public static StoredCrl load(byte[] der, String source) throws CrlFormatException {
        return new StoredCrl(CrlIndex.parse(der), source);
    }

    /** As {@link #load(byte[], String)}, for a CRL as the log holds it: the index shares the blob's bytes. */
    public static StoredCrl load(Blob der, String source) throws CrlFormatException {
        return new StoredCrl(CrlIndex.parse(der), source);
    }

    /** A CRL whose index was read back from a snapshot ({@link CrlSnapshots}), not parsed. */
    static StoredCrl restored(CrlIndex index, String source) {
        return new StoredCrl(index, source);
    }

    public CrlIndex index() {
        return index;
    }

    public String source() {
        return source;
    }

    public Sha256 sha256() {
        return sha256;
    }

    public Names.Name issuer() {
        return issuer;
    }

    public Instant thisUpdate() {
        return index.thisUpdate();
    }

    public Optional<Instant> nextUpdate() {
        return index.nextUpdate();
    }

    public Optional<IssuingDistributionPoint> issuingDistributionPoint() {
        return issuingDistributionPoint;
    }

    public boolean indirect() {
        return issuingDistributionPoint.map(IssuingDistributionPoint::isIndirectCRL).orElse(false);
    }

    /** A delta CRL (deltaCRLIndicator): understood, but certgate uses complete CRLs only. */
    public boolean delta() {
        return delta;
    }

    public Optional<BigInteger> number() {
        return number;
    }

    public Optional<String> authorityKeyId() {
        return authorityKeyId;
    }

    public SignatureAlgorithm.Lookup algorithm() {
        return algorithm;
    }

    /** RFC 5280 rules this CRL breaks; such a CRL is never used. */
    public List<String> problems() {
        return problems;
    }

    /** CRLs of one issuer with the same scope replace each other (the newer wins). */
    String scopeKey() {
        return issuer.key() + "\u0000" + scope;
    }

    /** How a trace names this CRL: issuer, thisUpdate, digest prefix, source. */
    public String describe() {
        return description;
    }

    /** Newer first: by thisUpdate, then cRLNumber, then digest, so the order never depends on load order. */
    static int newerFirst(StoredCrl a, StoredCrl b) {
        int byTime = b.thisUpdate().compareTo(a.thisUpdate());
        if (byTime != 0) {
            return byTime;
        }
        int byNumber = b.number.orElse(BigInteger.valueOf(-1)).compareTo(a.number.orElse(BigInteger.valueOf(-1)));
        if (byNumber != 0) {
            return byNumber;
        }
        return a.sha256.hex().compareTo(b.sha256.hex());
    }
}
