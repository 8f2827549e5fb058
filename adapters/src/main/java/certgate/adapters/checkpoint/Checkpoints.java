package certgate.adapters.checkpoint;

import certgate.adapters.text.StrictJson;
import certgate.eventstore.CheckpointSigned;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Signed checkpoints of the log: what is signed, how a checkpoint is written down outside the store, and how it
 * is read back.
 *
 * <h2>What is signed (version 1)</h2>
 * The Ed25519 signature (RFC 8032, pure Ed25519) is over exactly 63 bytes:
 * <pre>
 * "certgate checkpoint v1"   22 bytes, US-ASCII: the context, so the signature means nothing else
 * 0x00                       1 byte: ends the context
 * sequence                   8 bytes, big-endian: the checkpoint covers every record before this sequence
 * head                       32 bytes: the chain value of the last record before that sequence
 * </pre>
 * Every field after the context has a fixed length, so no two checkpoints share an encoding. A store has no
 * identity of its own to sign (no store id), so none is included: a checkpoint of another store is recognised by
 * its head, which that store's chain does not have at that sequence.
 *
 * <h2>The line</h2>
 * {@code certgate-checkpoint v1 SEQUENCE HEAD FINGERPRINT SIGNATURE}: six fields separated by one space, the
 * sequence in decimal, the head and the signer's key fingerprint (SHA-256 of its SubjectPublicKeyInfo) in
 * lower-case hex, the signature in base64 (RFC 4648, padded). The JSON form holds the same fields.
 */
public final class Checkpoints {
    /** The first word of a checkpoint line. */
    public static final String LINE_TAG = "certgate-checkpoint";
    private static final String VERSION = "v1";
    private static final byte[] CONTEXT = "certgate checkpoint v1".getBytes(StandardCharsets.US_ASCII);
    private static final int ED25519_SIGNATURE_BYTES = 64;
    private static final Pattern SEQUENCE = Pattern.compile("0|[1-9][0-9]{0,18}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Set<String> JSON_FIELDS = Set.of("checkpoint", "version", "sequence", "head",
            "keyFingerprint", "signature");

    private Checkpoints() {
    }

    /** The bytes a checkpoint's signature is over (see the class comment). */
    public static byte[] signedBytes(long sequence, String head) {
        return ByteBuffer.allocate(CONTEXT.length + 1 + 8 + 32).put(CONTEXT).put((byte) 0).putLong(sequence)
                .put(HexFormat.of().parseHex(head)).array();
    }

