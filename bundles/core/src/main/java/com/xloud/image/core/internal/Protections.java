package com.xloud.image.core.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.policy.PropertyProtection;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The property protections as the image use cases apply them: the {@link PropertyProtection}
 * service when it runs; no protection when none is configured; and while one is configured but its
 * bundle is not running, extra properties are neither written (503) nor shown.
 */
final class Protections {
    static final String ABSENT = "Property protection is configured (etc/com.xloud.image.protection.cfg) but its"
            + " bundle com.xloud.image.protection is not running: extra properties cannot be changed now; try again later.";
    private final Supplier<PropertyProtection> service;
    private final BooleanSupplier configured;

    Protections(Supplier<PropertyProtection> service, BooleanSupplier configured) {
        this.service = service;
        this.configured = configured;
    }

    /** The image as {@code ctx} may read it: properties the protections hide are left out. */
    Image readable(RequestContext ctx, Image image) {
        PropertyProtection p = service.get();
        if (p == null && (image.properties().isEmpty() || !configured.getAsBoolean())) {
            return image;
        }
        Map<String, String> shown = p == null ? Map.of() : p.readable(ctx, image.properties());
        return new Image(image.id(), image.name(), image.status(), image.visibility(), image.isProtected(),
                image.osHidden(), image.owner(), image.size(), image.virtualSize(), image.checksum(), image.osHashAlgo(),
                image.osHashValue(), image.diskFormat(), image.containerFormat(), image.minRam(), image.minDisk(),
                image.createdAt(), image.updatedAt(), image.location(), image.tags(), shown, image.storeId(),
                image.locations(), image.locationList());
    }

    /** 403 for the whole request when a property change is one the protections do not allow {@code ctx}. */
    void require(RequestContext ctx, String name, PropertyProtection.Operation op) {
        PropertyProtection p = service.get();
        if (p == null) {
            if (configured.getAsBoolean()) {
                throw new ImageException(ImageException.Kind.UNAVAILABLE, ABSENT);
            }
            return;
        }
        if (!p.allows(ctx, name, op)) {
            throw ImageException.forbidden("Attribute '" + name + "' is reserved.");
        }
    }

    /** 503 while protections are configured and their bundle is not running. */
    void requireAvailable() {
        if (service.get() == null && configured.getAsBoolean()) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, ABSENT);
        }
    }

    /** The readable form of a property check, for PATCH: whether {@code ctx} sees {@code name}. */
    boolean mayRead(RequestContext ctx, String name) {
        PropertyProtection p = service.get();
        return p == null ? !configured.getAsBoolean() : p.allows(ctx, name, PropertyProtection.Operation.READ);
    }
}
