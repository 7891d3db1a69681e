package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The digests of an attached location, computed by reading it once. */
public record RecordHashes(@TargetAggregateIdentifier String imageId, Origin origin, String location, long size,
                           String checksum, String hashAlgo, String hashValue) {
}
