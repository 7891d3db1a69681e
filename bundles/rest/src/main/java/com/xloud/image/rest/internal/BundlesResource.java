package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Beyond Glance, admin only: {@code GET /v2/x-admin/bundles} shows what runs in the node — every
 * bundle with its version and state, and every live service of the image service's SPIs (stores
 * today; caches, verifiers and protections as their bundles arrive) with the bundle behind it.
 */
@Path("/v2/x-admin/bundles")
@Produces(MediaType.APPLICATION_JSON)
public final class BundlesResource {
    private static final String SPI_PREFIX = "com.xloud.image.api.";
    private final BundleContext context;

    BundlesResource(BundleContext context) {
        this.context = context;
    }

    @GET
    public Map<String, Object> list(@Context ContainerRequestContext req) {
        if (!RequestIdentity.of(req).isAdmin()) {
            throw ImageException.forbidden("You are not authorized to list the bundles of the node");
        }
        List<Map<String, Object>> bundles = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", b.getBundleId());
            out.put("symbolic_name", b.getSymbolicName());
            out.put("version", b.getVersion().toString());
            out.put("state", state(b.getState()));
            bundles.add(out);
        }
        return Map.of("bundles", bundles, "services", services());
    }

    /** The live services whose interface is one of the SPIs, by interface simple name. */
    private Map<String, List<Map<String, Object>>> services() {
        Map<String, List<Map<String, Object>>> byKind = new TreeMap<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(null, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            for (String type : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
                if (!type.startsWith(SPI_PREFIX) || ref.getBundle() == null) {
                    continue;
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("interface", type);
                out.put("bundle", ref.getBundle().getSymbolicName() + " " + ref.getBundle().getVersion());
                for (String key : ref.getPropertyKeys()) {
                    // the service's own description (store.id, store.type, ...), not the framework's bookkeeping
                    if (!key.startsWith("service.") && !key.startsWith("component.") && !key.equals(Constants.OBJECTCLASS)
                            && !key.contains("password") && !key.contains(".key")) {
                        Object v = ref.getProperty(key);
                        out.put(key, v instanceof Object[] a ? Arrays.asList(a) : String.valueOf(v));
                    }
                }
                byKind.computeIfAbsent(type.substring(type.lastIndexOf('.') + 1), k -> new ArrayList<>()).add(out);
            }
        }
        return byKind;
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
