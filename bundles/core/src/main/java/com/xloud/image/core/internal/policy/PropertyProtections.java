package com.xloud.image.core.internal.policy;

import com.xloud.image.api.images.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
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
 * bad new version is refused with a logged reason and the old rules stay.
 */
public final class PropertyProtections {
    private static final Logger LOG = LoggerFactory.getLogger(PropertyProtections.class);

    public enum Op {
        CREATE, READ, UPDATE, DELETE;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who may do one operation: roles, or a policy rule. */
    private record Rule(Set<String> roles, boolean everyone, String policyRule) {
    }

    private record Section(String name, Pattern pattern, Map<Op, Rule> rules) {
    }

    private final Path file;
    private final boolean policies;
    private final Policy policy;
    private final long recheckNanos;
    private volatile List<Section> sections;
    private volatile FileTime loadedAt;
    private volatile long checkedAt = System.nanoTime();

    /** No file: every property is open to every operation (the policy governs the image as a whole). */
    public static PropertyProtections none() {
        return new PropertyProtections(null, "roles", null, Duration.ofSeconds(2));
    }

    /**
     * {@code format}: roles or policies. A file that cannot be used is an IllegalArgumentException
     * naming the line.
     */
    public PropertyProtections(Path file, String format, Policy policy, Duration recheck) {
        if (!format.equals("roles") && !format.equals("policies")) {
            throw new IllegalArgumentException("property.protection.rule.format must be roles or policies, not '"
                    + format + "'");
        }
        this.file = file;
        this.policies = format.equals("policies");
        this.policy = policy;
        this.recheckNanos = recheck.toNanos();
        this.sections = file == null ? null : load();
        if (file != null) {
            LOG.info("property protections from {} ({} format, {} sections)", file, format, sections.size() - 1);
        }
    }

    public boolean enabled() {
        return file != null;
    }

    private List<Section> load() {
        List<String> lines;
        try {
            loadedAt = Files.getLastModifiedTime(file);
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("property protection file " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<Section> parsed = new ArrayList<>();
        // Glance puts its own namespace first, open to all: its reserved-attribute rules apply instead
        Map<Op, Rule> open = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            open.put(op, new Rule(Set.of(), true, null));
        }
        parsed.add(new Section("os_glance.*", Pattern.compile("^os_glance"), open));
        String name = null;
        int sectionLine = 0;
        Pattern pattern = null;
        Map<Op, Rule> rules = null;
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i).strip() : "[";
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (name != null) {
                    for (Op op : Op.values()) {
                        if (!rules.containsKey(op)) {
                            throw bad(sectionLine, "section [" + name + "] has no '" + op.key() + "'");
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
                rules = new EnumMap<>(Op.class);
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
            Op op;
            try {
                op = Op.valueOf(key.toUpperCase(Locale.ROOT));
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

    private void refresh() {
        if (file == null || System.nanoTime() - checkedAt < recheckNanos) {
            return;
        }
        checkedAt = System.nanoTime();
        try {
            if (Files.getLastModifiedTime(file).equals(loadedAt)) {
                return;
            }
            synchronized (this) {
                sections = load();
                LOG.info("property protection file {} read again ({} sections)", file, sections.size() - 1);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("property protection file {} not taken: {}; the protections in force stay", file,
                    e.getMessage());
        }
    }

    /** Whether {@code ctx} may do {@code op} on the extra property {@code name}. */
    public boolean allows(RequestContext ctx, String name, Op op) {
        if (file == null) {
            return true;
        }
        refresh();
        for (Section s : sections) {
            if (s.pattern().matcher(name).find()) {
                Rule rule = s.rules().get(op);
                if (rule.everyone()) {
                    return true;
                }
                if (rule.policyRule() != null) {
                    return policy != null && policy.allowsRule(rule.policyRule(), ctx);
                }
                return Policy.implied(ctx.roles()).stream().anyMatch(rule.roles()::contains);
            }
        }
        return false; // a property no section names is protected from everything
    }

    /** The properties {@code ctx} may read; the others are left out as if they were not there. */
    public Map<String, String> readable(RequestContext ctx, Map<String, String> properties) {
        if (file == null || properties.isEmpty()) {
            return properties;
        }
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (allows(ctx, k, Op.READ)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
