package certgate.engine.x509;

import java.io.IOException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * The signature algorithms certgate verifies, with the hash each uses (MD5 and MD2 are always refused, SHA-1
 * only when allowed) and the key family it needs. Parameters are checked strictly: PKCS#1 v1.5 takes NULL or
 * nothing, ECDSA, EdDSA and DSA take nothing, RSA-PSS takes RSASSA-PSS-params with MGF1 over the same hash.
 */
public record SignatureAlgorithm(String name, String jcaName, KeyFamily keyFamily, Hash hash,
                                 Optional<AlgorithmParameterSpec> parameters) {

    public enum KeyFamily { RSA, EC, ED25519, ED448, DSA }

    public enum Hash {
        MD2(true), MD5(true), SHA1(false), SHA224(false), SHA256(false), SHA384(false), SHA512(false), NONE(false);

        private final boolean alwaysWeak;

        Hash(boolean alwaysWeak) {
            this.alwaysWeak = alwaysWeak;
        }

        public boolean weak(boolean allowSha1) {
            return alwaysWeak || (this == SHA1 && !allowSha1);
        }
    }

    /** The outcome of reading an AlgorithmIdentifier. */
    public sealed interface Lookup permits Known, Unknown {
    }

    public record Known(SignatureAlgorithm algorithm) implements Lookup {
    }

    /** Not an algorithm certgate implements, or one with parameters it must not have. */
    public record Unknown(String why) implements Lookup {
    }

    private static final String RSA_PSS = "1.2.840.113549.1.1.10";

    private record Plain(String name, String jca, KeyFamily family, Hash hash, boolean nullParametersAllowed) {
    }

    private static final Map<String, Plain> PLAIN = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.2", new Plain("md2WithRSAEncryption", "MD2withRSA", KeyFamily.RSA,
                    Hash.MD2, true)),
            Map.entry("1.2.840.113549.1.1.4", new Plain("md5WithRSAEncryption", "MD5withRSA", KeyFamily.RSA,
                    Hash.MD5, true)),
            Map.entry("1.2.840.113549.1.1.5", new Plain("sha1WithRSAEncryption", "SHA1withRSA", KeyFamily.RSA,
                    Hash.SHA1, true)),
            Map.entry("1.2.840.113549.1.1.14", new Plain("sha224WithRSAEncryption", "SHA224withRSA",
                    KeyFamily.RSA, Hash.SHA224, true)),
            Map.entry("1.2.840.113549.1.1.11", new Plain("sha256WithRSAEncryption", "SHA256withRSA",
                    KeyFamily.RSA, Hash.SHA256, true)),
            Map.entry("1.2.840.113549.1.1.12", new Plain("sha384WithRSAEncryption", "SHA384withRSA",
                    KeyFamily.RSA, Hash.SHA384, true)),
            Map.entry("1.2.840.113549.1.1.13", new Plain("sha512WithRSAEncryption", "SHA512withRSA",
                    KeyFamily.RSA, Hash.SHA512, true)),
            Map.entry("1.2.840.10045.4.1", new Plain("ecdsa-with-SHA1", "SHA1withECDSA", KeyFamily.EC,
                    Hash.SHA1, false)),
            Map.entry("1.2.840.10045.4.3.1", new Plain("ecdsa-with-SHA224", "SHA224withECDSA", KeyFamily.EC,
                    Hash.SHA224, false)),
            Map.entry("1.2.840.10045.4.3.2", new Plain("ecdsa-with-SHA256", "SHA256withECDSA", KeyFamily.EC,
                    Hash.SHA256, false)),
            Map.entry("1.2.840.10045.4.3.3", new Plain("ecdsa-with-SHA384", "SHA384withECDSA", KeyFamily.EC,
                    Hash.SHA384, false)),
            Map.entry("1.2.840.10045.4.3.4", new Plain("ecdsa-with-SHA512", "SHA512withECDSA", KeyFamily.EC,
                    Hash.SHA512, false)),
            Map.entry("1.3.101.112", new Plain("Ed25519", "Ed25519", KeyFamily.ED25519, Hash.NONE, false)),
            Map.entry("1.3.101.113", new Plain("Ed448", "Ed448", KeyFamily.ED448, Hash.NONE, false)),
            Map.entry("1.2.840.10040.4.3", new Plain("dsa-with-sha1", "SHA1withDSA", KeyFamily.DSA, Hash.SHA1,
                    false)),
            Map.entry("2.16.840.1.101.3.4.3.1", new Plain("dsa-with-sha224", "SHA224withDSA", KeyFamily.DSA,
                    Hash.SHA224, false)),
            Map.entry("2.16.840.1.101.3.4.3.2", new Plain("dsa-with-sha256", "SHA256withDSA", KeyFamily.DSA,
                    Hash.SHA256, false)));

    private static final Map<String, Hash> DIGESTS = Map.of(
            "1.3.14.3.2.26", Hash.SHA1,
            "2.16.840.1.101.3.4.2.4", Hash.SHA224,
            "2.16.840.1.101.3.4.2.1", Hash.SHA256,
            "2.16.840.1.101.3.4.2.2", Hash.SHA384,
            "2.16.840.1.101.3.4.2.3", Hash.SHA512);

    private static final String MGF1 = "1.2.840.113549.1.1.8";

    /** The AlgorithmIdentifier encodings of {@link #PLAIN}, without and with NULL parameters, looked up once. */
    private record Encoded(byte[] der, Lookup lookup) {
    }

    private static final List<Encoded> ENCODED = encodings();

    private static List<Encoded> encodings() {
        List<Encoded> out = new ArrayList<>();
        // The most common first: the list is searched in order.
        List<String> oids = new ArrayList<>(List.of("1.2.840.113549.1.1.11", "1.2.840.10045.4.3.2",
                "1.2.840.10045.4.3.3", "1.3.101.112"));
        PLAIN.keySet().stream().sorted().filter(oid -> !oids.contains(oid)).forEach(oids::add);
        for (String oid : oids) {
            for (AlgorithmIdentifier identifier : List.of(new AlgorithmIdentifier(new ASN1ObjectIdentifier(oid)),
                    new AlgorithmIdentifier(new ASN1ObjectIdentifier(oid), DERNull.INSTANCE))) {
                try {
                    out.add(new Encoded(identifier.getEncoded(ASN1Encoding.DER), of(identifier)));
                } catch (IOException e) {
                    throw new IllegalStateException("encoding " + oid, e);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The algorithm of the AlgorithmIdentifier whose strict DER occupies [start, end) of {@code der}: the common
     * ones by their bytes, any other through BouncyCastle and {@link #of(AlgorithmIdentifier)}.
     */
    static Lookup of(byte[] der, int start, int end) {
        int length = end - start;
        for (Encoded encoded : ENCODED) {
            if (encoded.der.length == length && Arrays.equals(der, start, end, encoded.der, 0, length)) {
                return encoded.lookup;
            }
        }
        try {
            return of(AlgorithmIdentifier.getInstance(ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, start,
                    end))));
        } catch (IOException | RuntimeException e) {
            return new Unknown("signature AlgorithmIdentifier cannot be read: " + e.getMessage());
        }
    }

    public static Lookup of(AlgorithmIdentifier identifier) {
        String oid = identifier.getAlgorithm().getId();
        ASN1Encodable parameters = identifier.getParameters();
        if (oid.equals(RSA_PSS)) {
            try {
                return pss(parameters);
            } catch (RuntimeException e) {
                return new Unknown("RSASSA-PSS parameters are malformed");
            }
        }
        Plain plain = PLAIN.get(oid);
        if (plain == null) {
            return new Unknown("signature algorithm " + oid + " is not supported");
        }
        boolean absent = parameters == null;
        boolean asNull = parameters instanceof DERNull || (parameters != null
                && parameters.toASN1Primitive() instanceof org.bouncycastle.asn1.ASN1Null);
        if (!absent && !(asNull && plain.nullParametersAllowed())) {
            return new Unknown(plain.name() + " must not carry parameters");
        }
        return new Known(new SignatureAlgorithm(plain.name(), plain.jca(), plain.family(), plain.hash(),
                Optional.empty()));
    }

    private static Lookup pss(ASN1Encodable parameters) {
        if (parameters == null) {
            return new Unknown("RSASSA-PSS without parameters");
        }
        RSASSAPSSparams params;
        try {
            params = RSASSAPSSparams.getInstance(parameters);
        } catch (RuntimeException e) {
            return new Unknown("RSASSA-PSS parameters are malformed");
        }
        Hash hash = DIGESTS.get(params.getHashAlgorithm().getAlgorithm().getId());
        if (hash == null) {
            return new Unknown("RSASSA-PSS hash " + params.getHashAlgorithm().getAlgorithm().getId()
                    + " is not supported");
        }
        AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
        if (!mgf.getAlgorithm().getId().equals(MGF1)) {
            return new Unknown("RSASSA-PSS mask generation " + mgf.getAlgorithm().getId() + " is not MGF1");
        }
        Hash mgfHash;
        try {
            mgfHash = DIGESTS.get(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm().getId());
        } catch (RuntimeException e) {
            return new Unknown("RSASSA-PSS MGF1 parameters are malformed");
        }
        if (mgfHash != hash) {
            return new Unknown("RSASSA-PSS with MGF1 over a different hash than the message hash");
        }
        if (params.getTrailerField().intValueExact() != 1) {
            return new Unknown("RSASSA-PSS trailer field must be 1");
        }
        int salt = params.getSaltLength().intValueExact();
        String digest = javaDigest(hash);
        var spec = new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), salt, 1);
        return new Known(new SignatureAlgorithm("RSASSA-PSS/" + digest, "RSASSA-PSS", KeyFamily.RSA, hash,
                Optional.of(spec)));
    }

    private static String javaDigest(Hash hash) {
        return switch (hash) {
            case SHA1 -> "SHA-1";
            case SHA224 -> "SHA-224";
            case SHA256 -> "SHA-256";
            case SHA384 -> "SHA-384";
            case SHA512 -> "SHA-512";
            default -> throw new IllegalArgumentException("no PSS digest for " + hash);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
