package certgate.adapters.store;

import certgate.engine.Engine;
import certgate.engine.Snapshot;
import certgate.engine.SnapshotFormatException;
import certgate.eventstore.Blob;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.codec.BlobTable;
import certgate.eventstore.codec.CodecException;
import certgate.eventstore.codec.EventCodec;
import certgate.eventstore.codec.EventDecoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Replay}'s state as bytes: its counts, its last event, the local certificates, the requests still
 * waiting for a decision (each with the engine state it was made in, so {@code explain} and a later decision
 * pair them exactly as a full replay would), and the engine states themselves ({@link Snapshot}, which writes a
 * CRL shared by several states once). Events are written with the log's own codec.
 */
final class ReplaySnapshot {
    private static final int MAX_COUNT = 1 << 24;

    private ReplaySnapshot() {
    }

    static void write(Replay.State state, DataOutputStream out) throws IOException {
        out.writeLong(state.events());
        out.writeLong(state.requests());
        out.writeLong(state.decisions());
        Reason[] reasons = Reason.values();
        out.writeInt(reasons.length);
        for (Reason reason : reasons) {
            writeString(out, reason.name());
            out.writeLong(state.byReason()[reason.ordinal()]);
        }
        out.writeBoolean(state.latestAppendedAt().isPresent());
        Instant latest = state.latestAppendedAt().orElse(Instant.EPOCH);
        out.writeLong(latest.getEpochSecond());
        out.writeInt(latest.getNano());
        out.writeBoolean(state.last().isPresent());
        if (state.last().isPresent()) {
            writeEvent(out, state.last().get());
        }
        out.writeInt(state.locals().size());
        for (Replay.LocalCertificate local : state.locals()) {
            writeEvent(out, local.recorded());
        }
        List<Engine> engines = new ArrayList<>();
        Map<Engine, Integer> numbers = new IdentityHashMap<>();
        numbers.put(state.engine(), 0);
        engines.add(state.engine());
        for (List<Replay.Request> requests : List.of(state.pending(), state.superseded())) {
            out.writeInt(requests.size());
            for (Replay.Request request : requests) {
                writeEvent(out, request.recorded());
                Integer number = numbers.get(request.state());
                if (number == null) {
                    number = engines.size();
                    numbers.put(request.state(), number);
                    engines.add(request.state());
                }
                out.writeInt(number);
            }
        }
        out.flush();
        Snapshot.write(engines, out);
    }

