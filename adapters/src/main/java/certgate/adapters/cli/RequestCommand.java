package certgate.adapters.cli;

import certgate.adapters.enroll.CertificateRequests;
import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.GatewayKey;
import certgate.adapters.enroll.GatewayRequests;
import certgate.adapters.enroll.KeyPairs;
import certgate.adapters.enroll.Passphrase;
import certgate.adapters.enroll.NewFiles;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.eventstore.CertificateRequestGenerated;
import certgate.eventstore.IkeIdentity;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code certgate request}: the PKCS#10 certificate request (the p10 file) for the gateway's key pair, to send to
 * the CA. The subject is checked as the policy language reads a DN and each subjectAltName as it reads an IKE ID
 * of that type; as Junos requires, at least one IP address, FQDN or U-FQDN is given.
 */
public final class RequestCommand implements Command {
    private final Clock clock;
    private final StoreOption store;

    public RequestCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    RequestCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "request";
    }

    @Override
    public String summary() {
        return "write a PKCS#10 certificate request for the gateway's key pair";
    }

    @Override
    public String help() {
        return """
                Usage: certgate request --key KEY.pem --subject DN --san TYPE:VALUE... --out REQ.p10 [--der]
                                        [--passphrase-file FILE | --passphrase-env VAR] [--store DIR]
                       certgate request --key KEY.pem --gateway NAME --policy FILE [--san TYPE:VALUE]...
                                        --out REQ.p10 [--der] [...]

                Writes a PKCS#10 certificate request (RFC 2986) for the key pair in KEY.pem, signed with it
                (SHA256withRSA; SHA256withECDSA on P-256, SHA384withECDSA on P-384; Ed25519): the subject DN
                and an extensionRequest attribute holding the subjectAltName. As Junos requires, you must
                define at least one IP address, FQDN, or U-FQDN/e-mail address when you generate a
                certificate request. The store records CertificateRequestGenerated: subject, subjectAltNames,
                the public key's fingerprint and the request's SHA-256.

                With --gateway and --policy, the names come from the gateway's local-identity in the policy:
                an ip, fqdn or ufqdn identity is the subjectAltName (and, without --subject, the subject is
                CN=its value); a dn identity is the subject. A local-certificate named by subject gives the
                subject too. The request is then checked against the peers' side of the same policy, as a
                peer deciding under it would: the first gateway whose remote-identity matches the local
                identity must be another certificate gateway, whose identity check the names pass; what
                would not is said, and nothing is written.

                Options:
                  --key KEY.pem          the private key (PKCS#8, PEM or DER, as 'certgate keygen' writes it)
                  --subject DN           the subject, RFC 4514 text: "CN=gw1.example.net, O=Example, C=US"
                  --san TYPE:VALUE...    a subjectAltName: ip:ADDRESS, fqdn:NAME or ufqdn:LOCAL@DOMAIN, checked
                                         as the IKE ID of that type; repeatable
                  --out REQ.p10          the request file to create (never overwritten)
                  --der                  write DER instead of PEM ('CERTIFICATE REQUEST')
                  --gateway NAME         the gateway of --policy whose certificate this is
                  --policy FILE          the policy (YAML) that names the gateway's local-identity
                """ + EnrollOptions.PASSPHRASE_HELP + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Exit status:
                  0  the request was written and recorded
                  2  usage error (a DN or --san of bad syntax, no --san); KEY.pem cannot be read or
                     decrypted; REQ.p10 exists or cannot be written; with --gateway, a gateway without
                     local-identity or names the peers would not accept (nothing appended)
                  4  the store is busy: another command is writing to it (see --wait)
                  5  the store is damaged: see 'certgate log repair'
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        DistinguishedName subject;
        List<IkeIdentity> names;
        List<String> peers = List.of();
        Path out;
        GatewayKey key;
        try {
            args = EnrollOptions.passphrase(PolicyOption.declare(Args.parser().value("--key").value("--subject")
                    .values("--san").value("--out").flag("--der").value(StoreOption.OPTION)
                    .value(StoreOption.WAIT))).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            PolicyOption policy = PolicyOption.from(args, store.workingDirectory(), true, List.of());
            if (policy.given() && policy.gateway().isEmpty()) {
                throw new UsageException(PolicyOption.POLICY + " needs " + PolicyOption.GATEWAY + " NAME: the"
                        + " gateway whose certificate this is");
            }
            if (policy.given()) {
                Optional<DistinguishedName> given = args.value("--subject").isPresent()
                        ? Optional.of(subject(args.value("--subject").get())) : Optional.empty();
                List<IkeIdentity> extra = args.values("--san").isEmpty() ? List.of()
                        : subjectAltNames(args.values("--san"));
                GatewayRequests.Planned planned = GatewayRequests.plan(policy.policy().orElseThrow(),
                        policy.gateway().orElseThrow(), given, extra);
                subject = planned.subject();
                names = planned.subjectAltNames();
                peers = planned.peers();
            } else {
                subject = subject(args.value("--subject").orElseThrow(() -> new UsageException(
                        "missing --subject DN (\"CN=gw1.example.net, O=Example, C=US\"), or --gateway NAME"
                                + " --policy FILE")));
                names = subjectAltNames(args.values("--san"));
            }
            out = EnrollOptions.newOutput(args, "--out", store);
            String keyFile = args.value("--key").orElseThrow(() -> new UsageException("missing --key KEY.pem"));
            try (Passphrase passphrase = EnrollOptions.passphrase(args, store)) {
                key = KeyPairs.read(store.workingDirectory().resolve(keyFile), passphrase.chars());
            }
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        } catch (EnrollException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        CertificateRequests.Request request;
        try {
            request = CertificateRequests.build(key, subject, names);
        } catch (EnrollException e) {
            return Main.usageError(name(), new UsageException(e.getMessage()), stderr);
        }
        String file = args.value("--out").orElseThrow();
        boolean der = args.flag("--der");
        List<String> peerLines = peers;
        return StoreWrite.appending(store, args, clock, name(), stderr, opened -> {
            NewFiles.create(out, der ? request.der() : request.pem());
            List<Long> sequences = opened.append(List.of(new CertificateRequestGenerated(
                    request.subject().toString(), request.subjectAltNames(), key.fingerprint(), request.sha256(),
                    file)));
            stdout.println(Terminal.safe(file) + ": certificate request written (" + (der ? "DER" : "PEM") + ", "
                    + key.signatureAlgorithm() + ")");
            stdout.println("subject " + Terminal.safe(request.subject().toString()));
            stdout.println("subjectAltName " + Terminal.safe(request.subjectAltNames().stream()
                    .map(IkeIdentity::toString).collect(Collectors.joining(", "))));
            stdout.println("public key sha256 " + key.fingerprint());
            stdout.println("request sha256 " + request.sha256());
            peerLines.forEach(line -> stdout.println("peers: " + Terminal.safe(line)));
            stdout.println("CertificateRequestGenerated appended at sequence " + sequences.get(0) + " to "
                    + opened.directory() + "; head " + opened.head());
            return ExitStatus.OK;
        });
    }

    private static DistinguishedName subject(String text) throws UsageException {
        try {
            DistinguishedName dn = DistinguishedName.parse(text);
            if (dn.isEmpty()) {
                throw new UsageException("--subject is empty: a request names its subject, \"CN=gw1, O=Example\"");
            }
            return dn;
        } catch (DnSyntaxException e) {
            throw new UsageException("--subject '" + text + "' is not a DN: " + e.problem() + " (at column "
                    + e.column() + "); expected RFC 4514 text, \"CN=gw1.example.net, O=Example, C=US\"");
        }
    }

    /** Each {@code --san}, checked with the policy language's syntax for an IKE ID of its type. */
    static List<IkeIdentity> subjectAltNames(List<String> values) throws UsageException {
        if (values.isEmpty()) {
            throw new UsageException("no --san given: " + CertificateRequests.AT_LEAST_ONE_NAME
                    + " (--san fqdn:NAME, --san ip:ADDRESS or --san ufqdn:LOCAL@DOMAIN)");
        }
        List<IkeIdentity> names = new ArrayList<>();
        for (String value : values) {
            IkeIdentity name;
            try {
                name = IkeIdentity.parse(value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--san '" + value + "' is not TYPE:VALUE with TYPE ip, fqdn or ufqdn"
                        + " (--san fqdn:gw1.example.net)");
            }
            if (name.type() == IkeIdentity.Type.DN) {
                throw new UsageException("--san '" + value + "': a DN is not a subjectAltName of a request; it is"
                        + " the --subject");
            }
            Optional<String> problem = IkeIds.problem(name);
            if (problem.isPresent()) {
                throw new UsageException("--san " + value + ": " + problem.get());
            }
            names.add(name);
        }
        return names;
    }
}
