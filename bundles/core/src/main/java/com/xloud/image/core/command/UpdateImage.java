package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.PatchOperation;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Apply a JSON patch, all operations or none; {@code admin} tells whether the caller may change
 * the owner, {@code publicize} whether the policy lets it make the image public.
 */
public record UpdateImage(@TargetAggregateIdentifier String imageId, Origin origin, List<PatchOperation> operations,
                          boolean admin, boolean publicize, Limits limits) {
}
