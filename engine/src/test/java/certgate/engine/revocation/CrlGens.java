package certgate.engine.revocation;

import certgate.engine.revocation.CrlFixture.CrlSpec;
import certgate.engine.revocation.CrlFixture.EntrySpec;
import certgate.testkit.Gen;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Generators of CRLs: random versions, issuers, times of both kinds, serials, reasons and indirect entries. */
final class CrlGens {
    private static final long FROM_1950 = Instant.parse("1950-01-01T00:00:00Z").getEpochSecond();
    private static final long TO_2100 = Instant.parse("2100-12-31T23:59:59Z").getEpochSecond();
    private static final long FROM_2000 = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    private static final long TO_2035 = Instant.parse("2035-12-31T23:59:59Z").getEpochSecond();
    private static final int[] REASONS = {0, 1, 2, 3, 4, 5, 6, 8, 9, 10};

    private CrlGens() {
    }

    /** A generated CRL: what it says, and its DER. */
    record Sample(CrlSpec spec, byte[] der) {
        @Override
        public String toString() {
            return spec.toString();
        }
    }

    static Gen<Sample> crls(int maxEntries) {
        return random -> {
            CrlSpec spec = spec(random, maxEntries);
            return new Sample(spec, CrlFixture.encode(spec));
        };
    }

    static CrlSpec spec(SplittableRandom random, int maxEntries) {
        int version = random.nextInt(5) == 0 ? 1 : 2;
        Instant thisUpdate = instant(random);
        Optional<Instant> nextUpdate = random.nextInt(4) == 0 ? Optional.empty()
                : Optional.of(thisUpdate.plusSeconds(random.nextLong(1, 400L * 86_400)));
        int count = random.nextInt(maxEntries + 1);
        List<EntrySpec> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BigInteger serial = !entries.isEmpty() && random.nextInt(12) == 0
                    ? entries.get(random.nextInt(entries.size())).serial() // the same serial again
                    : serial(random);
            EntrySpec entry = EntrySpec.of(serial, instant(random));
            if (random.nextInt(6) == 0) {
                entry = entry.withGeneralizedTime();
            }
            if (version == 2) {
                entry = extensions(random, entry);
            }
            entries.add(entry);
        }
        List<Extension> extensions = new ArrayList<>();
        if (version == 2 && random.nextBoolean()) {
            extensions.add(CrlFixture.extension(Extension.cRLNumber, false,
                    new ASN1Integer(random.nextLong(0, Long.MAX_VALUE))));
        }
        X500Name issuer = new X500Name("CN=CA " + random.nextInt(1_000) + ", O=Corp " + random.nextInt(10));
        return new CrlSpec(version, issuer, thisUpdate, nextUpdate, random.nextInt(8) == 0, List.copyOf(entries),
                List.copyOf(extensions));
    }

    private static EntrySpec extensions(SplittableRandom random, EntrySpec entry) {
        if (random.nextBoolean()) {
            entry = entry.withReason(REASONS[random.nextInt(REASONS.length)]);
        }
        if (random.nextInt(10) == 0) {
            entry = entry.withIssuer(new GeneralNames(new GeneralName(
                    new X500Name("CN=Indirect " + random.nextInt(5)))));
        }
        if (random.nextInt(15) == 0) {
            entry = entry.withExtension(CrlFixture.extension(
                    Extension.invalidityDate, false, CrlFixture.time(instant(random), true)));
        }
        if (random.nextInt(25) == 0) {
            entry = entry.withExtension(CrlFixture.extension(
                    new ASN1ObjectIdentifier("1.3.6.1.4.1.99999." + random.nextInt(3)), random.nextBoolean(),
                    DERNull.INSTANCE));
        }
        return entry;
    }

    /**
     * Serials of 1 to 20 random bytes read as signed, so zero, negatives, and positives needing a leading 0x00
     * all occur; a few are small numbers.
     */
    static BigInteger serial(SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            return BigInteger.valueOf(random.nextLong(-300, 300));
        }
        if (random.nextInt(4) == 0) {
            // a CA's fixed prefix and a counter: serials alike in their first 8+ bytes
            byte[] bytes = new byte[10 + 1 + random.nextInt(6)];
            Arrays.fill(bytes, 0, 10, (byte) 0x5a);
            for (int i = 10; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt(4);
            }
            return new BigInteger(1, bytes);
        }
        byte[] bytes = new byte[1 + random.nextInt(20)];
        random.nextBytes(bytes);
        return random.nextInt(4) == 0 ? new BigInteger(bytes) : new BigInteger(1, bytes);
    }

    /** Mostly 2000-2035; sometimes anywhere from 1950 to 2100 (both time encodings). */
    static Instant instant(SplittableRandom random) {
        return random.nextInt(4) == 0
                ? Instant.ofEpochSecond(random.nextLong(FROM_1950, TO_2100))
                : Instant.ofEpochSecond(random.nextLong(FROM_2000, TO_2035));
    }
}
