package certgate.eventstore.codec;

/**
 * A payload that cannot be decoded into an event: an unknown type or version, a field that runs past the end of
 * the payload, a value out of range. The message names the sequence number of the event and the field.
 */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long sequence;

    public CodecException(long sequence, String message) {
        super(message);
        this.sequence = sequence;
    }

    public CodecException(long sequence, String message, Throwable cause) {
        super(message, cause);
        this.sequence = sequence;
    }

    /** The sequence number of the event whose payload failed to decode. */
    public long sequence() {
        return sequence;
    }
}
