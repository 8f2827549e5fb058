package certgate.adapters.cli;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.LocalCertificates;
import certgate.adapters.store.Replay;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gateways' own certificates a store holds, as {@code replay} and {@code status} list them: gateway,
 * subject, issuer, serial, notAfter and the days left at a given time.
 */
final class LocalCertificateList {

    /** One loaded certificate; {@code described} is empty when it cannot be read (a store written by hand). */
    record Entry(long sequence, Optional<String> gateway, String sha256,
                 Optional<LocalCertificates.Described> described) {
        boolean expiresBy(Instant limit) {
            return described.map(d -> !d.notAfter().isAfter(limit)).orElse(false);
        }
    }

    private LocalCertificateList() {
    }

    static List<Entry> of(Replay replay) {
        List<Entry> entries = new ArrayList<>();
        for (Replay.LocalCertificate local : replay.localCertificates()) {
            Optional<LocalCertificates.Described> described;
            try {
                described = Optional.of(LocalCertificates.describe(local.event().certificate()));
            } catch (EnrollException e) {
                described = Optional.empty();
            }
            entries.add(new Entry(local.recorded().sequence(), local.event().gateway(),
                    local.event().certificate().sha256Hex(), described));
        }
        return entries;
    }

    /** Two lines per certificate, indented, as the rest of {@code replay}'s text. */
    static void text(List<Entry> entries, Instant now, StringBuilder out) {
        for (Entry entry : entries) {
            if (entry.described().isEmpty()) {
                out.append("  (unreadable certificate sha256 ").append(entry.sha256(), 0, 16)
                        .append(" at sequence ").append(entry.sequence()).append(")\n");
                continue;
            }
            LocalCertificates.Described d = entry.described().get();
            long days = d.daysToExpiry(now);
            out.append("  ").append(Terminal.safe(d.subject())).append('\n');
            out.append("      gateway ").append(Terminal.safe(entry.gateway().orElse("(none)")))
                    .append("  issuer ").append(Terminal.safe(d.issuer()))
                    .append("  serial ").append(d.serialHex())
                    .append("  notAfter ").append(d.notAfter())
                    .append(days < 0 || now.isAfter(d.notAfter()) ? "  EXPIRED" : "  " + days + " day(s) to expiry")
                    .append('\n');
        }
    }

    static void json(List<Entry> entries, Instant now, ArrayNode array) {
        for (Entry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("sequence", entry.sequence());
            entry.gateway().ifPresentOrElse(g -> node.put("gateway", g), () -> node.putNull("gateway"));
            node.put("sha256", entry.sha256());
            if (entry.described().isEmpty()) {
                node.put("readable", false);
                continue;
            }
            LocalCertificates.Described d = entry.described().get();
            node.put("subject", d.subject()).put("issuer", d.issuer()).put("serial", d.serialHex())
                    .put("notBefore", d.notBefore().toString()).put("notAfter", d.notAfter().toString())
                    .put("daysToExpiry", d.daysToExpiry(now)).put("expired", now.isAfter(d.notAfter()));
        }
    }
}
