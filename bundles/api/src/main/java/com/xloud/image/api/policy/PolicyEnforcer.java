package com.xloud.image.api.policy;

import com.xloud.image.api.images.RequestContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Answers whether a caller may take an action, by the rules in force (the operator's policy file
 * over Glance's defaults). {@code target} holds the attributes the rules compare with the caller,
 * such as {@code project_id} (the owner) and {@code visibility}. While no enforcer is running the
 * node refuses every request it would have to check (503), never allows one unchecked.
 */
public interface PolicyEnforcer {
    /** What a caller is told (with 503) while no enforcer runs. */
    String ABSENT = "The policy service (bundle com.xloud.image.policy) is not running: no request can be"
            + " authorized; try again later.";

    boolean allows(String action, RequestContext ctx, Map<String, Object> target);

    /**
     * Whether the rule {@code name} holds for {@code ctx} with no target (the property protections'
     * policies format asks this); an enforcer that knows which rules are defined answers false for
     * one that is not.
     */
    default boolean allowsRule(String name, RequestContext ctx) {
        return allows(name, ctx, Map.of());
    }

    /**
     * The caller's roles with those Keystone's default implied roles add (admin implies member,
     * member implies reader), in lower case: Keystone tokens carry them already, callers named by
     * no-auth headers get them here.
     */
    static List<String> impliedRoles(List<String> roles) {
        Set<String> all = new LinkedHashSet<>();
        for (String r : roles) {
            String role = r.toLowerCase(Locale.ROOT);
            all.add(role);
            if (role.equals("admin")) {
                all.add("member");
                all.add("reader");
            } else if (role.equals("member")) {
                all.add("reader");
            }
        }
        return List.copyOf(all);
    }
}
