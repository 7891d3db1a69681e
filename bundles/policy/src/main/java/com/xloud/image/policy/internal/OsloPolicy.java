package com.xloud.image.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.xloud.image.api.config.StartupFailure;
import com.xloud.image.api.config.WatchedFile;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.policy.PolicyEnforcer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's authorization rules: Glance's defaults (its "new defaults": admin, member, reader),
 * overridden rule by rule by an optional policy file (YAML or JSON, Glance's {@code policy.yaml}
 * format, named by {@code policy.file} in {@code etc/com.xloud.image.policy.cfg}). The file is
 * read again when it changes; a bad new version is refused with a logged reason and the rules in
 * force stay. A bad file at start stops the node.
 */
@Component(service = PolicyEnforcer.class, configurationPid = "com.xloud.image.policy",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PolicyConfig.class)
public final class OsloPolicy implements PolicyEnforcer {
    private static final Logger LOG = LoggerFactory.getLogger(OsloPolicy.class);

    /** The bundle's copy of Glance's default rules (and this service's own), as check strings by rule name. */
    private static final String DEFAULTS_RESOURCE = "glance-defaults.yaml";

    /** Glance's default rules for the actions this service checks, plus its own (admin-only) extensions. */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        try (java.io.InputStream in = OsloPolicy.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the policy bundle");
            }
            Map<String, String> d = new LinkedHashMap<>();
            new ObjectMapper(new YAMLFactory()).readTree(in).fields().forEachRemaining(e -> d.put(e.getKey(),
                    e.getValue().asText()));
            return java.util.Collections.unmodifiableMap(d);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(DEFAULTS_RESOURCE + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The defaults alone, or overridden by the file; null: the defaults alone. */
    private final PolicyRules defaults;
    private final WatchedFile<PolicyRules> file;

    @Activate
    public OsloPolicy(PolicyConfig config, BundleContext context) {
        this(config.policy_file().isBlank() ? null : Path.of(config.policy_file()), Duration.ofSeconds(2), context);
    }

    /** {@code file} null: the defaults alone. A file that cannot be used is an IllegalArgumentException. */
    public OsloPolicy(Path file) {
        this(file, Duration.ofSeconds(2), null);
    }

    /**
     * {@code recheck}: how often, at most, the file's modification time is looked at; {@code context}:
     * the bundle's, to stop a node that is starting with a file it cannot use (null in tests).
     */
    OsloPolicy(Path file, Duration recheck, BundleContext context) {
        this.defaults = new PolicyRules(parsedDefaults());
        try {
            this.file = file == null ? null : new WatchedFile<>("policy file", file, text -> parse(file, text), recheck);
        } catch (IllegalArgumentException e) {
            throw context == null ? e : StartupFailure.report(context, "the policy", e);
        }
        LOG.info("policy: Glance's defaults{}", file == null ? "" : " overridden by " + file);
    }

    private static Map<String, PolicyRules.Check> parsedDefaults() {
        Map<String, PolicyRules.Check> parsed = new LinkedHashMap<>();
        DEFAULTS.forEach((name, text) -> parsed.put(name, PolicyRules.parse(text)));
        return parsed;
    }

    private static PolicyRules parse(Path file, String text) {
        Map<String, PolicyRules.Check> parsed = parsedDefaults();
        JsonNode root;
        try {
            root = text.isBlank() ? null : new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("policy file " + file + " is no YAML or JSON: " + e.getMessage(), e);
        }
        if (root != null && !root.isNull()) {
            if (!root.isObject()) {
                throw new IllegalArgumentException("policy file " + file + ": a mapping of rule names to check"
                        + " strings is expected");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("policy file " + file + ": rule '" + e.getKey()
                            + "' must be a string");
                }
                try {
                    parsed.put(e.getKey(), PolicyRules.parse(e.getValue().asText()));
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("policy file " + file + ": rule '" + e.getKey() + "': "
                            + bad.getMessage(), bad);
                }
            }
        }
        return new PolicyRules(parsed);
    }

    private PolicyRules rules() {
        return file == null ? defaults : file.current();
    }

    @Override
    public boolean allows(String action, RequestContext ctx, Map<String, Object> target) {
        return rules().allows(action, credentials(ctx), target);
    }

    private static PolicyRules.Credentials credentials(RequestContext ctx) {
        return new PolicyRules.Credentials(ctx.userId(), ctx.projectId(), PolicyEnforcer.impliedRoles(ctx.roles()));
    }

    /** Whether the policy rule {@code name} holds for {@code ctx} (no target); an unknown rule does not. */
    @Override
    public boolean allowsRule(String name, RequestContext ctx) {
        PolicyRules rules = rules();
        return rules.has(name) && rules.allows(name, credentials(ctx), Map.of());
    }
}
