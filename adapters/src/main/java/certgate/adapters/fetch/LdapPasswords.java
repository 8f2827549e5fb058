package certgate.adapters.fetch;

import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.RevocationCheck.LdapBind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The simple bind for an LDAP distribution point, read when the fetch needs it: the policy names the bind DN and
 * where the password is (a file, or an environment variable), never the password, so neither the policy nor the
 * log holds it. The bind of a URL is that of the first CA profile that lists the URL; any other LDAP URL (a
 * certificate's CDP, the default CDP) binds anonymously.
 */
public final class LdapPasswords {
    /** A bind DN and its password, read just now; the fetcher wipes the array when the fetch is over. */
    public record Bind(String dn, char[] password) {
        @Override
        public String toString() {
            return "Bind[dn=" + dn + ", password=(hidden)]";
        }
    }

    /** Why a password named by the policy cannot be read; says where it looked, never what it found. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private final Optional<CompiledPolicy> policy;
    private final Function<String, String> environment;

    private LdapPasswords(Optional<CompiledPolicy> policy, Function<String, String> environment) {
        this.policy = policy;
        this.environment = environment;
    }

    /** The binds of {@code policy}'s CA profiles, with passwords from this process's environment or files. */
    public static LdapPasswords of(Optional<CompiledPolicy> policy) {
        return new LdapPasswords(policy, System::getenv);
    }

    /** As {@link #of}, with {@code environment} standing in for the process's environment. */
    public static LdapPasswords of(Optional<CompiledPolicy> policy, Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        return new LdapPasswords(policy, environment::get);
    }

    /** The bind for {@code url}: empty for anonymous. */
    public Optional<Bind> bindFor(URI url) throws Unavailable {
        Optional<LdapBind> bind = policy.flatMap(p -> p.caProfiles().stream()
                .filter(profile -> profile.revocationCheck().crlUrls().contains(url))
                .map(CaProfile::revocationCheck).flatMap(check -> check.ldapBind().stream()).findFirst());
        if (bind.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Bind(bind.get().dn(), password(bind.get())));
    }

    private char[] password(LdapBind bind) throws Unavailable {
        if (bind.passwordEnv().isPresent()) {
            String name = bind.passwordEnv().get();
            String value = environment.apply(name);
            if (value == null || value.isEmpty()) {
                throw new Unavailable("the LDAP password for '" + bind.dn() + "' is to come from the environment"
                        + " variable " + name + ", which is not set (or empty)");
            }
            return value.toCharArray();
        }
        Path file = Path.of(bind.passwordFile().orElseThrow());
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
            if (line.isEmpty()) {
                throw new Unavailable("the LDAP password file " + file + " (for '" + bind.dn() + "') is empty");
            }
            return line.toCharArray();
        } catch (IOException | RuntimeException e) {
            throw new Unavailable("the LDAP password file " + file + " (for '" + bind.dn() + "') cannot be read: "
                    + e.getClass().getSimpleName());
        }
    }
}
