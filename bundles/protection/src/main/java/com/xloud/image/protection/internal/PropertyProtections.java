package com.xloud.image.protection.internal;

import com.xloud.image.api.config.StartupFailure;
import com.xloud.image.api.config.WatchedFile;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.api.policy.PropertyProtection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glance's property protections: an INI file whose sections are regular expressions over extra
 * property names (searched, not anchored, as Python's {@code re.search}; the first section that
 * matches decides) and whose keys {@code create}, {@code read}, {@code update}, {@code delete}
 * say who may: in the {@code roles} format a comma list of roles ({@code @} everyone, {@code !}
 * or nothing nobody), in the {@code policies} format the name of one policy rule. A property
 * that matches no section may not be touched at all. Properties in {@code os_glance_*} are always
 * allowed here (their own rules apply). Beyond Glance, the file is read again when it changes; a
 * bad new version is refused with a logged reason and the old rules stay. On only with
 * {@code etc/com.xloud.image.protection.cfg}: a node where that file exists and this bundle does
 * not run refuses writes of extra properties.
 */
@Component(service = PropertyProtection.class, configurationPid = "com.xloud.image.protection",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProtectionConfig.class)
public final class PropertyProtections implements PropertyProtection {
    private static final Logger LOG = LoggerFactory.getLogger(PropertyProtections.class);

    /** Who may do one operation: roles, or a policy rule. */
    private record Rule(Set<String> roles, boolean everyone, String policyRule) {
    }

    private record Section(String name, Pattern pattern, Map<Operation, Rule> rules) {
    }

    private final Path file;
    private final boolean policies;
    private final PolicyEnforcer policy;
    private final WatchedFile<List<Section>> sections;

    @Activate
    public PropertyProtections(ProtectionConfig config, @Reference PolicyEnforcer policy, BundleContext context) {
        this(config.property_protection_file().isBlank() ? null : Path.of(config.property_protection_file()),
                config.property_protection_rule_format().strip(), policy, Duration.ofSeconds(2), context);
    }

    /**
     * {@code format}: roles or policies; {@code policy} answers the rules the policies format names.
     * A file that cannot be used is an IllegalArgumentException naming the line; {@code context}: the
     * bundle's, to stop a node that is starting with such a file (null in tests).
     */
    PropertyProtections(Path file, String format, PolicyEnforcer policy, Duration recheck, BundleContext context) {
        try {
            if (file == null) {
                throw new IllegalArgumentException("property.protection.file is empty: name the file, or remove"
                        + " etc/com.xloud.image.protection.cfg to protect no property");
            }
            if (!format.equals("roles") && !format.equals("policies")) {
                throw new IllegalArgumentException("property.protection.rule.format must be roles or policies, not '"
                        + format + "'");
            }
            this.file = file;
            this.policies = format.equals("policies");
            this.policy = policy;
            this.sections = new WatchedFile<>("property protection file", file, this::parse, recheck);
        } catch (IllegalArgumentException e) {
            throw context == null ? e : StartupFailure.report(context, "property protection", e);
        }
        LOG.info("property protections from {} ({} format, {} sections)", file, format, sections.current().size() - 1);
    }

    private static String key(Operation op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    private List<Section> parse(String text) {
        List<String> lines = text.lines().toList();
        List<Section> parsed = new ArrayList<>();
        // Glance puts its own namespace first, open to all: its reserved-attribute rules apply instead
        Map<Operation, Rule> open = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
            open.put(op, new Rule(Set.of(), true, null));
        }
        parsed.add(new Section("os_glance.*", Pattern.compile("^os_glance"), open));
        String name = null;
        int sectionLine = 0;
        Pattern pattern = null;
        Map<Operation, Rule> rules = null;
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i).strip() : "[";
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (name != null) {
                    for (Operation op : Operation.values()) {
                        if (!rules.containsKey(op)) {
                            throw bad(sectionLine, "section [" + name + "] has no '" + key(op) + "'");
                        }
                    }
                    parsed.add(new Section(name, pattern, rules));
                }
                if (i == lines.size()) {
                    break;
                }
                if (!line.endsWith("]") || line.length() < 3) {
                    throw bad(number, "a section header is [regular expression]");
                }
                name = line.substring(1, line.length() - 1);
                sectionLine = number;
                try {
                    pattern = Pattern.compile(name);
                } catch (PatternSyntaxException e) {
                    throw bad(number, "[" + name + "] is not a valid regular expression: " + e.getDescription());
                }
                String section = name;
                if (parsed.stream().skip(1).anyMatch(s -> s.name().equals(section))) {
                    throw bad(number, "section [" + name + "] appears twice");
                }
                rules = new EnumMap<>(Operation.class);
                continue;
            }
            int sep = indexOfSeparator(line);
            if (sep < 0) {
                throw bad(number, "expected 'operation = ...'");
            }
            if (name == null) {
                throw bad(number, "a rule outside of any [section]");
            }
            String key = line.substring(0, sep).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(sep + 1).strip();
            Operation op;
            try {
                op = Operation.valueOf(key.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(number, "'" + key + "' is not one of create, read, update, delete");
            }
            rules.put(op, policies ? policyRule(number, value) : roleRule(number, value));
        }
        return List.copyOf(parsed);
    }

    private static int indexOfSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private Rule roleRule(int number, String value) {
        Set<String> roles = new LinkedHashSet<>();
        for (String r : value.split(",")) {
            if (!r.isBlank()) {
                roles.add(r.strip().toLowerCase(Locale.ROOT));
            }
        }
        if (roles.contains("@") && roles.contains("!")) {
            throw bad(number, "'@' (everyone) and '!' (nobody) cannot be given together");
        }
        if (roles.contains("@")) {
            return new Rule(Set.of(), true, null);
        }
        roles.remove("!");
        return new Rule(Set.copyOf(roles), false, null); // '!' or nothing: nobody
    }

    private Rule policyRule(int number, String value) {
        if (value.isEmpty() || value.contains(",") || value.contains(" ")) {
            throw bad(number, "the policies format needs exactly one policy rule name, got '" + value + "'");
        }
        return new Rule(Set.of(), false, value);
    }

    private IllegalArgumentException bad(int line, String what) {
        return new IllegalArgumentException("property protection file " + file + ", line " + line + ": " + what);
    }

    /** Whether {@code ctx} may do {@code op} on the extra property {@code name}. */
    @Override
    public boolean allows(RequestContext ctx, String name, Operation op) {
        for (Section s : sections.current()) {
            if (s.pattern().matcher(name).find()) {
                Rule rule = s.rules().get(op);
                if (rule.everyone()) {
                    return true;
                }
                if (rule.policyRule() != null) {
                    return policy != null && policy.allowsRule(rule.policyRule(), ctx);
                }
                return PolicyEnforcer.impliedRoles(ctx.roles()).stream().anyMatch(rule.roles()::contains);
            }
        }
        return false; // a property no section names is protected from everything
    }
}
