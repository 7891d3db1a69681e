package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Move a queued image to saving before its data streams into {@code storeId}. */
public record StartUpload(@TargetAggregateIdentifier String imageId, Origin origin, String storeId, long expectedSize) {
}
