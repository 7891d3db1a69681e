package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** copy-image: begin copying an active image's data into {@code stores}. */
public record StartCopy(@TargetAggregateIdentifier String imageId, Origin origin, String taskId, List<String> stores,
                        Map<String, Object> input) {
}
