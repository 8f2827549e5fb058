package certgate.eventstore.log;

import java.util.Objects;

/**
 * The first thing wrong with a log: where ({@code segment} file name, byte {@code offset} of the record or header,
 * and the {@code sequence} the record there should carry) and what.
 */
public record LogProblem(Kind kind, String segment, long offset, long sequence, String detail) {
    public enum Kind {
        /** A segment header is damaged or does not fit (magic, version, checksum, base, previous chain). */
        SEGMENT_HEADER,
        /** A segment does not start where the previous one ended. */
        SEGMENT_GAP,
        /** A record's length prefix is damaged or out of range. */
        FRAME,
        /** A record's CRC-32C does not match its bytes. */
        CHECKSUM,
        /** A record ends past the end of a segment that is not the last, or a record is cut in the middle. */
        INCOMPLETE,
        /** A record carries the wrong sequence number: records were removed, inserted or reordered. */
        SEQUENCE,
        /** A record's chain value is not SHA-256(previous chain value || record): the record or one before changed. */
        CHAIN,
        /** A record's payload does not decode (unknown type or version, malformed field, unknown blob). */
        PAYLOAD,
        /** The head given to verify is the chain value of no record: records up to it were dropped or altered. */
        HEAD_NOT_FOUND,
        /**
         * A record the writer checkpoint records as acknowledged is damaged or missing (the log ends before it):
         * not a torn tail; {@code certgate log repair} moves the damaged part aside.
         */
        LOST_ACKNOWLEDGED
    }

    public LogProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(detail, "detail");
    }

    /** One line: {@code segment 00000000000000000000.log offset 1234 (sequence 17): CHECKSUM: ...}. */
    public String describe() {
        return "segment " + segment + " offset " + offset + " (sequence " + sequence + "): " + kind + ": " + detail;
    }
}
