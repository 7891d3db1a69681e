package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An upload filter refused the data of an upload: whatever was stored is gone, the image is queued again. */
public record RefuseUpload(@TargetAggregateIdentifier String imageId, Origin origin, String filter, String reason) {
}
