package certgate.engine.revocation;

import certgate.eventstore.Blob;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * A CRL parsed once, at load, and indexed compactly (<= 32 retained bytes per revoked entry).
 *
 * <h2>Why and how</h2>
 * The JDK's and BouncyCastle's PKIX validators keep a CRL as one object graph per entry (a BigInteger, a Date,
 * an extension map: a few hundred bytes each) and re-read it on every validation. certgate reads the DER once
 * with a hand-written strict reader ({@link certgate.der.DerCursor}) and keeps no object per entry:
 * <ul>
 *   <li>Serials are grouped by the length of their DER INTEGER content (the minimal two's complement, exactly
 *       what {@link BigInteger#toByteArray()} gives, so a lookup needs no normalising). Groups of up to 8 bytes
 *       are packed into a sorted {@code long[]}; longer ones are spelled back to back in a sorted
 *       {@code byte[]}. A lookup is one binary search in one group. 16-byte serials (17 content bytes when the
 *       top bit is set) cost 17 bytes each.</li>
 *   <li>Revocation dates are unsigned {@code int} seconds after the earliest one (4 bytes; a {@code long[]}
 *       only if the dates span more than 136 years), reason codes a {@code byte[]} (allocated only if any entry
 *       has one), certificateIssuer groups (indirect CRLs) an {@code int[]} of group numbers into a short list
 *       of {@link org.bouncycastle.asn1.x509.GeneralNames}, allocated only when the CRL names one.</li>
 *   <li>Sorting is a stable radix sort on the first 8 bytes and a merge sort within runs of equal prefixes, so
 *       no input makes loading quadratic; entries for one serial stay in CRL order.</li>
 * </ul>
 * About 22 bytes per entry for 16-byte serials with reason codes. The DER itself is not copied: the index reads
 * and keeps a read-only view of the caller's bytes (a {@code Blob}'s, say: it backs {@link #tbsCertList()}), so
 * a 40 MB CRL costs 40 MB once, not once for the event and once for the index; {@link #retainedBytes()} counts
 * only what the index adds to it. A caller of {@link #parse(byte[])} must not modify the array afterwards.
 *
 * <p>The reader is strict DER: definite minimal lengths, no trailing bytes, bounded size ({@value
 * CrlParser#MAX_SIZE} bytes) and nesting, v1 or v2 only, no extensions in a v1 CRL, canonical BOOLEAN and
 * INTEGER encodings, UTCTime and GeneralizedTime to the second in UTC (RFC 5280: UTCTime YY >= 50 is 19YY).
 * BouncyCastle reads only the issuer, the algorithm identifiers, the CRL extensions and certificateIssuer
 * names. Entries need not be sorted in the CRL; duplicate entries are kept.
 */
public final class CrlIndex {
    /** Read-only, the CRL from index 0 to its limit; only absolute reads, so its position never moves. */
    private final ByteBuffer der;
    private final int tbsOffset;
    private final int tbsLength;
    private final int version;
    private final X500Name issuer;
    private final Instant thisUpdate;
    private final Optional<Instant> nextUpdate;
    private final AlgorithmIdentifier outerAlgorithm;
    private final boolean algorithmsMatch;
    private final byte[] signature;
    private final Extensions extensions;
    private final CrlEntryTable entries;
    private final boolean unrecognizedCriticalEntryExtension;
    private final int smallPartsEncoded;
    private volatile byte[] sha256;

    CrlIndex(ByteBuffer der, int tbsOffset, int tbsLength, int version, X500Name issuer, Instant thisUpdate,
             Optional<Instant> nextUpdate, AlgorithmIdentifier outerAlgorithm,
             boolean algorithmsMatch, byte[] signature, Extensions extensions, CrlEntryTable entries,
             boolean unrecognizedCriticalEntryExtension, int smallPartsEncoded) {
        this.der = der;
        this.tbsOffset = tbsOffset;
        this.tbsLength = tbsLength;
        this.version = version;
        this.issuer = issuer;
        this.thisUpdate = thisUpdate;
        this.nextUpdate = nextUpdate;
        this.outerAlgorithm = outerAlgorithm;
        this.algorithmsMatch = algorithmsMatch;
        this.signature = signature;
        this.extensions = extensions;
        this.entries = entries;
        this.unrecognizedCriticalEntryExtension = unrecognizedCriticalEntryExtension;
        this.smallPartsEncoded = smallPartsEncoded;
    }

    /**
     * Strict DER parse of a CertificateList; structure only, the signature is NOT verified here. The index keeps
     * {@code der} without copying it: the caller must not modify the array afterwards.
     */
    public static CrlIndex parse(byte[] der) throws CrlFormatException {
        Objects.requireNonNull(der, "der");
        return CrlParser.parse(ByteBuffer.wrap(der).asReadOnlyBuffer());
    }

    /**
     * As {@link #parse(byte[])}, for a CRL as the log holds it: the index keeps the blob's read-only {@link
     * Blob#view} (no copy, and nothing can change the bytes) and takes the blob's SHA-256 rather than computing
     * it again.
     */
    public static CrlIndex parse(Blob der) throws CrlFormatException {
        Objects.requireNonNull(der, "der");
        CrlIndex index = CrlParser.parse(der.view());
        index.sha256 = der.sha256();
        return index;
    }

    public X500Name issuer() {
        return issuer;
    }

    public Instant thisUpdate() {
        return thisUpdate;
    }

    public Optional<Instant> nextUpdate() {
        return nextUpdate;
    }

    /** The outer signatureAlgorithm of the CertificateList. */
    public AlgorithmIdentifier signatureAlgorithm() {
        return outerAlgorithm;
    }

    /** True when tbsCertList.signature and signatureAlgorithm are the same bytes (RFC 5280 5.1.1.2). */
    public boolean innerAndOuterAlgorithmsMatch() {
        return algorithmsMatch;
    }

    /** A copy of the CRL's bytes, exactly as they were loaded (and signed). */
    public byte[] der() {
        byte[] copy = new byte[der.limit()];
        der.get(0, copy);
        return copy;
    }

    /** Read-only view of the signed bytes (no copy). */
    public ByteBuffer tbsCertList() {
        return der.slice(tbsOffset, tbsLength);
    }

    /**
     * A copy of the signature bytes; empty when the BIT STRING is not a whole number of bytes (no signature
     * algorithm produces that, so it must fail verification: {@code Signature.verify} throws or says false).
     */
    public byte[] signatureValue() {
        return signature.clone();
    }

    /** The crlExtensions; empty when absent. */
    public Extensions extensions() {
        return extensions;
    }

    /** 1 or 2. */
    public int version() {
        return version;
    }

    /** Number of revoked entries. */
    public int size() {
        return entries.size();
    }

    /** Entries for that serial (normally 0 or 1; an indirect CRL may list one serial under several issuers). */
    public List<RevokedEntry> entriesFor(BigInteger serial) {
        Objects.requireNonNull(serial, "serial");
        return entries.lookup(serial);
    }

    /**
     * True when any entry has a critical extension other than reasonCode, invalidityDate, certificateIssuer,
     * holdInstructionCode (such a CRL must not be used: RFC 5280 5.3).
     */
    public boolean hasUnrecognizedCriticalEntryExtension() {
        return unrecognizedCriticalEntryExtension;
    }

    /**
     * The index's own estimate of the heap it adds to the DER array it shares with the caller: the entry arrays
     * exactly, plus an allowance for the BouncyCastle objects of the issuer, algorithms and extensions (eight
     * times their DER size). Not counted: the DER array itself, which the caller holds anyway.
     */
    public long retainedBytes() {
        return 256 + signature.length + 8L * smallPartsEncoded + entries.retainedBytes();
    }

    /** SHA-256 of the DER (computed on first use, then kept). */
    public byte[] sha256() {
        byte[] digest = sha256;
        if (digest == null) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(der.duplicate());
                digest = sha.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
            sha256 = digest;
        }
        return digest.clone();
    }

    /**
     * Writes the index as it is, arrays and all, for {@link CrlSnapshots}: reading it back costs a copy of the
     * bytes, not a parse of the CRL.
     */
    void writeSnapshot(DataOutputStream out) throws IOException {
        CrlSnapshots.writeBytes(out, der);
        out.writeInt(tbsOffset);
        out.writeInt(tbsLength);
        out.writeByte(version);
        CrlSnapshots.writeBytes(out, issuer.getEncoded(ASN1Encoding.DER));
        out.writeLong(thisUpdate.getEpochSecond());
        out.writeBoolean(nextUpdate.isPresent());
        out.writeLong(nextUpdate.map(Instant::getEpochSecond).orElse(0L));
        CrlSnapshots.writeBytes(out, outerAlgorithm.getEncoded(ASN1Encoding.DER));
        out.writeBoolean(algorithmsMatch);
        CrlSnapshots.writeBytes(out, signature);
        CrlSnapshots.writeBytes(out, extensions.getEncoded(ASN1Encoding.DER));
        entries.writeSnapshot(out);
        out.writeBoolean(unrecognizedCriticalEntryExtension);
        out.writeInt(smallPartsEncoded);
        CrlSnapshots.writeBytes(out, sha256());
    }

    /** The index {@link #writeSnapshot} wrote; every length and offset checked, so damage is an exception. */
    static CrlIndex readSnapshot(DataInputStream in) throws IOException {
        byte[] der = CrlSnapshots.readBytes(in, CrlParser.MAX_SIZE, "CRL DER");
        int tbsOffset = in.readInt();
        int tbsLength = in.readInt();
        if (tbsOffset < 0 || tbsLength < 0 || tbsOffset > der.length - tbsLength) {
            throw new IOException("tbsCertList range " + tbsOffset + "+" + tbsLength + " is outside the CRL's "
                    + der.length + " bytes");
        }
        int version = in.readByte();
        if (version != 1 && version != 2) {
            throw new IOException("CRL version " + version + " (1 or 2 expected)");
        }
        X500Name issuer = CrlSnapshots.small(in, "issuer", X500Name::getInstance);
        Instant thisUpdate = Instant.ofEpochSecond(in.readLong());
        boolean hasNext = in.readBoolean();
        long next = in.readLong();
        Optional<Instant> nextUpdate = hasNext ? Optional.of(Instant.ofEpochSecond(next)) : Optional.empty();
        AlgorithmIdentifier outerAlgorithm = CrlSnapshots.small(in, "signatureAlgorithm",
                AlgorithmIdentifier::getInstance);
        boolean algorithmsMatch = in.readBoolean();
        byte[] signature = CrlSnapshots.readBytes(in, der.length, "signature");
        Extensions extensions = CrlSnapshots.small(in, "crlExtensions", Extensions::getInstance);
        CrlEntryTable entries = CrlEntryTable.readSnapshot(in, der.length);
        boolean unrecognizedCritical = in.readBoolean();
        int smallParts = in.readInt();
        byte[] digest = CrlSnapshots.readBytes(in, 32, "sha256");
        if (digest.length != 32) {
            throw new IOException("a CRL digest of " + digest.length + " bytes (32 expected)");
        }
        CrlIndex index = new CrlIndex(ByteBuffer.wrap(der).asReadOnlyBuffer(), tbsOffset, tbsLength, version,
                issuer, thisUpdate, nextUpdate, outerAlgorithm, algorithmsMatch, signature, extensions, entries,
                unrecognizedCritical, smallParts);
        index.sha256 = digest;
        return index;
    }

    @Override
    public String toString() {
        return "CrlIndex[issuer=" + issuer + ", thisUpdate=" + thisUpdate + ", entries=" + size() + "]";
    }
}
