package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record the stored data and activate the image. */
public record CompleteUpload(@TargetAggregateIdentifier String imageId, Origin origin, String storeId, String location,
                             long size, Long virtualSize, String checksum, String hashAlgo, String hashValue) {
}
