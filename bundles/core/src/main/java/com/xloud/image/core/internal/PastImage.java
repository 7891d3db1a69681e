package com.xloud.image.core.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageLocation;
import com.xloud.image.api.images.ImageEventRecord;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.TextLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An image as it was at a moment, folded from its events up to that moment (GET /v2/images/{id}?as_of=).
 * The same events the registry projection translates, read back in memory for one image.
 */
final class PastImage {
    private String id;
    private String name;
    private ImageStatus status = ImageStatus.QUEUED;
    private String visibility = "shared";
    private boolean isProtected;
    private boolean osHidden;
    private String owner;
    private Long size;
    private Long stagedSize;
    private Long virtualSize;
    private String checksum;
    private String hashAlgo;
    private String hashValue;
    private String diskFormat;
    private String containerFormat;
    private int minRam;
    private int minDisk;
    private Instant createdAt;
    private Instant updatedAt;
    private String storeId;
    private final Map<String, String> properties = new TreeMap<>();
    private final Set<String> tags = new TreeSet<>(TextLimits.CODE_POINT_ORDER);
    /** The locations in the registry's order: a store's first one is its copy; the first of all the image's own when its store's goes. */
    private final List<ImageLocation> locationList = new ArrayList<>();

    /**
     * Events that leave the image's own row alone, as the registry projects them: its
     * {@code updated_at} stays (members have their own times; scrubbing concerns deleted data).
     */
    private static final Set<String> ROW_UNTOUCHED = Set.of("MemberAdded", "MemberStatusChanged", "MemberRemoved",
            "DataLeftBehind", "DataScrubbed");

    /** The image at {@code at}, or null when it did not exist yet. */
    static Image at(List<ImageEventRecord> events, Instant at) {
        PastImage p = new PastImage();
        boolean exists = false;
        for (ImageEventRecord e : events) {
            if (e.at() == null || e.at().isAfter(at)) {
                break;
            }
            p.apply(e);
            exists = true;
        }
        return exists ? p.image() : null;
    }