    static Replay.State read(DataInputStream in) throws IOException, SnapshotFormatException {
        long events = in.readLong();
        long requests = in.readLong();
        long decisions = in.readLong();
        if (events < 0 || requests < 0 || decisions < 0) {
            throw new SnapshotFormatException("negative counts " + events + "/" + requests + "/" + decisions);
        }
        long[] byReason = new long[Reason.values().length];
        int reasonCount = count(in, "reasons");
        for (int i = 0; i < reasonCount; i++) {
            String name = readString(in);
            long count = in.readLong();
            Reason reason;
            try {
                reason = Reason.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new SnapshotFormatException("reason " + name + " is unknown to this release", e);
            }
            byReason[reason.ordinal()] = count;
        }
        boolean hasLatest = in.readBoolean();
        long latestSeconds = in.readLong();
        int latestNanos = in.readInt();
        Optional<Instant> latest;
        try {
            latest = hasLatest ? Optional.of(Instant.ofEpochSecond(latestSeconds, latestNanos)) : Optional.empty();
        } catch (java.time.DateTimeException e) {
            throw new SnapshotFormatException("the latest append time does not read: " + e.getMessage(), e);
        }
        EventDecoder decoder = EventCodec.decoder();
        Optional<RecordedEvent> last = in.readBoolean() ? Optional.of(readEvent(in, decoder)) : Optional.empty();
        int localCount = count(in, "local certificates");
        List<Replay.LocalCertificate> locals = new ArrayList<>(localCount);
        for (int i = 0; i < localCount; i++) {
            RecordedEvent recorded = readEvent(in, decoder);
            if (!(recorded.event() instanceof LocalCertificateLoaded)) {
                throw new SnapshotFormatException("a local certificate that is a " + recorded.event().getClass()
                        .getSimpleName());
            }
            locals.add(new Replay.LocalCertificate(recorded));
        }
        List<List<RecordedEvent>> waiting = new ArrayList<>();
        List<List<Integer>> states = new ArrayList<>();
        for (int list = 0; list < 2; list++) {
            int size = count(in, "requests");
            List<RecordedEvent> recorded = new ArrayList<>(size);
            List<Integer> numbers = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                RecordedEvent request = readEvent(in, decoder);
                if (!(request.event() instanceof ValidationRequested)) {
                    throw new SnapshotFormatException("a waiting request that is a " + request.event().getClass()
                            .getSimpleName());
                }
                recorded.add(request);
                numbers.add(in.readInt());
            }
            waiting.add(recorded);
            states.add(numbers);
        }
        List<Engine> engines = Snapshot.read(in);
        if (engines.isEmpty()) {
            throw new SnapshotFormatException("the snapshot holds no engine state");
        }
        List<List<Replay.Request>> requestLists = new ArrayList<>();
        for (int list = 0; list < 2; list++) {
            List<Replay.Request> restored = new ArrayList<>();
            for (int i = 0; i < waiting.get(list).size(); i++) {
                int number = states.get(list).get(i);
                if (number < 0 || number >= engines.size()) {
                    throw new SnapshotFormatException("a request's state " + number + " of " + engines.size());
                }
                restored.add(new Replay.Request(waiting.get(list).get(i), engines.get(number)));
            }
            requestLists.add(restored);
        }
        return new Replay.State(engines.get(0), requestLists.get(0), requestLists.get(1), locals, byReason, events,
                requests, decisions, last, latest);
    }

    private static void writeEvent(DataOutputStream out, RecordedEvent recorded) throws IOException {
        EventCodec.Encoded encoded = EventCodec.encode(recorded.event());
        out.writeLong(recorded.sequence());
        out.writeLong(recorded.appendedAt().getEpochSecond());
        out.writeInt(recorded.appendedAt().getNano());
        out.writeShort(encoded.type().tag());
        out.writeShort(encoded.version());
        writeBytes(out, encoded.payload());
        out.writeInt(encoded.blobs().size());
        for (Blob blob : encoded.blobs()) {
            writeBytes(out, blob.bytes());
        }
    }

    private static RecordedEvent readEvent(DataInputStream in, EventDecoder decoder) throws IOException,
            SnapshotFormatException {
        long sequence = in.readLong();
        long seconds = in.readLong();
        int nanos = in.readInt();
        int tag = in.readUnsignedShort();
        int version = in.readUnsignedShort();
        byte[] payload = readBytes(in);
        int blobCount = count(in, "blobs");
        BlobTable blobs = new BlobTable();
        for (int i = 0; i < blobCount; i++) {
            blobs.put(Blob.of(readBytes(in)));
        }
        if (sequence < 0 || nanos < 0 || nanos > 999_999_999) {
            throw new SnapshotFormatException("an event at sequence " + sequence + " with nanoseconds " + nanos);
        }
        try {
            return new RecordedEvent(sequence, Instant.ofEpochSecond(seconds, nanos),
                    decoder.decode(sequence, tag, version, payload, 0, payload.length, blobs));
        } catch (CodecException | java.time.DateTimeException e) {
            throw new SnapshotFormatException("the event at sequence " + sequence + " does not decode: "
                    + e.getMessage(), e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException, SnapshotFormatException {
        int length = in.readInt();
        if (length < 0 || length > 64 << 20) {
            throw new SnapshotFormatException("a length of " + length);
        }
        byte[] bytes = new byte[Math.min(length, 1 << 20)];
        in.readFully(bytes);
        if (length > bytes.length) {
            int done = bytes.length;
            bytes = java.util.Arrays.copyOf(bytes, length);
            in.readFully(bytes, done, length - done);
        }
        return bytes;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException, SnapshotFormatException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream in, String what) throws IOException, SnapshotFormatException {
        int count = in.readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw new SnapshotFormatException("a count of " + count + " " + what);
        }
        return count;
    }
}
