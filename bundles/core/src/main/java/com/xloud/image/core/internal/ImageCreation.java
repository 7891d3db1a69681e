package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.ImageAttributes;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.kernel.ImageAttributes;
import com.xloud.image.core.command.CreateImage;
import com.xloud.image.core.command.Limits;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/** Turns a create request's attributes into a {@link CreateImage} command, with Glance's defaults and checks. */
final class ImageCreation {

    private ImageCreation() {
    }

    static CreateImage command(RequestContext ctx, Map<String, Object> attributes, Origin origin, Limits limits) {
        String id = UUID.randomUUID().toString();
        String owner = ctx.projectId();
        String name = null;
        String visibility = "shared";
        boolean isProtected = false;
        boolean osHidden = false;
        String diskFormat = null;
        String containerFormat = null;
        int minRam = 0;
        int minDisk = 0;
        List<String> tags = List.of();
        Map<String, String> properties = new TreeMap<>();
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            String key = a.getKey();
            Object v = a.getValue();
            if (key.equals("id")) {
                if (!(v instanceof String s) || !ImageAttributes.isUuid(s)) {
                    throw ImageException.badRequest("Provided object does not match schema 'image': " + v
                            + " is not a valid UUID (attribute 'id')");
                }
                id = s.toLowerCase(java.util.Locale.ROOT);
                continue;
            }
            ImageAttributes.checkWritableName(key);
            switch (key) {
                case "name" -> name = ImageAttributes.name(v);
                case "visibility" -> visibility = ImageAttributes.visibility(v);
                case "protected" -> isProtected = ImageAttributes.bool(key, v);
                case "os_hidden" -> osHidden = ImageAttributes.bool(key, v);
                case "disk_format" -> diskFormat = ImageAttributes.diskFormat(v);
                case "container_format" -> containerFormat = ImageAttributes.containerFormat(v);
                case "min_ram" -> minRam = ImageAttributes.nonNegativeInt(key, v);
                case "min_disk" -> minDisk = ImageAttributes.nonNegativeInt(key, v);
                case "tags" -> tags = ImageAttributes.tags(v);
                case "owner" -> {
                    String o = ImageAttributes.owner(v);
                    if (!ctx.isAdmin() && !Objects.equals(o, ctx.projectId())) {
                        throw ImageException.forbidden("You are not permitted to create images owned by '" + o + "'.");
                    }
                    owner = o;
                }
                default -> properties.put(key, ImageAttributes.extraValue(key, v));
            }
        }
        return new CreateImage(id, origin, owner, name, visibility, isProtected, osHidden, diskFormat, containerFormat,
                minRam, minDisk, properties, tags, limits);
    }
}
