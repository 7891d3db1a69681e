package com.xloud.image.core.internal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.xloud.image.api.images.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's authorization rules: Glance's defaults (its "new defaults": admin, member, reader),
 * overridden rule by rule by an optional policy file (YAML or JSON, Glance's {@code policy.yaml}
 * format). The file is read again when it changes; a bad new version is refused with a logged
 * reason and the rules in force stay. A bad file at start stops the node.
 */
public final class Policy {
    private static final Logger LOG = LoggerFactory.getLogger(Policy.class);

    private static final String ADMIN = "role:admin";
    private static final String PROJECT_MEMBER = "role:admin or (role:member and project_id:%(project_id)s)";
    private static final String PROJECT_READER = "role:admin or (role:reader and project_id:%(project_id)s)";
    private static final String VISIBLE = "project_id:%(project_id)s or project_id:%(member_id)s"
            + " or 'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s";

    /** Glance's default rules for the actions this service checks, plus its own (admin-only) extensions. */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("default", ADMIN);
        d.put("context_is_admin", ADMIN);
        d.put("add_image", PROJECT_MEMBER);
        d.put("get_image", "role:admin or (role:reader and (" + VISIBLE + "))");
        d.put("get_images", PROJECT_READER);
        d.put("modify_image", PROJECT_MEMBER);
        d.put("delete_image", PROJECT_MEMBER);
        d.put("publicize_image", ADMIN);
        d.put("communitize_image", PROJECT_MEMBER);
        d.put("upload_image", PROJECT_MEMBER);
        d.put("download_image", "role:admin or (role:member and (" + VISIBLE + "))");
        d.put("deactivate", PROJECT_MEMBER);
        d.put("reactivate", PROJECT_MEMBER);
        d.put("copy_image", ADMIN);
        d.put("add_image_location", "role:admin or role:service or (role:member and project_id:%(project_id)s)");
        d.put("set_image_location", PROJECT_MEMBER);
        d.put("fetch_image_location", "role:admin or role:service");
        d.put("get_image_location", PROJECT_READER);
        d.put("delete_image_location", PROJECT_MEMBER);
        d.put("add_member", PROJECT_MEMBER);
        d.put("delete_member", PROJECT_MEMBER);
        d.put("get_member", "role:admin or (role:reader and (project_id:%(project_id)s or project_id:%(member_id)s))");
        d.put("get_members", "role:admin or (role:reader and (project_id:%(project_id)s or project_id:%(member_id)s))");
        d.put("modify_member", "role:admin or (role:member and project_id:%(member_id)s)");
        d.put("tasks_api_access", ADMIN);
        d.put("get_task", ADMIN);
        d.put("get_tasks", ADMIN);
        d.put("add_task", ADMIN);
        d.put("stores_info_detail", ADMIN);
        d.put("manage_image_cache", ADMIN);
        d.put("cache_image", "rule:manage_image_cache");
        d.put("cache_list", "rule:manage_image_cache");
        d.put("cache_delete", "rule:manage_image_cache");
        d.put("cache_clean", "rule:manage_image_cache");
        d.put("cache_prune", "rule:manage_image_cache");
        // the metadata definitions catalog
        String getNamespace = "role:admin or (role:reader and (project_id:%(project_id)s or 'public':%(visibility)s))";
        d.put("metadef_default", "");
        d.put("metadef_admin", ADMIN);
        for (String read : List.of("get_metadef_namespace", "get_metadef_object", "get_metadef_objects",
                "list_metadef_resource_types", "get_metadef_resource_type", "get_metadef_property",
                "get_metadef_properties", "get_metadef_tag", "get_metadef_tags")) {
            d.put(read, getNamespace);
        }
        d.put("get_metadef_namespaces", PROJECT_READER);
        for (String write : List.of("modify_metadef_namespace", "add_metadef_namespace", "delete_metadef_namespace",
                "modify_metadef_object", "add_metadef_object", "delete_metadef_object",
                "add_metadef_resource_type_association", "remove_metadef_resource_type_association",
                "modify_metadef_property", "add_metadef_property", "remove_metadef_property", "modify_metadef_tag",
                "add_metadef_tag", "add_metadef_tags", "delete_metadef_tag", "delete_metadef_tags")) {
            d.put(write, "rule:metadef_admin");
        }
        // Xloud's extensions
        d.put("get_image_history", "role:admin or (role:reader and project_id:%(project_id)s)");
        d.put("audit", ADMIN);
        d.put("registry_rebuild", ADMIN);
        d.put("health_report", ADMIN);
        return Map.copyOf(d);
    }

    private final Path file;
    private final long recheckNanos;
    private volatile PolicyRules rules;
    private volatile FileTime loadedAt;
    private volatile long checkedAt = System.nanoTime();

    /** {@code file} null: the defaults alone. A file that cannot be used is an IllegalArgumentException. */
    public Policy(Path file) {
        this(file, java.time.Duration.ofSeconds(2));
    }

    /** {@code recheck}: how often, at most, the file's modification time is looked at. */
    public Policy(Path file, java.time.Duration recheck) {
        this.file = file;
        this.recheckNanos = recheck.toNanos();
        this.rules = load();
        LOG.info("policy: Glance's defaults{}", file == null ? "" : " overridden by " + file);
    }

    private PolicyRules load() {
        Map<String, PolicyRules.Check> parsed = new LinkedHashMap<>();
        DEFAULTS.forEach((name, text) -> parsed.put(name, PolicyRules.parse(text)));
        if (file != null) {
            try {
                loadedAt = Files.getLastModifiedTime(file);
                String text = Files.readString(file);
                JsonNode root = text.isBlank() ? null : new ObjectMapper(new YAMLFactory()).readTree(text);
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
            } catch (IOException e) {
                throw new IllegalArgumentException("policy file " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        return new PolicyRules(parsed);
    }

    /** Reads the file again when it changed (checked at most every two seconds). */
    private void refresh() {
        if (file == null || System.nanoTime() - checkedAt < recheckNanos) {
            return;
        }
        checkedAt = System.nanoTime();
        try {
            FileTime now = Files.getLastModifiedTime(file);
            if (now.equals(loadedAt)) {
                return;
            }
            synchronized (this) {
                PolicyRules fresh = load();
                rules = fresh;
                LOG.info("policy file {} read again", file);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("policy file {} not taken: {}; the rules in force stay", file, e.getMessage());
        }
    }

    public boolean allows(String action, RequestContext ctx, Map<String, Object> target) {
        refresh();
        return rules.allows(action, credentials(ctx), target);
    }

    private static PolicyRules.Credentials credentials(RequestContext ctx) {
        return new PolicyRules.Credentials(ctx.userId(), ctx.projectId(), implied(ctx.roles()));
    }

    /** Whether the policy rule {@code name} holds for {@code ctx} (no target); an unknown rule does not. */
    public boolean allowsRule(String name, RequestContext ctx) {
        refresh();
        return rules.has(name) && rules.allows(name, credentials(ctx), Map.of());
    }

    /**
     * Keystone's default implied roles (admin implies member, member implies reader), which its
     * tokens carry already: callers named by no-auth headers get them too.
     */
    static java.util.List<String> implied(java.util.List<String> roles) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        for (String r : roles) {
            String role = r.toLowerCase(java.util.Locale.ROOT);
            all.add(role);
            if (role.equals("admin")) {
                all.add("member");
                all.add("reader");
            } else if (role.equals("member")) {
                all.add("reader");
            }
        }
        return java.util.List.copyOf(all);
    }
}
