package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The import's data is stored. {@code adoptedAttributes} and {@code adoptedProperties} are what
 * the image takes over from its source (glance-download: the formats and some extra properties;
 * empty otherwise), applied in the same step as the activation, within {@code limits}.
 */
public record CompleteImport(@TargetAggregateIdentifier String imageId, Origin origin, String taskId, String storeId,
                             String location, long size, Long virtualSize, String checksum, String hashAlgo,
                             String hashValue, Map<String, String> otherLocations, List<String> failedStores,
                             Map<String, Object> adoptedAttributes, Map<String, String> adoptedProperties,
                             Limits limits) {
    public CompleteImport {
        adoptedAttributes = adoptedAttributes == null ? Map.of() : adoptedAttributes;
        adoptedProperties = adoptedProperties == null ? Map.of() : adoptedProperties;
    }
}
