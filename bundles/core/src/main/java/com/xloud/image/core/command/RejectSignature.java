package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The data being saved failed its signature verification; it is already gone from the store. */
public record RejectSignature(@TargetAggregateIdentifier String imageId, Origin origin, String reason) {
}
