package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Create a queued image from validated attributes. */
public record CreateImage(@TargetAggregateIdentifier String imageId, Origin origin, String owner, String name,
                          String visibility, boolean isProtected, boolean osHidden, String diskFormat,
                          String containerFormat, int minRam, int minDisk, Map<String, String> properties,
                          List<String> tags, Limits limits) {
}
