package certgate.adapters.pem;

import certgate.adapters.pem.Der.DerException;
import certgate.adapters.pem.Der.Tlv;
import certgate.adapters.pem.PkiFileException.Problem;
import certgate.eventstore.Blob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.TBSCertificate;

/**
 * Reads certificate and CRL files: PEM (one or several blocks) or DER (one object), told apart by the first
 * byte, with a size bound per kind. Each object comes back as the DER bytes the file holds, unchanged, or the
 * read fails with a {@link PkiFileException} that names the file and what is wrong.
 *
 * <pre>{@code
 * List<Blob> anchors = PkiFiles.certificates(Path.of("root-ca.pem"));
 * }</pre>
 */
public final class PkiFiles {

    /** What a file is expected to hold, the PEM labels that hold it, and how large the file may be. */
    public enum Kind {
        CERTIFICATE("CERTIFICATE", Set.of("CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE"), 1 << 20),
        CRL("X509 CRL", Set.of("X509 CRL"), 64 << 20),
        /** PKCS#8, plain or encrypted (RFC 5958); {@link PkiFiles#check} checks only the DER framing. */
        PRIVATE_KEY("PRIVATE KEY", Set.of("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), 64 << 10),
        /** PKCS#10 (RFC 2986); {@link PkiFiles#check} checks only the DER framing. */
        CERTIFICATE_REQUEST("CERTIFICATE REQUEST", Set.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"),
                1 << 20),
        /** A SubjectPublicKeyInfo (RFC 5280, RFC 7468 label PUBLIC KEY); {@link KeyFiles} parses it. */
        PUBLIC_KEY("PUBLIC KEY", Set.of("PUBLIC KEY"), 64 << 10);

        private final String label;
        private final Set<String> labels;
        private final int maxFileBytes;

        Kind(String label, Set<String> labels, int maxFileBytes) {
            this.label = label;
            this.labels = labels;
            this.maxFileBytes = maxFileBytes;
        }

        /** The largest file of this kind certgate reads. */
        public int maxFileBytes() {
            return maxFileBytes;
        }

        String noun() {
            return switch (this) {
                case CERTIFICATE -> "certificate";
                case CRL -> "CRL";
                case PRIVATE_KEY -> "private key";
                case CERTIFICATE_REQUEST -> "certificate request";
                case PUBLIC_KEY -> "public key";
            };
        }

        Problem notThisKind() {
            return switch (this) {
                case CERTIFICATE -> Problem.NOT_A_CERTIFICATE;
                case CRL -> Problem.NOT_A_CRL;
                case PRIVATE_KEY -> Problem.NOT_A_PRIVATE_KEY;
                case CERTIFICATE_REQUEST -> Problem.NOT_A_CERTIFICATE_REQUEST;
                case PUBLIC_KEY -> Problem.NOT_A_PUBLIC_KEY;
            };
        }
    }

    private PkiFiles() {
    }

    /** The certificates in a file, each checked to be a well-formed X.509 certificate. */
    public static List<Blob> certificates(Path file) throws PkiFileException {
        return parse(file.toString(), read(file, Kind.CERTIFICATE), Kind.CERTIFICATE, true);
    }

    /** The CRLs in a file, each checked to be a well-formed X.509 CertificateList (signature not checked). */
    public static List<Blob> crls(Path file) throws PkiFileException {
        return parse(file.toString(), read(file, Kind.CRL), Kind.CRL, true);
    }

    /** The file's bytes, refused when it cannot be read or is larger than the kind allows. */
    public static byte[] read(Path file, Kind kind) throws PkiFileException {
        String name = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            // Read one byte past the limit rather than trusting the size: the file may be a pipe or growing.
            byte[] content = in.readNBytes(kind.maxFileBytes + 1);
            if (content.length > kind.maxFileBytes) {
                throw new PkiFileException(name, Problem.TOO_BIG, "larger than the " + mebibytes(kind.maxFileBytes)
                        + " allowed for a " + kind.noun() + " file");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new PkiFileException(name, Problem.UNREADABLE, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new PkiFileException(name, Problem.UNREADABLE, "cannot read: permission denied");
        } catch (IOException e) {
            String reason = Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
            throw new PkiFileException(name, Problem.UNREADABLE, "cannot read: " + reason);
        }
    }

    /** Decodes and checks every object in {@code content}, as {@link #certificates} and {@link #crls} do. */
    public static List<Blob> parse(String name, byte[] content, Kind kind) throws PkiFileException {
        return parse(name, content, kind, false);
    }

    /**
     * {@code ownsContent}: the array was read here and nobody else holds it, so a DER file becomes its blob without
     * a copy (a 40 MB CRL costs 40 MB, not 80, on its way to the log and the engine).
     */
    private static List<Blob> parse(String name, byte[] content, Kind kind, boolean ownsContent)
            throws PkiFileException {
        List<byte[]> objects = objects(name, content, kind);
        for (int i = 0; i < objects.size(); i++) {
            String which = objects.size() == 1 ? "" : "object " + (i + 1) + " of " + objects.size() + ": ";
            check(name, which, objects.get(i), kind);
        }
        return blobs(content, objects, ownsContent);
    }

    /**
     * Takes off the PEM armor, or takes DER as it is, without checking what the DER holds. For a peer's own
     * certificate, which the engine must see even when it is malformed (it rejects it with a reason).
     */
    public static List<Blob> decode(String name, byte[] content, Kind kind) throws PkiFileException {
        return blobs(content, objects(name, content, kind), false);
    }

    /**
     * As {@link #decode}, for a caller that made {@code content} (a fetch, say) and hands it over: a DER body becomes
     * its blob without a copy ({@link Blob#takingOwnershipOf}); the caller must not touch the array afterwards.
     */
    public static List<Blob> decodeTakingOwnership(String name, byte[] content, Kind kind) throws PkiFileException {
        return blobs(content, objects(name, content, kind), true);
    }

    /** A PEM block's DER is a fresh array, so it is always handed over; {@code content} itself only if owned. */
    private static List<Blob> blobs(byte[] content, List<byte[]> objects, boolean ownsContent) {
        List<Blob> blobs = new ArrayList<>(objects.size());
        for (byte[] object : objects) {
            blobs.add(object == content && !ownsContent ? Blob.of(object) : Blob.takingOwnershipOf(object));
        }
        return List.copyOf(blobs);
    }

    /** The DER objects of {@code content}: {@code content} itself when it is DER, else each PEM block's. */
    private static List<byte[]> objects(String name, byte[] content, Kind kind) throws PkiFileException {
        if (isBlank(content)) {
            throw new PkiFileException(name, Problem.EMPTY, "empty file, expected a " + kind.noun() + " in PEM or DER");
        }
        if ((content[0] & 0xff) == Der.SEQUENCE) {
            return List.of(content);
        }
        if (!Pem.looksLikePem(content)) {
            throw new PkiFileException(name, Problem.NOT_PEM_OR_DER, String.format(
                    "neither DER (first byte 0x%02x is not a SEQUENCE) nor PEM (no '-----BEGIN' line)",
                    content[0] & 0xff));
        }
        List<byte[]> objects = new ArrayList<>();
        for (Pem.Block block : Pem.decode(name, content)) {
            if (!kind.labels.contains(block.label())) {
                throw new PkiFileException(name, Problem.WRONG_LABEL, "the PEM block on line " + block.line()
                        + " is '" + Text.oneLine(block.label()) + "', expected '" + kind.label + "'"
                        + hint(block.label(), kind));
            }
            objects.add(block.der());
        }
        if (objects.isEmpty()) {
            throw new PkiFileException(name, Problem.NOT_PEM_OR_DER, "no PEM block found");
        }
        return List.copyOf(objects);
    }

    /** Checks that {@code der} is one well-formed object of the kind, with nothing after it. */
    public static void check(String name, byte[] der, Kind kind) throws PkiFileException {
        check(name, "", der, kind);
    }

    private static void check(String name, String which, byte[] der, Kind kind) throws PkiFileException {
        try {
            Tlv outer = Der.single(der, 0, der.length, kind.noun());
            switch (kind) {
                case CERTIFICATE -> checkCertificate(der, outer);
                case CRL -> checkCrl(der, outer);
                // one well-framed object: the key and request readers parse what it holds
                case PRIVATE_KEY, CERTIFICATE_REQUEST, PUBLIC_KEY -> { }
            }
        } catch (DerException e) {
            throw new PkiFileException(name, kind.notThisKind(), which + "not a " + kind.noun() + ": "
                    + e.getMessage());
        }
    }

    private static void checkCertificate(byte[] der, Tlv outer) throws DerException {
        checkSignedSkeleton(der, outer, "certificate");
        try {
            // The walk above bounds nesting and lengths, so BouncyCastle only sees well-framed input.
            Certificate certificate = Certificate.getInstance(ASN1Primitive.fromByteArray(der));
            TBSCertificate tbs = certificate.getTBSCertificate();
            tbs.getStartDate().getDate();
            tbs.getEndDate().getDate();
            tbs.getSubjectPublicKeyInfo().getAlgorithm();
        } catch (IOException | RuntimeException e) {
            // A third-party parser at the edge: whatever it throws means "not a certificate". Its own words name
            // its classes, not the input's problem, so they are not passed on.
            throw new DerException("not an X.509 certificate: a field is not of the ASN.1 type RFC 5280 gives it",
                    0);
        }
    }

    /**
     * CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }, RFC 5280 5.1, checked
     * down to algorithm identifiers, names, times and extensions. Walked here rather than parsed into objects:
     * a CRL may hold a million entries, and the engine indexes it once more anyway.
     */
    private static void checkCrl(byte[] der, Tlv outer) throws DerException {
        List<Tlv> tbs = checkSignedSkeleton(der, outer, "CRL");
        int i = 0;
        if (i < tbs.size() && tbs.get(i).tag() == Der.INTEGER) {
            Tlv version = tbs.get(i++);
            if (version.contentLength() != 1 || der[version.contentStart()] != 1) {
                throw new DerException("tbsCertList.version is not v2 (1)", version.start());
            }
        }
        i = expect(tbs, i, Der.SEQUENCE, "tbsCertList.signature", outer);
        Structures.algorithmIdentifier(der, tbs.get(i - 1), "tbsCertList.signature");
        i = expect(tbs, i, Der.SEQUENCE, "tbsCertList.issuer", outer);
        Structures.name(der, tbs.get(i - 1), "tbsCertList.issuer");
        if (i >= tbs.size()) {
            throw new DerException("tbsCertList.thisUpdate is missing", outer.end());
        }
        Der.checkTime(der, tbs.get(i++), "tbsCertList.thisUpdate");
        if (i < tbs.size() && isTime(tbs.get(i))) {
            Der.checkTime(der, tbs.get(i++), "tbsCertList.nextUpdate");
        }
        if (i < tbs.size() && tbs.get(i).tag() == Der.SEQUENCE) {
            checkRevokedEntries(der, tbs.get(i++));
        }
        if (i < tbs.size() && tbs.get(i).tag() == Der.CONTEXT_0_CONSTRUCTED) {
            Tlv explicit = tbs.get(i++);
            Tlv extensions = Der.header(der, explicit.contentStart(), explicit.end());
            if (extensions.end() != explicit.end()) {
                throw new DerException("crlExtensions holds more than one element", extensions.end());
            }
            Structures.extensions(der, extensions, "crlExtensions");
        }
        if (i < tbs.size()) {
            throw new DerException("unexpected element in tbsCertList (tag 0x"
                    + Integer.toHexString(tbs.get(i).tag()) + ")", tbs.get(i).start());
        }
        List<Tlv> parts = Der.children(der, outer);
        Structures.algorithmIdentifier(der, parts.get(1), "signatureAlgorithm");
        Structures.bitString(der, parts.get(2), "signatureValue");
    }

    private static void checkRevokedEntries(byte[] der, Tlv revoked) throws DerException {
        int at = revoked.contentStart();
        while (at < revoked.end()) {
            Tlv entry = Der.header(der, at, revoked.end());
            if (entry.tag() != Der.SEQUENCE) {
                throw new DerException("a revokedCertificates entry is not a SEQUENCE", entry.start());
            }
            Tlv serial = Der.header(der, entry.contentStart(), entry.end());
            if (serial.tag() != Der.INTEGER || serial.contentLength() == 0) {
                throw new DerException("a revoked entry's userCertificate is not an INTEGER", serial.start());
            }
            Tlv date = Der.header(der, serial.end(), entry.end());
            Der.checkTime(der, date, "a revoked entry's revocationDate");
            if (date.end() < entry.end()) {
                Tlv extensions = Der.header(der, date.end(), entry.end());
                if (extensions.end() != entry.end()) {
                    throw new DerException("a revoked entry has unexpected content after its extensions",
                            extensions.end());
                }
                Structures.extensions(der, extensions, "crlEntryExtensions");
            }
            at = entry.end();
        }
    }

    /** SEQUENCE { SEQUENCE tbs, SEQUENCE algorithm, BIT STRING signature }: returns the elements of tbs. */
    private static List<Tlv> checkSignedSkeleton(byte[] der, Tlv outer, String what) throws DerException {
        if (outer.tag() != Der.SEQUENCE) {
            throw new DerException("a " + what + " is a SEQUENCE, found tag 0x" + Integer.toHexString(outer.tag()),
                    0);
        }
        List<Tlv> parts = Der.children(der, outer);
        if (parts.size() != 3 || parts.get(0).tag() != Der.SEQUENCE || parts.get(1).tag() != Der.SEQUENCE
                || parts.get(2).tag() != Der.BIT_STRING) {
            throw new DerException("a " + what + " is SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }", outer.start());
        }
        return Der.children(der, parts.get(0));
    }

    private static int expect(List<Tlv> elements, int index, int tag, String field, Tlv outer)
            throws DerException {
        if (index >= elements.size()) {
            throw new DerException(field + " is missing", outer.end());
        }
        if (elements.get(index).tag() != tag) {
            throw new DerException(field + " has tag 0x" + Integer.toHexString(elements.get(index).tag())
                    + ", expected 0x" + Integer.toHexString(tag), elements.get(index).start());
        }
        return index + 1;
    }

    private static boolean isTime(Tlv tlv) {
        return tlv.tag() == Der.UTC_TIME || tlv.tag() == Der.GENERALIZED_TIME;
    }

    private static boolean isBlank(byte[] content) {
        for (byte b : content) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String hint(String label, Kind kind) {
        if (kind == Kind.PRIVATE_KEY && label.equals("PUBLIC KEY")) {
            return " (a public key: the private key is needed here)";
        }
        if (kind == Kind.PUBLIC_KEY && label.endsWith("PRIVATE KEY")) {
            return " (a private key: the public key is needed here; 'openssl pkey -in KEY -pubout -out KEY.pub'"
                    + " writes it)";
        }
        if (kind == Kind.PRIVATE_KEY && label.endsWith("PRIVATE KEY")) {
            return " (a traditional OpenSSL key: convert it to PKCS#8 with 'openssl pkcs8 -topk8 -in FILE -out"
                    + " NEW.pem')";
        }
        if (label.contains("PRIVATE KEY")) {
            return " (a private key does not belong here)";
        }
        if (label.equals("TRUSTED CERTIFICATE")) {
            return " (OpenSSL's trusted-certificate form: convert it with 'openssl x509 -in FILE -out NEW.pem')";
        }
        return "";
    }

    private static String mebibytes(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
