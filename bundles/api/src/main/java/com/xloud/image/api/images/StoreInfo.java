package com.xloud.image.api.images;

import java.util.Map;

/**
 * A live store as /v2/info/stores shows it; type, weight, properties and health (whether the
 * store can serve now, and why not) are for admins.
 */
public record StoreInfo(String id, String description, boolean isDefault, boolean readOnly, String type, int weight,
                        Map<String, Object> properties, Boolean available, String healthDetail, String bundle) {
}
