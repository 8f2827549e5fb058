package certgate.adapters.pem;

import certgate.der.DerCursor;
import certgate.der.DerFailure;
import certgate.der.DerTag;
import java.util.ArrayList;
import java.util.List;

/**
 * The PEM reader's view of DER: elements as {@link Tlv} values over the shared strict cursor
 * ({@link DerCursor}, {@link DerCursor.Walk#STRICT}), plus the X.509 profile rules certgate checks before an event
 * is recorded (times in their RFC 5280 forms, string lengths, only the universal types certificates use). The
 * meaning of the fields is the engine's business.
 */
final class Der {
    static final int SEQUENCE = DerTag.SEQUENCE;
    static final int SET = DerTag.SET;
    static final int BOOLEAN = DerTag.BOOLEAN;
    static final int INTEGER = DerTag.INTEGER;
    static final int BIT_STRING = DerTag.BIT_STRING;
    static final int OCTET_STRING = DerTag.OCTET_STRING;
    static final int OBJECT_IDENTIFIER = DerTag.OID;
    static final int UTC_TIME = DerTag.UTC_TIME;
    static final int GENERALIZED_TIME = DerTag.GENERALIZED_TIME;
    static final int CONTEXT_0_CONSTRUCTED = DerTag.CONTEXT_0;

    private static final DerFailure<DerException> FAILURE = DerException::new;

    private Der() {
    }

    /** One element: its tag, where its header starts, where its content starts and ends (exclusive). */
    record Tlv(int tag, int start, int contentStart, int end) {
        int contentLength() {
            return end - contentStart;
        }
    }

    /** A DER rule broken at a byte offset. */
    static final class DerException extends Exception {
        private static final long serialVersionUID = 1L;

        private final int offset;

        DerException(String message, int offset) {
            super(message + " at byte offset " + offset);
            this.offset = offset;
        }

        int offset() {
            return offset;
        }
    }

    /**
     * Reads the element at {@code offset}, checks its whole subtree, and requires that it ends exactly at
     * {@code limit}: a single object with nothing after it.
     */
    static Tlv single(byte[] in, int offset, int limit, String what) throws DerException {
        Tlv tlv = header(in, offset, limit);
        new DerCursor<>(in, offset, FAILURE).checkStructure(offset, tlv.end(), 0, DerCursor.Walk.STRICT, "",
                Der::checkProfile);
        if (tlv.end() != limit) {
            throw new DerException((limit - tlv.end()) + " bytes of trailing data after the " + what, tlv.end());
        }
        return tlv;
    }

    /** The children of a constructed element, in order (their subtrees already checked by {@link #single}). */
    static List<Tlv> children(byte[] in, Tlv parent) throws DerException {
        List<Tlv> children = new ArrayList<>();
        int at = parent.contentStart();
        while (at < parent.end()) {
            Tlv child = header(in, at, parent.end());
            children.add(child);
            at = child.end();
        }
        return children;
    }

    static Tlv header(byte[] in, int offset, int limit) throws DerException {
        DerCursor<DerException> cursor = new DerCursor<>(in, offset, FAILURE);
        cursor.header(limit, "");
        return new Tlv(cursor.tag(), cursor.start(), cursor.content(), cursor.end());
    }

    /** Checks that a UTCTime is YYMMDDHHMMSSZ and a GeneralizedTime YYYYMMDDHHMMSSZ, as RFC 5280 requires. */
    static void checkTime(byte[] in, Tlv time, String field) throws DerException {
        new DerCursor<>(in, time.start(), FAILURE).time(time.end(), field);
    }

    /** The shared cursor, having read the header of {@code tlv}: for its content rules (checkOid, ...). */
    static DerCursor<DerException> on(byte[] in, Tlv tlv) throws DerException {
        DerCursor<DerException> cursor = new DerCursor<>(in, tlv.start(), FAILURE);
        cursor.header(tlv.end(), "");
        return cursor;
    }

    /**
     * The profile rules on top of DER's, for the universal primitive types: times in their RFC 5280 forms, whole
     * BMPString and UniversalString characters, and no universal type that certificates and CRLs do not use, so
     * that a damaged byte cannot turn, say, a name's string into a malformed time only a later parser trips over.
     */
    private static void checkProfile(DerCursor<DerException> element, String what) throws DerException {
        int length = element.end() - element.content();
        switch (element.tag()) {
            case DerTag.UTC_TIME, DerTag.GENERALIZED_TIME -> {
                element.seek(element.start());
                element.time(element.end(), "a time");
            }
            case DerTag.BMP_STRING -> {
                if (length % 2 != 0) {
                    throw new DerException("BMPString of odd length", element.start());
                }
            }
            case DerTag.UNIVERSAL_STRING -> {
                if (length % 4 != 0) {
                    throw new DerException("UniversalString whose length is not a multiple of 4", element.start());
                }
            }
            case DerTag.BOOLEAN, DerTag.INTEGER, DerTag.BIT_STRING, DerTag.OCTET_STRING, DerTag.NULL, DerTag.OID,
                    DerTag.ENUMERATED, DerTag.UTF8_STRING, DerTag.NUMERIC_STRING, DerTag.PRINTABLE_STRING,
                    DerTag.T61_STRING, DerTag.VIDEOTEX_STRING, DerTag.IA5_STRING, DerTag.GRAPHIC_STRING,
                    DerTag.VISIBLE_STRING, DerTag.GENERAL_STRING -> {
                // DER's content rules, checked by the walk, are all certgate depends on
            }
            default -> throw new DerException("universal type " + element.tag()
                    + " is not used in certificates or CRLs", element.start());
        }
    }
}
