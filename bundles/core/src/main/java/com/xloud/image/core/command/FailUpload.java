package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The upload did not complete and its partial data is gone: back to queued. */
public record FailUpload(@TargetAggregateIdentifier String imageId, Origin origin, String reason) {
}