    @SuppressWarnings("unchecked")
    private void apply(ImageEventRecord e) {
        Map<String, Object> c = e.changes();
        if (!ROW_UNTOUCHED.contains(e.type()) && !(e.type().equals("ImportProgressed") && c.get("stagedBytes") == null)) {
            updatedAt = e.at();
        }
        switch (e.type()) {
            case "ImageCreated" -> {
                id = e.imageId();
                createdAt = e.at();
                owner = (String) c.get("owner");
                name = (String) c.get("name");
                visibility = (String) c.get("visibility");
                isProtected = Boolean.TRUE.equals(c.get("isProtected"));
                osHidden = Boolean.TRUE.equals(c.get("osHidden"));
                diskFormat = (String) c.get("diskFormat");
                containerFormat = (String) c.get("containerFormat");
                minRam = ((Number) c.getOrDefault("minRam", 0)).intValue();
                minDisk = ((Number) c.getOrDefault("minDisk", 0)).intValue();
                properties.putAll((Map<String, String>) c.getOrDefault("properties", Map.of()));
                tags.addAll((List<String>) c.getOrDefault("tags", List.of()));
            }
            case "ImageUpdated" -> {
                ((Map<String, Object>) c.getOrDefault("attributes", Map.of())).forEach(this::attribute);
                properties.putAll((Map<String, String>) c.getOrDefault("propertiesSet", Map.of()));
                ((List<String>) c.getOrDefault("propertiesRemoved", List.of())).forEach(properties::remove);
                if (c.get("tags") instanceof List<?> replaced) {
                    tags.clear();
                    replaced.forEach(t -> tags.add((String) t));
                }
            }
            case "TagAdded" -> tags.add((String) c.get("tag"));
            case "TagRemoved" -> tags.remove((String) c.get("tag"));
            case "UploadStarted" -> status = ImageStatus.SAVING;
            case "ImageStaged" -> stagedSize = ((Number) c.get("size")).longValue();
            case "ImportProgressed" -> {
                if (c.get("stagedBytes") != null) {
                    stagedSize = ((Number) c.get("stagedBytes")).longValue();
                }
            }
            case "StagingStarted" -> status = ImageStatus.UPLOADING;
            case "ImportStarted" -> {
                status = ImageStatus.IMPORTING;
                properties.put("os_glance_import_task", (String) c.get("taskId"));
                properties.put("os_glance_importing_to_stores", (String) c.get("storeId"));
                properties.put("os_glance_failed_import", "");
            }
            case "ImageDataStored" -> {
                size = ((Number) c.get("size")).longValue();
                virtualSize = c.get("virtualSize") == null ? null : ((Number) c.get("virtualSize")).longValue();
                checksum = (String) c.get("checksum");
                hashAlgo = (String) c.get("hashAlgo");
                hashValue = (String) c.get("hashValue");
                storeId = (String) c.get("storeId");
                ImageLocation.putStoreCopy(locationList, storeId, (String) c.get("location"));
            }
            case "ImageHashed" -> {
                checksum = (String) c.get("checksum");
                hashAlgo = (String) c.get("hashAlgo");
                hashValue = (String) c.get("hashValue");
            }
            case "LocationAdded" -> ImageLocation.putStoreCopy(locationList, (String) c.get("storeId"), (String) c.get("location"));
            case "LocationRemoved" -> {
                String removed = (String) c.get("storeId");
                locationList.removeIf(l -> l.storeId().equals(removed) && l.url().equals(c.get("location")));
                if (removed.equals(storeId) && !locationList.isEmpty()) {
                    storeId = locationList.get(0).storeId(); // the first remaining copy becomes the image's
                }
            }
            case "LocationsSet" -> {
                locationList.clear();
                for (Map<String, Object> l : (List<Map<String, Object>>) c.get("locations")) {
                    Map<String, String> metadata = new java.util.LinkedHashMap<>();
                    if (l.get("metadata") instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> metadata.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
                    }
                    locationList.add(new ImageLocation((String) l.get("url"), (String) l.get("storeId"), metadata));
                }
                if (!locationList.isEmpty()) {
                    storeId = locationList.get(0).storeId();
                }
            }
            case "CopyStarted" -> {
                properties.put("os_glance_import_task", (String) c.get("taskId"));
                properties.put("os_glance_importing_to_stores", String.join(",", (List<String>) c.get("stores")));
                properties.put("os_glance_failed_import", "");
            }
            case "CopyFinished" -> {
                properties.remove("os_glance_import_task");
                properties.put("os_glance_importing_to_stores", "");
                properties.put("os_glance_failed_import", String.join(",",
                        (List<String>) c.getOrDefault("failedStores", List.of())));
            }
            case "ImageActivated", "ImageReactivated" -> status = ImageStatus.ACTIVE;
            case "ImageDeactivated" -> status = ImageStatus.DEACTIVATED;
            case "ImportSucceeded" -> {
                stagedSize = null;
                properties.remove("os_glance_import_task");
                properties.put("os_glance_importing_to_stores", "");
                properties.put("os_glance_failed_import", String.join(",",
                        (List<String>) c.getOrDefault("failedStores", List.of())));
            }
            case "UploadFailed", "UploadRefused", "SignatureRejected", "StagingFailed", "ImportFailed" -> {
                status = ImageStatus.QUEUED;
                if (!List.of("UploadFailed", "UploadRefused", "SignatureRejected").contains(e.type())) {
                    stagedSize = null;
                }
                size = null;
                virtualSize = null;
                checksum = null;
                hashAlgo = null;
                hashValue = null;
                storeId = null;
                locationList.clear();
                if (e.type().equals("ImportFailed")) {
                    properties.remove("os_glance_import_task");
                    properties.put("os_glance_importing_to_stores", "");
                    properties.put("os_glance_failed_import", (String) c.get("storeId"));
                }
            }
            case "ImageDeleted" -> status = ImageStatus.DELETED;
            case "DataScrubbed" -> {
                Object scrubbed = c.get("location");
                locationList.removeIf(l -> l.url().equals(scrubbed));
            }
            default -> {
                // members, copies and task steps do not change the image's own fields
            }
        }
    }

    private void attribute(String key, Object v) {
        switch (key) {
            case "name" -> name = (String) v;
            case "visibility" -> visibility = (String) v;
            case "protected" -> isProtected = Boolean.TRUE.equals(v);
            case "os_hidden" -> osHidden = Boolean.TRUE.equals(v);
            case "disk_format" -> diskFormat = (String) v;
            case "container_format" -> containerFormat = (String) v;
            case "min_ram" -> minRam = ((Number) v).intValue();
            case "min_disk" -> minDisk = ((Number) v).intValue();
            case "owner" -> owner = (String) v;
            default -> throw new IllegalStateException("unknown attribute in the event history: " + key);
        }
    }

    private Image image() {
        Map<String, String> locations = new TreeMap<>();
        locationList.forEach(l -> locations.putIfAbsent(l.storeId(), l.url()));
        String location = storeId == null ? null : locations.get(storeId);
        return new Image(id, name, status, visibility, isProtected, osHidden, owner, size != null ? size : stagedSize,
                virtualSize, checksum,
                hashAlgo, hashValue, diskFormat, containerFormat, minRam, minDisk, createdAt, updatedAt, location,
                new ArrayList<>(tags), properties, location == null ? null : storeId, locations, locationList);
    }
}
