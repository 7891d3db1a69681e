package com.xloud.image.core.internal.aggregate;

import com.xloud.image.core.kernel.ImageAttributes;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.PatchOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Glance's JSON-patch dialect applied to a working copy of an image: single-level paths, add on an
 * existing property overwrites, replace or remove of a missing property is a conflict, base
 * attributes cannot be removed, read-only ones cannot be touched. The first refused operation
 * throws, so nothing of the patch is applied.
 */
final class ImagePatch {
    private final ImageStatus status;
    private final ImageState original;
    private final Map<String, String> originalProperties;
    private final Set<String> originalTags;
    private final boolean admin;
    private final boolean publicize;

    private ImageState state;
    private final Map<String, String> properties;
    private Set<String> tags;

    ImagePatch(ImageStatus status, ImageState state, Map<String, String> properties, Set<String> tags, boolean admin,
               boolean publicize) {
        this.publicize = publicize;
        this.status = status;
        this.original = state;
        this.state = state;
        this.originalProperties = Map.copyOf(properties);
        this.properties = new TreeMap<>(properties);
        this.originalTags = Set.copyOf(tags);
        this.tags = new LinkedHashSet<>(tags);
        this.admin = admin;
    }

    void apply(PatchOperation op) {
        String name = op.path();
        ImageAttributes.checkWritableName(name);
        switch (op.op()) {
            case "add", "replace" -> set(op.op(), name, op.value());
            case "remove" -> remove(name);
            default -> throw ImageException.badRequest("Invalid operation: '" + op.op() + "'");
        }
    }

    private void set(String op, String name, Object value) {
        if (name.equals("tags")) {
            tags = new LinkedHashSet<>(ImageAttributes.tags(value));
            return;
        }
        if (ImageAttributes.WRITABLE.contains(name)) {
            state = state.with(java.util.Collections.singletonMap(name, validated(name, value)));
            return;
        }
        if (op.equals("replace") && !properties.containsKey(name)) {
            throw ImageException.conflict("Property " + name + " does not exist.");
        }
        properties.put(name, ImageAttributes.extraValue(name, value));
    }

    private Object validated(String name, Object value) {
        return switch (name) {
            case "name" -> ImageAttributes.name(value);
            case "visibility" -> {
                String v = ImageAttributes.visibility(value);
                if (v.equals("public") && !publicize && !v.equals(original.visibility())) {
                    throw ImageException.forbidden("You are not authorized to complete publicize_image action.");
                }
                yield v;
            }
            case "protected", "os_hidden" -> ImageAttributes.bool(name, value);
            case "min_ram", "min_disk" -> ImageAttributes.nonNegativeInt(name, value);
            case "disk_format", "container_format" -> {
                String v = name.equals("disk_format") ? ImageAttributes.diskFormat(value)
                        : ImageAttributes.containerFormat(value);
                if (status != ImageStatus.QUEUED && !Objects.equals(v, original.get(name))) {
                    throw ImageException.forbidden("Attribute " + name + " can be only replaced for a queued image.");
                }
                yield v;
            }
            case "owner" -> {
                String v = ImageAttributes.owner(value);
                if (!admin && !Objects.equals(v, original.owner())) {
                    throw ImageException.forbidden("Owner can't be updated by non admin.");
                }
                yield v;
            }
            default -> throw new IllegalStateException("unhandled attribute " + name);
        };
    }

    private void remove(String name) {
        if (ImageAttributes.WRITABLE.contains(name)) {
            throw ImageException.forbidden("Property " + name + " is a base attribute and cannot be removed.");
        }
        if (properties.remove(name) == null) {
            throw ImageException.conflict("Property " + name + " does not exist.");
        }
    }

    int propertyCount() {
        return properties.size();
    }

    int tagCount() {
        return tags.size();
    }

    boolean changed() {
        return !attributeChanges().isEmpty() || !propertiesSet().isEmpty() || !propertiesRemoved().isEmpty()
                || tagsIfReplaced() != null;
    }

    Map<String, Object> attributeChanges() {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (String a : List.of("name", "visibility", "protected", "os_hidden", "disk_format", "container_format",
                "min_ram", "min_disk", "owner")) {
            Object now = state.get(a);
            if (!Objects.equals(now, original.get(a))) {
                changes.put(a, now);
            }
        }
        return changes;
    }

    Map<String, String> propertiesSet() {
        Map<String, String> set = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (!v.equals(originalProperties.get(k))) {
                set.put(k, v);
            }
        });
        return set;
    }

    List<String> propertiesRemoved() {
        List<String> removed = new ArrayList<>();
        for (String k : originalProperties.keySet()) {
            if (!properties.containsKey(k)) {
                removed.add(k);
            }
        }
        return removed;
    }

    List<String> tagsIfReplaced() {
        return tags.equals(originalTags) ? null : List.copyOf(tags);
    }
}
