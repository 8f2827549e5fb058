package certgate.adapters.export;

import certgate.dsl.dn.ContainerRule;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.OnDownloadFailure;
import certgate.dsl.policy.RemoteIdentity;
import certgate.dsl.policy.RevocationCheck;
import certgate.dsl.policy.RevocationMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate export junos}: the policy as Junos {@code set} commands. The policy language follows Junos, so
 * the mapping is one to one: each CA profile a {@code security pki ca-profile} (its ca-identity, its revocation
 * check with the CRL URL, refresh interval and {@code disable on-download-failure}), each gateway a
 * {@code security ike gateway ... dynamic} identity ({@code hostname}, {@code user-at-hostname}, {@code inet},
 * {@code distinguished-name container|wildcard}) and, for a certificate gateway, an IKE policy that trusts its
 * CA profile. The CRL URL is certgate's endpoint for the profile when {@code --crl-url} is given, else the
 * profile's URL, else the policy's {@code default-cdp}. Same policy, same bytes.
 */
public final class JunosExport {
    /** Junos's CRL refresh interval is whole hours, 1 to 8784. */
    static final long MAX_REFRESH_HOURS = 8784;

    private JunosExport() {
    }

    /** The {@code set} commands, one per line, and the notes on what could not be written as the policy says. */
    public record Result(String commands, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    public static Result export(CompiledPolicy policy, CertgateUrls urls) {
        StringBuilder out = new StringBuilder();
        List<String> notes = new ArrayList<>();
        for (CaProfile profile : policy.caProfiles()) {
            String prefix = "set security pki ca-profile " + profile.name() + " ";
            out.append(prefix).append("ca-identity ")
                    .append(quoted(profile.caIdentity().map(Object::toString).orElse(profile.name()))).append('\n');
            RevocationCheck check = profile.revocationCheck();
            if (check.mode() == RevocationMode.DISABLE) {
                out.append(prefix).append("revocation-check disable\n");
                continue;
            }
            // certgate's CRL endpoint when given, else every URL of the profile (Junos takes up to 3, as the policy
            // does), else the default CDP.
            List<String> crlUrls = urls.profileCrl(profile.name()).map(List::of).orElseGet(() -> !check.crlUrls()
                    .isEmpty() ? check.crlUrls().stream().map(URI::toString).toList()
                    : policy.pki().defaultCdp().map(URI::toString).stream().toList());
            if (!crlUrls.isEmpty()) {
                for (String url : crlUrls) {
                    out.append(prefix).append("revocation-check crl url ").append(quoted(url)).append('\n');
                }
            } else {
                out.append(prefix).append("revocation-check use-crl\n");
            }
            if (!check.refreshInterval().isZero()) {
                out.append(prefix).append("revocation-check crl refresh-interval ")
                        .append(refreshHours(profile, check.refreshInterval(), notes)).append('\n');
            }
            if (check.onDownloadFailure() == OnDownloadFailure.ACCEPT) {
                out.append(prefix).append("revocation-check crl disable on-download-failure\n");
            }
        }
        for (Gateway gateway : policy.gateways()) {
            String prefix = "set security ike gateway " + gateway.name() + " ";
            if (gateway.authentication() == Authentication.CERTIFICATE) {
                String ikePolicy = "certgate-" + gateway.name();
                out.append("set security ike policy ").append(ikePolicy).append(" certificate trusted-ca ca-profile ")
                        .append(gateway.caProfile().orElseThrow().name()).append('\n');
                out.append(prefix).append("ike-policy ").append(ikePolicy).append('\n');
            } else {
                notes.add("gateway " + gateway.name() + ": pre-shared-key; only its identity is written (set its"
                        + " IKE policy and key yourself)");
            }
            out.append(prefix).append("dynamic ").append(identity(gateway.remoteIdentity())).append('\n');
        }
        return new Result(out.toString(), notes);
    }

    private static String identity(RemoteIdentity identity) {
        if (identity instanceof RemoteIdentity.Ip ip) {
            return "inet" + (ip.address().isV4() ? "" : "6") + " " + ip.address();
        }
        if (identity instanceof RemoteIdentity.Fqdn fqdn) {
            return "hostname " + fqdn.name();
        }
        if (identity instanceof RemoteIdentity.Ufqdn ufqdn) {
            return "user-at-hostname " + quoted(ufqdn.mailbox().toString());
        }
        RemoteIdentity.Dn dn = (RemoteIdentity.Dn) identity;
        String kind = dn.rule() instanceof ContainerRule ? "container" : "wildcard";
        return "distinguished-name " + kind + " " + quoted(dn.rule().pattern().toString());
    }

    /** Whole hours, rounded down (a shorter interval refreshes more often: the stricter side), 1 to 8784. */
    private static long refreshHours(CaProfile profile, Duration interval, List<String> notes) {
        long hours = Math.min(MAX_REFRESH_HOURS, Math.max(1, interval.toHours()));
        if (!interval.equals(Duration.ofHours(hours))) {
            notes.add("CA profile " + profile.name() + ": refresh-interval " + interval + " is written as " + hours
                    + " hour(s): Junos counts whole hours from 1 to " + MAX_REFRESH_HOURS);
        }
        return hours;
    }

    /** A Junos CLI word: bare when it holds no space or special character, else in double quotes, escaped. */
    static String quoted(String value) {
        boolean bare = !value.isEmpty() && value.chars().allMatch(c -> c > 0x20 && c < 0x7f
                && "\"\\;{}#'|&<>()[]".indexOf(c) < 0);
        if (bare) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