    /** Signs that the records before {@code sequence} have the chain value {@code head}. */
    public static CheckpointSigned sign(CheckpointKeys.SigningKey key, long sequence, String head) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key.key());
            signer.update(signedBytes(sequence, head));
            return new CheckpointSigned(sequence, head, key.fingerprint(),
                    Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    /** True when the checkpoint's signature over its sequence and head is valid for {@code key}. */
    public static boolean signatureValid(CheckpointSigned checkpoint, CheckpointKeys.VerifyingKey key) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key.key());
            verifier.update(signedBytes(checkpoint.sequence(), checkpoint.head()));
            return verifier.verify(checkpoint.signatureBytes());
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 verification failed: " + e.getMessage(), e);
        }
    }

    /** The checkpoint as one line, to be kept outside the store. */
    public static String line(CheckpointSigned checkpoint) {
        return String.join(" ", LINE_TAG, VERSION, Long.toString(checkpoint.sequence()), checkpoint.head(),
                checkpoint.keyFingerprint(), checkpoint.signature());
    }

    /** The checkpoint as one JSON object (on one line), with the same fields as the line. */
    public static String json(CheckpointSigned checkpoint) {
        ObjectNode node = StrictJson.MAPPER.createObjectNode();
        node.put("checkpoint", LINE_TAG);
        node.put("version", 1);
        node.put("sequence", checkpoint.sequence());
        node.put("head", checkpoint.head());
        node.put("keyFingerprint", checkpoint.keyFingerprint());
        node.put("signature", checkpoint.signature());
        try {
            return StrictJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always writes", e);
        }
    }

    /** Reads a checkpoint as {@link #line} or {@link #json} wrote it; surrounding white space is ignored. */
    public static CheckpointSigned parse(String text) throws CheckpointFormatException {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            return parseJson(trimmed);
        }
        if (!trimmed.startsWith(LINE_TAG + " ")) {
            throw new CheckpointFormatException("not a checkpoint: it starts with '" + LINE_TAG + " v1'"
                    + " (or is the JSON object 'certgate checkpoint --format json' prints)");
        }
        List<String> fields = List.of(trimmed.split(" ", -1));
        if (fields.size() != 6) {
            throw new CheckpointFormatException("a checkpoint line has 6 fields separated by one space ('" + LINE_TAG
                    + " v1 SEQUENCE HEAD FINGERPRINT SIGNATURE'), this one has " + fields.size());
        }
        if (!fields.get(1).equals(VERSION)) {
            throw new CheckpointFormatException("checkpoint version '" + printable(fields.get(1)) + "' is not one"
                    + " this release reads (v1)");
        }
        return checkpoint(fields.get(2), fields.get(3), fields.get(4), fields.get(5));
    }

    private static CheckpointSigned parseJson(String text) throws CheckpointFormatException {
        JsonNode node;
        try {
            node = StrictJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException("the checkpoint is not well-formed JSON");
        }
        if (node == null || !node.isObject()) {
            throw new CheckpointFormatException("a JSON checkpoint is one object");
        }
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        if (!names.equals(JSON_FIELDS)) {
            throw new CheckpointFormatException("a JSON checkpoint has exactly the fields " + new TreeSet<>(JSON_FIELDS)
                    + ", this one has " + printable(names.toString()));
        }
        if (!LINE_TAG.equals(node.get("checkpoint").textValue()) || !node.get("version").isInt()
                || node.get("version").intValue() != 1) {
            throw new CheckpointFormatException("a JSON checkpoint says \"checkpoint\": \"" + LINE_TAG
                    + "\", \"version\": 1 (the version this release reads)");
        }
        JsonNode sequence = node.get("sequence");
        if (!sequence.isIntegralNumber() || !sequence.canConvertToLong()) {
            throw new CheckpointFormatException("the checkpoint's sequence is not a whole number");
        }
        return checkpoint(sequence.asText(), text(node, "head"), text(node, "keyFingerprint"),
                text(node, "signature"));
    }

    private static String text(JsonNode node, String field) throws CheckpointFormatException {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new CheckpointFormatException("the checkpoint's " + field + " is not a string");
        }
        return value.textValue();
    }

    private static CheckpointSigned checkpoint(String sequence, String head, String fingerprint, String signature)
            throws CheckpointFormatException {
        if (!SEQUENCE.matcher(sequence).matches()) {
            throw new CheckpointFormatException("checkpoint sequence '" + printable(sequence) + "' is not a"
                    + " sequence number (a whole number from 0, in decimal)");
        }
        long number;
        try {
            number = Long.parseLong(sequence);
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException("checkpoint sequence '" + printable(sequence) + "' is too large");
        }
        if (!SHA256_HEX.matcher(head).matches()) {
            throw new CheckpointFormatException("checkpoint head '" + printable(head) + "' is not a chain value"
                    + " (64 lower-case hex digits)");
        }
        if (!SHA256_HEX.matcher(fingerprint).matches()) {
            throw new CheckpointFormatException("checkpoint key fingerprint '" + printable(fingerprint) + "' is not"
                    + " a SHA-256 (64 lower-case hex digits)");
        }
        byte[] signatureBytes;
        try {
            signatureBytes = BASE64.matcher(signature).matches() ? Base64.getDecoder().decode(signature) : null;
        } catch (IllegalArgumentException e) {
            signatureBytes = null;
        }
        if (signatureBytes == null || signatureBytes.length != ED25519_SIGNATURE_BYTES
                || !Base64.getEncoder().encodeToString(signatureBytes).equals(signature)) {
            throw new CheckpointFormatException("checkpoint signature '" + printable(signature) + "' is not an"
                    + " Ed25519 signature (64 bytes in padded base64, 88 characters)");
        }
        return new CheckpointSigned(number, head, fingerprint, signature);
    }

    /** A value from the input, cut and with control characters escaped, for a one-line message. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), 70);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return value.length() > limit ? out + "..." : out.toString();
    }
}
