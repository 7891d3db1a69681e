package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A queued image gets its data from a location that already exists (Glance's add location):
 * {@code size} as the store reports it; the hashes from the client's validation data, or null
 * until they are computed.
 */
public record AttachLocation(@TargetAggregateIdentifier String imageId, Origin origin, String storeId, String location,
                             long size, String hashAlgo, String hashValue) {
}
