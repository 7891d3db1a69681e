package com.xloud.image.core.internal.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CompleteImport(@TargetAggregateIdentifier String imageId, Origin origin, String taskId, String storeId,
                             String location, long size, Long virtualSize, String checksum, String hashAlgo,
                             String hashValue, java.util.Map<String, String> otherLocations,
                             java.util.List<String> failedStores) {
}
