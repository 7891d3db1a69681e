package com.xloud.image.core.internal.command;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.PatchOperation;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Apply a JSON patch, all operations or none; {@code admin} tells what the caller may change. */
public record UpdateImage(@TargetAggregateIdentifier String imageId, Origin origin, List<PatchOperation> operations,
                          boolean admin, Limits limits) {
}
