package com.xloud.image.core.internal.aggregate;

import java.util.Map;

/** The base attributes of an image a client may change, as one immutable value. */
public record ImageState(String name, String visibility, boolean isProtected, boolean osHidden, String diskFormat,
                         String containerFormat, int minRam, int minDisk, String owner) {

    /** This state with the changes of an ImageUpdated event (wire names) applied. */
    public ImageState with(Map<String, Object> changes) {
        ImageState s = this;
        for (Map.Entry<String, Object> c : changes.entrySet()) {
            Object v = c.getValue();
            s = switch (c.getKey()) {
                case "name" -> new ImageState((String) v, s.visibility, s.isProtected, s.osHidden, s.diskFormat,
                        s.containerFormat, s.minRam, s.minDisk, s.owner);
                case "visibility" -> new ImageState(s.name, (String) v, s.isProtected, s.osHidden, s.diskFormat,
                        s.containerFormat, s.minRam, s.minDisk, s.owner);
                case "protected" -> new ImageState(s.name, s.visibility, (Boolean) v, s.osHidden, s.diskFormat,
                        s.containerFormat, s.minRam, s.minDisk, s.owner);
                case "os_hidden" -> new ImageState(s.name, s.visibility, s.isProtected, (Boolean) v, s.diskFormat,
                        s.containerFormat, s.minRam, s.minDisk, s.owner);
                case "disk_format" -> new ImageState(s.name, s.visibility, s.isProtected, s.osHidden, (String) v,
                        s.containerFormat, s.minRam, s.minDisk, s.owner);
                case "container_format" -> new ImageState(s.name, s.visibility, s.isProtected, s.osHidden,
                        s.diskFormat, (String) v, s.minRam, s.minDisk, s.owner);
                case "min_ram" -> new ImageState(s.name, s.visibility, s.isProtected, s.osHidden, s.diskFormat,
                        s.containerFormat, ((Number) v).intValue(), s.minDisk, s.owner);
                case "min_disk" -> new ImageState(s.name, s.visibility, s.isProtected, s.osHidden, s.diskFormat,
                        s.containerFormat, s.minRam, ((Number) v).intValue(), s.owner);
                case "owner" -> new ImageState(s.name, s.visibility, s.isProtected, s.osHidden, s.diskFormat,
                        s.containerFormat, s.minRam, s.minDisk, (String) v);
                default -> throw new IllegalArgumentException("unknown image attribute " + c.getKey());
            };
        }
        return s;
    }

    /** The current value of an attribute by wire name. */
    public Object get(String attribute) {
        return switch (attribute) {
            case "name" -> name;
            case "visibility" -> visibility;
            case "protected" -> isProtected;
            case "os_hidden" -> osHidden;
            case "disk_format" -> diskFormat;
            case "container_format" -> containerFormat;
            case "min_ram" -> minRam;
            case "min_disk" -> minDisk;
            case "owner" -> owner;
            default -> throw new IllegalArgumentException("unknown image attribute " + attribute);
        };
    }
}
