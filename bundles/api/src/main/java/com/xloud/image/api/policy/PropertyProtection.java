package com.xloud.image.api.policy;

import com.xloud.image.api.images.RequestContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may create, read, update and delete which extra property of an image (Glance's property
 * protections). A property a caller may not read is left out of what it is shown, as if it were
 * not there. While protections are configured and no such service runs, extra properties cannot
 * be written (503).
 */
public interface PropertyProtection {
    enum Operation { CREATE, READ, UPDATE, DELETE }

    /** Whether {@code ctx} may do {@code op} on the extra property {@code property}. */
    boolean allows(RequestContext ctx, String property, Operation op);

    /** The properties {@code ctx} may read, in their order. */
    default Map<String, String> readable(RequestContext ctx, Map<String, String> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (allows(ctx, k, Operation.READ)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
