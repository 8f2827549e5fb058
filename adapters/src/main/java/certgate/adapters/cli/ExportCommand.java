package certgate.adapters.cli;

import certgate.adapters.export.CertgateUrls;
import certgate.adapters.export.JunosExport;
import certgate.adapters.export.StoreCredentials;
import certgate.adapters.export.StrongSwanExport;
import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Replay;
import certgate.dsl.Suggestions;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.TrustedCertificate;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.log.CorruptLogException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code certgate export strongswan|junos}: a gateway's configuration written from the policy certgate decides
 * with (and, for strongSwan, the CA certificates of the store), so that the gateway trusts no more than certgate
 * does and asks certgate for revocation. What the gateway cannot express exactly is said on standard error.
 */
public final class ExportCommand implements Command {
    private static final List<String> TARGETS = List.of("strongswan", "junos");
    static final String OUT = "--out";
    static final String CRL_URL = "--crl-url";
    static final String OCSP_URL = "--ocsp-url";

    private final StoreOption store;

    public ExportCommand() {
        this(StoreOption.ofProcess());
    }

    ExportCommand(StoreOption store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a strongSwan (swanctl.conf) or Junos configuration from the policy";
    }

    @Override
    public String help() {
        return """
                Usage: certgate export strongswan --policy FILE --out DIR [--store DIR] [--crl-url URL]
                                                  [--ocsp-url URL]
                       certgate export junos --policy FILE [--crl-url URL]

                Writes a gateway's configuration from the policy, so that the gateway trusts no more than
                certgate does and checks revocation against certgate. Where the gateway cannot express a rule
                exactly, a note on standard error says so and the stricter form is written (or the gateway left
                out). The same policy and store give the same bytes.

                strongswan: DIR/swanctl.conf with one connection per certificate gateway (remote.id from its
                identity, cacerts from its CA profile, revocation strict, or ifuri under on-download-failure
                accept), an authorities section with the CRL and OCSP URLs, the CA certificates of the store
                the profile trusts in DIR/x509ca/ and the gateway's own certificate (certgate load local) in
                DIR/x509/, and DIR/strongswan-certgate.conf with the charon setting the DN identities need
                (charon.rdn_matching), to include in strongswan.conf. DIR has swanctl's subdirectories: use it
                as SWANCTL_DIR, and put the gateway's private key in DIR/private/. Pre-shared-key gateways are
                left out. Files of an earlier export that this one no longer writes are removed.

                junos: 'set' commands on standard output: security pki ca-profile (ca-identity, revocation-check
                crl url, refresh-interval, disable on-download-failure) and security ike gateway ... dynamic
                (hostname, user-at-hostname, inet, distinguished-name container|wildcard), each certificate
                gateway with an IKE policy trusting its CA profile.

                Options:
                  --policy FILE          the policy (it must compile without errors)
                  --out DIR              (strongswan) the directory to write; created when missing
                  --crl-url URL          certgate's base URL (http://HOST:PORT of 'certgate serve'): CRLs are
                                         fetched from URL/crls/PROFILE.crl (junos) and
                                         URL/crls/by-issuer/SHA256.crl (strongswan). Default: the policy's
                                         CRL URLs (url, else default-cdp)
                  --ocsp-url URL         (strongswan) certgate's OCSP responder, written as each CA's ocsp_uris
                """ + StoreOption.HELP + """
                                         (strongswan) Without --store, a missing default store means none:
                                         gateways are then restricted by their profile's ca-identity (ca_id).

                Exit status:
                  0  written
                  2  usage error; the policy cannot be read or has errors; the store cannot be read; DIR
                     cannot be written
                  5  the store is damaged (the message names the first bad record)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        String target;
        CompiledPolicy policy;
        CertgateUrls urls;
        try {
            args = Args.parser().value(PolicyOption.POLICY).value(OUT).value(CRL_URL).value(OCSP_URL)
                    .value(StoreOption.OPTION).positionals("strongswan|junos", 1, 1).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            target = args.positionals().get(0);
            if (!TARGETS.contains(target)) {
                throw new UsageException("unknown target '" + target + "'" + Suggestions.closest(target, TARGETS)
                        .map(c -> "; did you mean '" + c + "'?").orElse("; the targets are strongswan and junos"));
            }
            if (target.equals("junos")) {
                for (String option : List.of(OUT, OCSP_URL, StoreOption.OPTION)) {
                    if (args.has(option)) {
                        throw new UsageException(option + " does not go with 'export junos' (it writes set"
                                + " commands to standard output, from the policy alone)");
                    }
                }
            } else if (args.value(OUT).isEmpty()) {
                throw new UsageException("export strongswan needs " + OUT + " DIR");
            }
            String file = args.value(PolicyOption.POLICY).orElseThrow(() -> new UsageException(
                    "export needs " + PolicyOption.POLICY + " FILE"));
            policy = PolicyOption.compiled(store.workingDirectory(), file).policy().orElseThrow();
            try {
                urls = CertgateUrls.of(args.value(CRL_URL), args.value(OCSP_URL));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        String prefix = Main.PROGRAM + " " + name() + " " + target + ": ";
        if (target.equals("junos")) {
            JunosExport.Result result = JunosExport.export(policy, urls);
            result.notes().forEach(note -> stderr.println(prefix + "note: " + Terminal.safe(note)));
            stdout.print(result.commands());
            return ExitStatus.OK;
        }
        StoreCredentials credentials;
        if (args.has(StoreOption.OPTION) || Files.isDirectory(store.resolve(args))) {
            Optional<Path> dir = store.existingOrSay(args, name(), stderr);
            if (dir.isEmpty()) {
                return ExitStatus.USAGE;
            }
            try {
                credentials = credentials(dir.get(), stderr);
            } catch (CorruptLogException | UncheckedIOException e) {
                return StoreOption.readFailed(name(), e, stderr);
            }
        } else {
            stderr.println(prefix + "note: no store at " + store.resolve(args) + " (" + store.origin(args)
                    + "): no CA certificate is written");
            credentials = StoreCredentials.NONE;
        }
        StrongSwanExport.Result result = StrongSwanExport.export(policy, credentials, urls);
        result.notes().forEach(note -> stderr.println(prefix + "note: " + Terminal.safe(note)));
        Path out = store.workingDirectory().resolve(args.value(OUT).orElseThrow());
        try {
            write(out, result);
        } catch (IOException | UncheckedIOException e) {
            stderr.println(prefix + "cannot write " + out + ": " + Terminal.safe(String.valueOf(e.getMessage())));
            return ExitStatus.USAGE;
        }
        stdout.println("wrote " + out.resolve("swanctl.conf") + ": " + result.connections() + " connection(s) of "
                + policy.gateways().size() + " gateway(s), " + result.files().keySet().stream()
                .filter(f -> f.startsWith("x509ca/")).count() + " CA certificate(s); " + result.notes().size()
                + " note(s)");
        return ExitStatus.OK;
    }

    /** The CA certificates the store's engine trusts, with the bytes their loads recorded, and the own ones. */
    private static StoreCredentials credentials(Path dir, PrintStream stderr) {
        Map<String, Blob> loaded = new HashMap<>();
        Replay replay = Replay.counting();
        OpenedStore.reading(dir, replay, recorded -> {
            if (recorded.event() instanceof CaCertificateLoaded ca) {
                loaded.putIfAbsent(ca.certificate().sha256Hex(), ca.certificate());
            }
            return true;
        }, Terminal.progress(stderr, count -> "export: " + count + " events read"));
        List<StoreCredentials.Ca> cas = new ArrayList<>();
        for (TrustedCertificate info : replay.engine().trustedCertificates()) {
            Blob der = loaded.get(info.sha256());
            if (der != null) {
                cas.add(new StoreCredentials.Ca(info, der));
            }
        }
        List<StoreCredentials.Local> locals = replay.localCertificates().stream()
                .map(local -> new StoreCredentials.Local(local.event().gateway(), local.event().certificate()))
                .toList();
        return new StoreCredentials(true, cas, locals);
    }

    /**
     * Writes every file (each through a temporary file and a rename, so swanctl never reads half a file), creates
     * swanctl's subdirectories, and removes the files of an earlier export this one no longer writes.
     */
    private static void write(Path out, StrongSwanExport.Result result) throws IOException {
        Files.createDirectories(out);
        for (String sub : StrongSwanExport.SWANCTL_DIRECTORIES) {
            Files.createDirectories(out.resolve(sub));
        }
        for (String sub : List.of("x509", "x509ca")) {
            try (DirectoryStream<Path> old = Files.newDirectoryStream(out.resolve(sub),
                    StrongSwanExport.FILE_PREFIX + "*.pem")) {
                for (Path file : old) {
                    if (!result.files().containsKey(sub + "/" + file.getFileName())) {
                        Files.delete(file);
                    }
                }
            }
        }
        for (Map.Entry<String, String> file : result.files().entrySet()) {
            Path target = out.resolve(file.getKey());
            Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.writeString(temporary, file.getValue(), StandardCharsets.US_ASCII);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
