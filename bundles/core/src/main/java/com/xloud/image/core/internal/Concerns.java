package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.UploadFilters;
import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.api.policy.PropertyProtection;
import com.xloud.image.api.upload.UploadFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The concerns that live in bundles of their own and without which the node refuses what it
 * cannot check or do: the policy, property protection, disk-format inspection, signature
 * verification, and the use cases beside the core's: image data, import and tasks, and the changes
 * to locations. Each is {@code running} (with the bundle and version that serve it), {@code absent}
 * (the node refuses what needs it) or {@code not configured} (nothing needs it).
 */
final class Concerns {
    private final Supplier<PolicyEnforcer> policy;
    private final Supplier<PropertyProtection> protection;
    private final BooleanSupplier protectionConfigured;
    private final UploadFilters filters;
    private final Supplier<Object> data;
    private final Supplier<Object> imports;
    private final Supplier<Object> locations;

    Concerns(Supplier<PolicyEnforcer> policy, Supplier<PropertyProtection> protection,
             BooleanSupplier protectionConfigured, UploadFilters filters, Supplier<Object> data,
             Supplier<Object> imports, Supplier<Object> locations) {
        this.data = data;
        this.imports = imports;
        this.locations = locations;
        this.policy = policy;
        this.protection = protection;
        this.protectionConfigured = protectionConfigured;
        this.filters = filters;
    }

    /** One entry per concern, and whether any that is needed is absent ({@code degraded}). */
    List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(concern("policy", "com.xloud.image.policy", policy.get(), true));
        out.add(concern("property_protection", "com.xloud.image.protection", protection.get(),
                protectionConfigured.getAsBoolean()));
        List<UploadFilter> present = filters.current();
        out.add(concern("inspection", "com.xloud.image.inspection", named(present, UploadFilters.INSPECTION),
                filters.inspectionRequired()));
        out.add(concern("signature", "com.xloud.image.signature", named(present, UploadFilters.SIGNATURE), true));
        out.add(concern("data", "com.xloud.image.data", data.get(), true));
        out.add(concern("import", "com.xloud.image.imports", imports.get(), true));
        out.add(concern("locations", "com.xloud.image.locations", locations.get(), true));
        return out;
    }

    static boolean degraded(List<Map<String, Object>> concerns) {
        return concerns.stream().anyMatch(c -> "absent".equals(c.get("state")));
    }

    private static UploadFilter named(List<UploadFilter> filters, String name) {
        return filters.stream().filter(f -> name.equals(f.name())).findFirst().orElse(null);
    }

    private static Map<String, Object> concern(String name, String bundle, Object service, boolean needed) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        org.osgi.framework.Bundle b = service == null ? null : org.osgi.framework.FrameworkUtil.getBundle(service.getClass());
        c.put("bundle", b == null ? bundle : b.getSymbolicName());
        c.put("version", b == null ? null : b.getVersion().toString());
        c.put("state", service != null ? "running" : needed ? "absent" : "not configured");
        return c;
    }
}
